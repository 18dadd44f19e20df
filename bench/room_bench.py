"""The live session with 1,000 phones, on SQLite and PostgreSQL: reported, no target yet (the
workshop-room issue sets it). Run apart (``make bench-room``): ten 20 s questions on each
database take about 9 minutes, which would double ``make bench``."""

from __future__ import annotations

from bench.common import Table
from bench.live_bench import run_bench as run_live

PHONES = 1000


def run_bench(table: Table) -> None:
    """The live-session rows with 1,000 phones."""
    run_live(table, PHONES)
