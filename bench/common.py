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


@dataclass
class Paired:
    """A command's median wall time, and the median of its runs' ratios to the baseline."""

    seconds: float
    ratio: float


def paired_runs(
    baseline: list[str], cmds: list[list[str]], rounds: int = 5
) -> tuple[float, list[Paired]]:
    """Run the baseline, then each command followed by the baseline again, ``rounds`` times.

    Each run of a command is compared with the mean of the two baseline runs around it:
    the shared machine's speed drifts (by up to 1.8 × within a minute), and a drift
    hits both alike. Returns the baseline's median wall time and each command's figures.
    """
    base = [run(baseline).seconds]
    times: list[list[float]] = [[] for _ in cmds]
    ratios: list[list[float]] = [[] for _ in cmds]
    for _ in range(rounds):
        for index, cmd in enumerate(cmds):
            times[index].append(run(cmd).seconds)
            base.append(run(baseline).seconds)
            ratios[index].append(times[index][-1] / ((base[-2] + base[-1]) / 2))
    return statistics.median(base), [
        Paired(statistics.median(t), statistics.median(r))
        for t, r in zip(times, ratios, strict=True)
    ]


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


# --- Servers for the web and workshop benchmarks -------------------------------------------

WORKERS = 2  # the same gunicorn workers and threads for every served row
THREADS = 2  # a worker's threads share one GIL: 4 lowered the submission's ratio (bench NOTES)


def upgrade(database_url: str) -> None:
    """Apply the migrations, as the release step does before the workers start."""
    from webapp import db

    engine = db.make_engine(database_url)
    try:
        db.upgrade(engine)
    finally:
        engine.dispose()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(port: int, process: subprocess.Popen, timeout: float) -> None:
    """Return once ``GET /`` answers on ``port``; raise if the server died or never answered."""
    import http.client

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"gunicorn exited {process.returncode}: {error[-2000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/")
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise TimeoutError(f"gunicorn did not answer on port {port} within {timeout} s")


class Gunicorn:
    """``with Gunicorn("webapp.wsgi:app", env) as port:`` serves on 127.0.0.1, then stops."""

    def __init__(self, app: str, env: dict | None = None, timeout: float = 60) -> None:
        self.app, self.env, self.timeout = app, env or {}, timeout
        self.process: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> int:
        self.port = port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                self.app,
            ],
            cwd=REPO,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_ready(port, self.process, self.timeout)
        except BaseException:
            self.stop()
            raise
        return port

    def __exit__(self, *_exc) -> None:
        self.stop()

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server's processes have used so far, or None where
        /proc cannot tell. A worker's CPU counts in its master only once it exits, so each
        process is read: the master and its workers.
        """
        if self.process is None:
            return None
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = [self.process.pid, *map(int, children.read_text().split())]
            ticks = 0
            for pid in pids:
                # Fields after the command name: utime and stime are the 12th and 13th.
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            return None
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0–100) percentile of ``values`` by the nearest-rank method."""
    ranked = sorted(values)
    if not ranked:
        return float("nan")
    rank = max(1, -(-len(ranked) * share // 100))  # ceil without floats
    return ranked[int(rank) - 1]
