"""The life of a workshop session, as pure state machines.

A session's *status* says whether people can join and answer: ``open`` → ``closed``
→ ``archived`` (hidden from the facilitator's list, results kept).

The live quiz is paced by the facilitator. Its *phase* moves through each question:
``lobby`` → ``asking`` (answers accepted) → ``closed`` (answers refused, the
distribution is shown) → ``revealed`` (right answer and explanation) → ``asking`` the
next question… → ``finished``. Only ``asking`` accepts answers, so an answer sent
after the facilitator closed a question is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Whether a session can be joined and answered."""

    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Phase(StrEnum):
    """Where the live quiz stands."""

    LOBBY = "lobby"
    ASKING = "asking"
    CLOSED = "closed"
    REVEALED = "revealed"
    FINISHED = "finished"


class Pace(StrEnum):
    """Who moves from one question to the next."""

    LIVE = "live"  # the facilitator, question by question, on the projector
    SELF = "self"  # each participant, at their own pace


class IllegalTransition(ValueError):
    """An action that does not apply in the current state (e.g. reveal before closing)."""


STATUS_LABELS = {Status.OPEN: "ouverte", Status.CLOSED: "fermée", Status.ARCHIVED: "archivée"}
PACE_LABELS = {Pace.LIVE: "en direct", Pace.SELF: "à son rythme"}

_STATUS_MOVES = {
    "close": ({Status.OPEN}, Status.CLOSED),
    "archive": ({Status.OPEN, Status.CLOSED}, Status.ARCHIVED),
}


def next_status(status: Status, action: str) -> Status:
    """The status after ``action`` (``close``, ``archive``), or ``IllegalTransition``."""
    if action not in _STATUS_MOVES:
        raise IllegalTransition(f"unknown session action '{action}'")
    sources, target = _STATUS_MOVES[action]
    if status not in sources:
        raise IllegalTransition(f"cannot {action} a session that is {status}")
    return target


@dataclass(frozen=True)
class LiveState:
    """The phase of the live quiz and the (0-based) index of the current question."""

    phase: Phase = Phase.LOBBY
    index: int | None = None

    def accepts_answers_for(self, index: int) -> bool:
        """True when question ``index`` is the one open for answers."""
        return self.phase is Phase.ASKING and self.index == index


LIVE_ACTIONS = ("start", "close", "reveal", "next", "finish")


def allowed_actions(state: LiveState, count: int) -> list[str]:
    """The actions the facilitator can take now, in the order the buttons are shown."""
    return [action for action in LIVE_ACTIONS if _can(state, action, count)]


def _can(state: LiveState, action: str, count: int) -> bool:
    try:
        advance(state, action, count)
    except IllegalTransition:
        return False
    return True


def advance(state: LiveState, action: str, count: int) -> LiveState:
    """The state after ``action`` in a quiz of ``count`` questions, or ``IllegalTransition``."""
    phase, index = state.phase, state.index
    if action == "start" and phase is Phase.LOBBY and count > 0:
        return LiveState(Phase.ASKING, 0)
    if action == "close" and phase is Phase.ASKING:
        return LiveState(Phase.CLOSED, index)
    if action == "reveal" and phase is Phase.CLOSED:
        return LiveState(Phase.REVEALED, index)
    if action == "next" and phase is Phase.REVEALED and index is not None:
        if index + 1 < count:
            return LiveState(Phase.ASKING, index + 1)
        return LiveState(Phase.FINISHED, None)
    if action == "finish" and phase is not Phase.FINISHED:
        return LiveState(Phase.FINISHED, None)
    if action not in LIVE_ACTIONS:
        raise IllegalTransition(f"unknown live action '{action}'")
    raise IllegalTransition(f"cannot {action} when the quiz is {phase}")
