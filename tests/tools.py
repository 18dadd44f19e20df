"""Test helpers for tools from Debian's packages (LibreOffice, poppler, Chromium).

Outside CI a missing tool skips its tests with the reason; under ``CI=true`` it is a
failure, because ``.ci/run`` installs every tool these tests need.
"""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    """True when running under CI (CI=true)."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need_tool(executable: str, debian_package: str) -> str:
    """The path of ``executable``; skip (or fail under CI) when it is not installed."""
    path = shutil.which(executable)
    if path:
        return path
    message = f"{executable} is not installed (Debian package {debian_package})"
    if in_ci():
        pytest.fail(f"{message}; .ci/run should have installed it")
    pytest.skip(f"{message}; these tests run in CI")
    raise AssertionError("unreachable")  # pragma: no cover
