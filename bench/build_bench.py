"""Build time: `coopkit build` (three decks) against pandoc building the same Markdown."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from bench.common import BIN, REPO, Table, paired_runs

TARGET = 1.5  # our build's wall time against pandoc's, at most (issue 15)


def pandoc_path() -> str:
    """pandoc from the pypandoc-binary wheel (the bench extra), else from PATH."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def module_ids(root: Path) -> list[str]:
    """The module ids of the course under ``root``."""
    from course import load_course

    return [m.id for m in load_course(root).modules]


def run_bench(table: Table, root: Path = REPO, rounds: int = 5) -> None:
    """Add the build row: ours ≤ 1.5 × pandoc's wall time."""
    coopkit = str(BIN / "coopkit")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ids = module_ids(root)
        sources = []
        for module_id in ids:
            markdown = work / f"{module_id}.md"
            text = subprocess.run(
                [coopkit, "export", "markdown", "--root", str(root), "--module", module_id],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            markdown.write_text(text, encoding="utf-8")
            sources.append(markdown)
        pandoc = pandoc_path()
        script = "; ".join(f'"{pandoc}" "{m}" -o "{m.with_suffix(".pptx")}"' for m in sources)
        build = [coopkit, "build", "--root", str(root), "--out", str(work / "out")]
        # Each of ours between two pandoc runs, round after round (``paired_runs``).
        pandoc_seconds, (ours, alone) = paired_runs(
            ["sh", "-c", script],
            [[*build, "--only", "decks"], [*build, "--only", "decks", "--jobs", "1"]],
            rounds=rounds,
        )
    jobs = min(os.cpu_count() or 1, 4, len(ids))
    ratio = ours.ratio
    table.add(
        f"build {len(ids)} decks (wall time; ours renders {jobs} decks at once, "
        "pandoc runs once per deck)",
        f"{ours.seconds:.2f} s",
        f"pandoc {pandoc_seconds:.2f} s",
        ratio,
        f"≤ {TARGET} ×",
        ratio <= TARGET,
    )
    table.add(
        f"build {len(ids)} decks, one at a time (--jobs 1; for information)",
        f"{alone.seconds:.2f} s",
        f"pandoc {pandoc_seconds:.2f} s",
        alone.ratio,
        "—",
        None,
    )
