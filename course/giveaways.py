"""Questions that give away another's answer in the same attempt.

A written answer (a short text, a number) is only worth asking if no other question
on the page shows it: « Sous quel autre nom la CRM est-elle connue ? » teaches
nothing next to a matching question labelled « CRM – Conférence régionale sur les
migrations (Processus de Puebla) ». The check is textual, as a learner would read
the page: an accepted answer as a whole phrase (accents, case and apostrophes aside,
as grading compares them), or the expected number within its tolerance, anywhere in
what another question shows before it is answered (prompt, choices, items; not the
explanation, which only comes with the results).

A choice question is given away too when another question shows its right option:
the words that set the right option apart from the wrong ones (« Colombo », « Golfe »
for « Les participants au Processus de Colombo et le Conseil de coopération du Golfe »
against « L'Union européenne et la CEDEAO »…), on a page that also speaks of what the
prompt asks about (at least half of its significant words). A true/false statement
or an ordering is not read this way: their answer is no phrase a page could show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from math import ceil

from course import models
from course.kinds import ConcreteQuestion, kind_of
from course.responses import normalise_text

# Numbers as French text writes them, after ``normalise_text`` (spaces made plain):
# 132, 1 000, 2,5.
# A comma between digits is a decimal one; « 2, 5 et 7 » lists three numbers.
_NUMBER = re.compile(r"(?<!\d)(?<!\d,)(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?(?!,?\d)")


# Words too common to tell an option from another or a subject from another.
_STOP = frozenset(
    """
    les des une aux par pour sur dans avec sans entre qui que quoi quel quelle quels
    quelles est sont ont ete etre avoir elle elles ils leur leurs son ses cette ces cet
    plus moins tous tout toute toutes selon pas mais lesquels lesquelles laquelle lequel
    dont comme aussi tres bien fait faire peut
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    """The significant words of normalised text (three letters or more, or digits)."""
    return frozenset(
        w for w in _WORD.findall(text) if (len(w) >= 3 or w.isdigit()) and w not in _STOP
    )


@dataclass(frozen=True)
class Read:
    """What a question shows before it is answered, and the answer it expects."""

    shown: str
    numbers: tuple[float, ...]  # every number ``shown`` holds
    phrases: tuple[str, ...] = ()  # accepted short answers, normalised
    number: tuple[float, float] | None = None  # (lowest, highest) accepted
    # Choice questions: the words of the prompt, and of each right option the words
    # no wrong option has; how many right options a page must show to give it away.
    prompt_words: frozenset[str] = frozenset()
    option_keys: tuple[frozenset[str], ...] = ()
    keys_needed: int = 0
    words: frozenset[str] = field(init=False)  # the significant words ``shown`` holds
    expects_writing: bool = field(init=False)  # a written answer (short text, number)
    can_be_given: bool = field(init=False)  # an answer a page can show: written or chosen

    def __post_init__(self) -> None:
        writing = bool(self.phrases) or self.number is not None
        object.__setattr__(self, "expects_writing", writing)
        object.__setattr__(self, "can_be_given", writing or bool(self.option_keys))
        object.__setattr__(self, "words", _words(self.shown))

    def reveals(self, other: Read) -> bool:
        """Whether this question's text shows the answer ``other`` expects."""
        # ``in`` first: a plain search is a fraction of the whole-word one, rarely needed.
        if any(p in self.shown and _whole_words(p).search(self.shown) for p in other.phrases):
            return True
        if other.number is not None:
            lowest, highest = other.number
            if any(lowest <= number <= highest for number in self.numbers):
                return True
        if not other.option_keys:
            return False
        about = other.prompt_words
        if 2 * len(about & self.words) < len(about):
            return False  # not the same subject: a name alone gives nothing away
        shown = sum(1 for key in other.option_keys if _covers(self.words, key))
        return shown >= other.keys_needed


def read(question: ConcreteQuestion) -> Read:
    """The question as the giveaway check reads it."""
    shown = normalise_text(" | ".join(kind_of(question).shown(question)))
    numbers = tuple(float(n.replace(" ", "").replace(",", ".")) for n in _NUMBER.findall(shown))
    phrases, number = kind_of(question).written(question)
    if phrases or number is not None:
        return Read(shown, numbers, phrases=phrases, number=number)
    if isinstance(question, models.SingleChoice | models.MultipleChoice):
        right = (
            {question.answer}
            if isinstance(question, models.SingleChoice)
            else set(question.answers)
        )
        prompt_words = _words(normalise_text(question.prompt))
        wrong = frozenset().union(
            *(_words(normalise_text(c.text)) for c in question.choices if c.id not in right)
        )
        keys = tuple(
            key
            for choice in question.choices
            if choice.id in right
            and (key := _words(normalise_text(choice.text)) - wrong - prompt_words)
        )
        # A single answer is given by its option; several by half of them at least.
        needed = ceil(len(keys) / 2) if keys else 0
        return Read(shown, numbers, prompt_words=prompt_words, option_keys=keys, keys_needed=needed)
    return Read(shown, numbers)


def _covers(words: frozenset[str], key: frozenset[str]) -> bool:
    """Whether ``words`` hold a right option's distinctive words: all of one or two,
    three quarters of more (a page may word the same option a little differently)."""
    wanted = len(key) if len(key) <= 2 else ceil(0.75 * len(key))
    return len(key & words) >= wanted


def clashes(new: Read, chosen: list[Read]) -> bool:
    """Whether ``new`` and one of the ``chosen`` questions give each other's answer away."""
    if any(new.reveals(old) for old in chosen if old.can_be_given):
        return True
    return new.can_be_given and any(old.reveals(new) for old in chosen)


@lru_cache(maxsize=1024)
def _whole_words(answer: str) -> re.Pattern[str]:
    # Whole words only: « lima » is given away by « Processus de Lima », not by « climat ».
    return re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)")
