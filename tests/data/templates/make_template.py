"""Make ``organisation.pptx``: a stand-in for an organisation's own template, for the tests.

It differs from the built-in theme on purpose: 4:3, French layout names, a cream
background, layouts in another order, the content layout's
title placed after its body in the shape tree (reading order must still start with
the title), and a sample slide that the builder must delete.
Run: ``.venv/bin/python tests/data/templates/make_template.py``.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor

NAMES = {
    "Title Slide": "Titre",
    "Title and Content": "Titre et contenu",
    "Section Header": "En-tête de section",
    "Title Only": "Titre seul",
}


def make_template(path: Path) -> Path:
    """Write the test template to ``path``."""
    prs = Presentation()
    master = prs.slide_masters[0]
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = RGBColor(0xFF, 0xF8, 0xE7)
    for layout in prs.slide_layouts:
        layout.name = NAMES.get(layout.name, f"Autre — {layout.name}")
    content = prs.slide_layouts.get_by_name("Titre et contenu")
    title = content.placeholders[0]._element
    tree = title.getparent()
    tree.remove(title)
    tree.append(title)
    layouts = prs.slide_layouts._sldLayoutIdLst
    first = layouts[0]
    layouts.remove(first)
    layouts.append(first)  # « Titre » is no longer the first layout
    sample = prs.slides.add_slide(content)
    sample.shapes.title.text = "Diapositive d’exemple à supprimer"
    prs.save(path)
    return path


if __name__ == "__main__":
    print(make_template(Path(__file__).with_name("organisation.pptx")))
