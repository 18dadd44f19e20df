"""The workshop blueprint (mounted at ``/atelier``): facilitator and participant pages."""

from webapp.workshop import facilitator, participant  # noqa: F401 (their views join bp)
from webapp.workshop.common import bp, session_attempt

__all__ = ["bp", "session_attempt"]
