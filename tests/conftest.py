"""Shared fixtures: a small valid course to corrupt, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from course.scaffold import scaffold

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def small_course(tmp_path: Path) -> Path:
    """A fresh copy of the scaffolded course (valid), in a temporary folder."""
    root = tmp_path / "course"
    scaffold(root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stderr apart from stdout."""
    return CliRunner()
