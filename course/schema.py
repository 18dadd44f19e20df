"""JSON Schema of each YAML format, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from course import models

SCHEMAS = {
    "course": models.CourseInfo,
    "sources": models.SourceList,
    "processes": models.ProcessList,
    "module": models.Module,
    "quiz": models.Quiz,
}


def write_schemas(out: Path) -> list[Path]:
    """Write ``<name>.schema.json`` for every format into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"coopkit {name} file"
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
