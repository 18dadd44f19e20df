"""Run the benchmarks, print one table and write it to docs/benchmarks.md.

Usage: python -m bench [build] [scale] [web] [burst] [live] [room]
(all but room when none is named: room, a live session of 1,000 phones, takes 9 minutes)
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from importlib import metadata

from bench.common import REPO, Table

KEPT = "\n## Changes measured"  # the report's hand-written part, kept when it is rewritten
BENCHES = ("build", "scale", "web", "burst", "live", "room")
DEFAULT = ("build", "scale", "web", "burst", "live")

NOTES = """## How these figures are taken

- **Live session** (`bench/live_bench.py`; `bench/room_bench.py` for 1,000 phones): one
  workshop session in live pace, the theme-1 quiz (10 questions), served by gunicorn with
  the settings `docs/deploy.md` recommends for two cores (`-w 2 --threads 2`). N phones join
  with the code, then each polls the session's state every 1.5 s as `workshop.js` does and
  loads its page again when the state changed. The facilitator opens each question for a
  20 s window in which every phone answers at a random moment (a form POST, then the page
  it is sent to), then closes the question, reveals the answer and moves on. The projector
  and the dashboard poll every 1.5 s and load their page again when anything changed.
  Answer latency is the POST's. "On the projector" is, for each answer, the time from its
  response to the end of the first projector page that began loading after it. Answers are
  counted in the database against the answers the server accepted. One asyncio event loop
  drives every phone (a new connection per request, as phones come through a proxy), on
  the same two cores as the server.
- **Self-paced submissions** (`bench/web_bench.py`): wrk keeps 16 connections submitting
  a theme-1 attempt with its 10 answers as fast as the server answers, 3 rounds of 4 s;
  stored per second is the attempts stored in the database over the seconds of load. The
  hello app, the lesson page and the quiz page (a new seed per request) are measured under
  the same gunicorn for information only; each run comes between two hello runs and its
  ratio is taken against their mean (the shared machine's speed drifts).
- **Burst**: 300 participants join a self-paced session and answer its 10 questions as
  fast as 50 client threads can send the requests, on SQLite then PostgreSQL; every
  request's latency counts.
- **Build**: 5 rounds of `coopkit build` and `coopkit build --jobs 1`, each run between
  two runs of pandoc; a run's ratio is its time over the mean of those two pandoc runs,
  and each row gives the median ratio and median time. `coopkit build` renders the decks
  in parallel (one forked process per deck, as many as CPUs, at most 4); pandoc converts
  one Markdown file after another.
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
    chosen = list(argv) or list(DEFAULT)
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
                f"failed: {type(error).__name__}: {str(error).splitlines()[0]}",
                "—",
                None,
                "runs",
                False,
            )
    elapsed = time.perf_counter() - started
    text = table.markdown()
    print(text)
    if set(chosen) != set(DEFAULT):  # a part only: printed, the report keeps the whole run
        print(f"bench: {', '.join(chosen)} only; docs/benchmarks.md left as it is", file=sys.stderr)
        return 0 if table.all_ok else 1
    report = REPO / "docs" / "benchmarks.md"
    old = report.read_text(encoding="utf-8") if report.exists() else ""
    kept = old[old.index(KEPT) :] if KEPT in old else ""  # written by hand: the changes measured
    report.parent.mkdir(exist_ok=True)
    report.write_text(
        "# Benchmarks\n\n"
        "Service levels measured on this machine, with the figures that are only for "
        "information beside them.\nReproduce with `make bench` (`make bench-room` for the "
        "live session of 1,000 phones).\n\n"
        f"Machine: {machine()}.\n\nMeasured {time.strftime('%Y-%m-%d')} in {elapsed:.0f} s.\n\n"
        f"{text}\n\n{NOTES}{kept}",
        encoding="utf-8",
    )
    print(f"bench: wrote {report.relative_to(REPO)} ({elapsed:.0f} s)", file=sys.stderr)
    return 0 if table.all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
