"""Measuring helpers: wall time and peak memory of child processes, and the result table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Run:
    """One child process run: seconds of wall time and peak resident memory in MB."""

    seconds: float
    peak_mb: float


def run(
    cmd: list[str], *, cwd: Path | None = None, env: dict | None = None, timeout: float = 600
) -> Run:
    """Run ``cmd`` to completion; raise on failure; return its wall time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            raise TimeoutError(f"{' '.join(cmd)} took more than {timeout} s")
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {code}: {error[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def median_run(cmd: list[str], repeats: int = 3, **kwargs) -> Run:
    """The median wall time (and the largest peak memory) over ``repeats`` runs."""
    runs = [run(cmd, **kwargs) for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


@dataclass
class Table:
    """Rows of benchmark results: what, ours, baseline, ratio, target, verdict."""

    rows: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def add(
        self, what: str, ours: str, baseline: str, ratio: float | None, target: str, ok: bool | None
    ) -> None:
        """Add a row; ``ok`` None means there is no target for it."""
        verdict = "—" if ok is None else ("OK" if ok else "MISSED")
        self.rows.append(
            (what, ours, baseline, "—" if ratio is None else f"{ratio:.2f}", target, verdict)
        )

    def markdown(self) -> str:
        """The table in Markdown."""
        header = ("benchmark", "ours", "baseline", "ratio", "target", "verdict")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)

    @property
    def all_ok(self) -> bool:
        """True when no row missed its target."""
        return all(row[5] != "MISSED" for row in self.rows)
