"""Workshop decks (python-pptx) and facilitator guides (python-docx) from the content model.

Entry point: ``slides_builder.build.build_course(course, out, template=None, progress=None)``.
Modules: ``theme`` (colours, sizes, geometry), ``fit`` (measuring with Carlito and Arimo,
wrapping, paginating), ``timeline`` (label placement), ``shapes`` (python-pptx helpers), ``writer``
(layouts and slide kinds), ``deck`` (module → slides), ``questions`` (quiz wording),
``guide`` (Word guide), ``build`` (orchestration, atomic writes).
"""
