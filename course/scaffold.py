"""``coopkit new``: an empty course that validates, to start writing from."""

from __future__ import annotations

from pathlib import Path

SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/{name}.schema.json\n"

FILES = {
    "modules/course.yaml": (
        "course",
        """\
id: mon-cours
title: Mon cours
subtitle: Atelier de formation
footer: Mon cours — atelier
modules: [theme-1]
""",
    ),
    "modules/sources.yaml": (
        "sources",
        """\
sources:
  - id: ma-source
    title: Titre du document source
    publisher: Organisation
    year: 2024
""",
    ),
    "modules/processes.yaml": (
        "processes",
        """\
processes:
  - id: exemple
    acronym: EX
    name: Processus d'exemple
    kind: regional
    region: Europe
    founded: {year: 2000, source: ma-source}
    memberships:
      - {source: ma-source, as_of: 2024, count: 2, members: [FR, BE]}
    sources: [ma-source]
""",
    ),
    "modules/theme-1.yaml": (
        "module",
        """\
id: theme-1
number: 1
title: Premier thème
duration_minutes: 60
objectives:
  - Expliquer l'idée principale du thème
sources: [ma-source]
sections:
  - id: introduction
    title: Introduction
    slides:
      - id: premiere-diapositive
        title: Première diapositive
        bullets:
          - Un point
          - text: Un point détaillé
            sub: [Un détail]
        notes: Ce que l'animateur dit ; une question à poser à la salle.
      - id: profil-exemple
        process: exemple
activities:
  - id: tour-de-table
    title: Tour de table
    format: plénière
    duration_minutes: 10
    goal: Faire connaissance
    instructions: [Chacun se présente en une phrase.]
    debrief: [Relever les attentes exprimées.]
glossary:
  - term: EX
    expansion: Processus d'exemple
    definition: Un processus inventé pour montrer la forme du fichier.
""",
    ),
    "quizzes/theme-1.yaml": (
        "quiz",
        """\
id: theme-1
title: Quiz du premier thème
module: theme-1
pass_percent: 70
questions:
  - id: q1
    type: single
    prompt: Quel processus sert d'exemple ?
    choices:
      - {id: a, text: EX}
      - {id: b, text: Aucun}
    answer: a
    explanation: Le fichier des processus décrit EX.
    slide: profil-exemple
""",
    ),
}


def scaffold(directory: Path) -> list[Path]:
    """Write a minimal valid course into ``directory``; refuse to overwrite any file."""
    from course.schema import write_schemas

    targets = {directory / rel: body for rel, body in FILES.items()}
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        raise FileExistsError(f"not overwriting existing files: {', '.join(existing)}")
    written = []
    for path, (schema_name, body) in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SCHEMA_LINE.format(name=schema_name) + body, encoding="utf-8")
        written.append(path)
    written += write_schemas(directory / "schemas")
    return written
