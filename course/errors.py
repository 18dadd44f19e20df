"""Content errors: every problem names a file, a line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when inside it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:  # outside the working directory: the full path is clearer than ../..
        return str(absolute)


@dataclass(frozen=True)
class Problem:
    """One finding about the content, printed as ``path:line: message`` (``path: message``
    when it is about the file as a whole: missing, unreadable, not a file)."""

    path: Path
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        where = display_path(self.path) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {prefix}{self.message}"


class ContentError(Exception):
    """A single problem that stops reading one file."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.problem = Problem(Path(path), line, message)
        super().__init__(str(self.problem))


class ContentErrors(Exception):
    """All the problems found in a course; raised after everything was checked."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))
