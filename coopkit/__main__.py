"""The ``coopkit`` command (and ``python -m coopkit``)."""

from __future__ import annotations


def run() -> None:
    """Run the command line."""
    from coopkit.cli import main

    main()


if __name__ == "__main__":
    run()
