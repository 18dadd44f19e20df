"""Questions that give away another's answer in the same attempt.

A written answer (a short text, a number) is only worth asking if no other question
on the page shows it: « Sous quel autre nom la CRM est-elle connue ? » teaches
nothing next to a matching question labelled « CRM – Conférence régionale sur les
migrations (Processus de Puebla) ». The check is textual, as a learner would read
the page: an accepted answer as a whole phrase (accents, case and apostrophes aside,
as grading compares them), or the expected number within its tolerance, anywhere in
what another question shows before it is answered (prompt, choices, items; not the
explanation, which only comes with the results).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from course.kinds import ConcreteQuestion, kind_of
from course.responses import normalise_text

# Numbers as French text writes them, after ``normalise_text`` (spaces made plain):
# 132, 1 000, 2,5.
# A comma between digits is a decimal one; « 2, 5 et 7 » lists three numbers.
_NUMBER = re.compile(r"(?<!\d)(?<!\d,)(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?(?!,?\d)")


@dataclass(frozen=True)
class Read:
    """What a question shows before it is answered, and the written answer it expects."""

    shown: str
    numbers: tuple[float, ...]  # every number ``shown`` holds
    phrases: tuple[str, ...] = ()  # accepted short answers, normalised
    number: tuple[float, float] | None = None  # (lowest, highest) accepted
    expects_writing: bool = field(init=False)  # only written answers can be given away

    def __post_init__(self) -> None:
        writing = bool(self.phrases) or self.number is not None
        object.__setattr__(self, "expects_writing", writing)

    def reveals(self, other: Read) -> bool:
        """Whether this question's text shows an answer ``other`` expects to be written."""
        # ``in`` first: a plain search is a fraction of the whole-word one, rarely needed.
        if any(p in self.shown and _whole_words(p).search(self.shown) for p in other.phrases):
            return True
        if other.number is None:
            return False
        lowest, highest = other.number
        return any(lowest <= number <= highest for number in self.numbers)


def read(question: ConcreteQuestion) -> Read:
    """The question as the giveaway check reads it."""
    shown = normalise_text(" | ".join(kind_of(question).shown(question)))
    numbers = tuple(float(n.replace(" ", "").replace(",", ".")) for n in _NUMBER.findall(shown))
    phrases, number = kind_of(question).written(question)
    return Read(shown, numbers, phrases=phrases, number=number)


def clashes(new: Read, chosen: list[Read]) -> bool:
    """Whether ``new`` and one of the ``chosen`` questions give each other's answer away."""
    if any(new.reveals(old) for old in chosen if old.expects_writing):
        return True
    return new.expects_writing and any(old.reveals(new) for old in chosen)


@lru_cache(maxsize=1024)
def _whole_words(answer: str) -> re.Pattern[str]:
    # Whole words only: « lima » is given away by « Processus de Lima », not by « climat ».
    return re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)")
