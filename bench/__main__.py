"""Run the benchmarks, print one table and write it to docs/benchmarks.md.

Usage: python -m bench [build] [scale] [web] [burst]   (all when none is named)
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from importlib import metadata

from bench.common import REPO, Table

BENCHES = ("build", "scale", "web", "burst")

NOTES = """## How these figures are taken

- **Build**: 5 rounds of `coopkit build` and `coopkit build --jobs 1`, each run between
  two runs of pandoc; a run's ratio is its time over the mean of those two pandoc runs
  (the shared machine's speed drifts, and a drift then hits both alike), and each row
  gives the median ratio and median time. `coopkit build` renders the decks in parallel
  (one forked process per deck, as many as CPUs, at most 4); pandoc converts one
  Markdown file after another, as a user would type it. The `--jobs 1` row shows our
  single-process time for comparison.
- **Web**: the app and the hello baseline run side by side under the same gunicorn
  settings: 2 workers × 2 threads on 2 cores. Against 2 × 4, in two paired runs of each,
  the submission's ratio was 0.20–0.21 instead of 0.17, the quiz page's 0.48–0.60 instead
  of 0.48, and the lesson page's 0.69–0.75 instead of 0.75–0.77. Sync workers, 3 × 1 or 4
  × 1, served every row 1.3–2 × faster but hello most of all, so every ratio was lower.
  wrk loads one URL at a time (2 s warm-up each, then 3 rounds of 4 s). Every run of a row
  comes between two runs of hello, and its ratio is taken against the mean of those two:
  the machine's speed drifted by up to 1.8 × within a minute, and this pairing cancels the
  drift. A row's ratio is the median of its 3 rounds; the req/s shown are medians. Every
  request comes on a new connection, as nginx talks to its upstream by default: with
  kept-alive connections, gunicorn's gthread workers gave bimodal figures (hello at about
  2,100 or 8,000 req/s from one run to the next, depending on how the 16 connections
  landed on the two workers). The quiz page is asked with a new random seed on every
  request, so every request is a first view of a new attempt that no cache can serve whole
  (the frame around the questions is kept, and each written question's fields per order
  of its choices). The lesson page is the same for every learner
  and is served from the worker's page cache after its first view. A quiz submission
  stores the attempt and its 10 answers in one transaction; on SQLite one transaction
  writes at a time, and the writers take turns on a lock file (docs/deploy.md). Each run
  also counts the server's CPU time per request (user and system time of gunicorn's
  master and workers, read from /proc): the two cores are busy all along, so a row's
  ratio is close to hello's CPU per request over the row's. Hello's is what gunicorn and
  the kernel cost per request; the rest of a row's is the app's.
- **Scale**: synthetic courses multiply the modules and quiz banks; the processes
  dataset stays 1×. Peak memory is the peak resident size of the process.
"""


def machine() -> str:
    """A line describing the machine and the versions measured."""
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("python-pptx", "Flask", "SQLAlchemy", "gunicorn", "pypandoc-binary")
        if _installed(name)
    )
    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{versions}"
    )


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default); exit 1 if a target is missed."""
    unknown = [a for a in argv if a not in BENCHES]
    if unknown:  # --help included: running every benchmark takes minutes
        print(__doc__.strip(), file=sys.stderr)
        return 0 if unknown in (["-h"], ["--help"]) else 2
    chosen = list(argv) or list(BENCHES)
    table = Table()
    started = time.perf_counter()
    for name in chosen:
        print(f"bench: {name}…", file=sys.stderr, flush=True)
        try:
            module = __import__(f"bench.{name}_bench", fromlist=["run_bench"])
            module.run_bench(table)
        except Exception as error:  # one broken bench must not hide the others' figures
            traceback.print_exc()
            table.add(
                f"{name} bench",
                f"failed: {type(error).__name__}: {error}",
                "—",
                None,
                "runs",
                False,
            )
    elapsed = time.perf_counter() - started
    text = table.markdown()
    print(text)
    report = REPO / "docs" / "benchmarks.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text(
        "# Benchmarks\n\n"
        "Each figure is measured beside its baseline in the same run, on the same machine.\n"
        "Reproduce with `make bench` (or `.venv/bin/python -m bench build scale web burst`).\n\n"
        f"Machine: {machine()}.\n\nMeasured {time.strftime('%Y-%m-%d')} in {elapsed:.0f} s.\n\n"
        f"{text}\n\n{NOTES}",
        encoding="utf-8",
    )
    print(f"bench: wrote {report.relative_to(REPO)} ({elapsed:.0f} s)", file=sys.stderr)
    return 0 if table.all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
