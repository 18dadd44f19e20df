"""Attempts: the questions a learner gets (a ``Draw``), reproducible from a seed, and graded.

A bank is every concrete question of a quiz (its generated recipes materialised).
A draw takes N of them (optionally only some tags or types), shuffles the choices,
matching right-hand items and ordering items, and keeps the seed so the same draw can
be rebuilt later (to grade an attempt at it, or to show it again). Randomness only
ever comes from ``random.Random(seed)``, never from the global generator. A learner's
stored attempt (``webapp.models.Attempt``) keeps the quiz, the seed and the answers.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass

from course import giveaways, models
from course.course import Course
from course.generate import QUESTION_TYPE, GenerationError, generate
from course.grading import Grade, InvalidResponse, grade
from course.kinds import ConcreteQuestion, kind_of
from course.responses import EPSILON

CONCRETE_TYPES = frozenset(models.QUESTION_TYPES - {"generated"})
Slot = tuple[str, "models.Question | models.Generated"]  # (its quiz's id, a bank entry)


@dataclass(frozen=True)
class Item:
    """One question of an attempt, with its key and the order its parts are shown in."""

    key: str
    question: ConcreteQuestion
    order: tuple[str, ...]


@dataclass(frozen=True)
class Draw:
    """The questions one learner answers, rebuilt identically from ``quiz_id`` and ``seed``."""

    quiz_id: str
    seed: int
    items: tuple[Item, ...]
    pass_percent: int


class UnknownQuiz(KeyError):
    """No quiz has this id."""

    def __str__(self) -> str:
        return str(self.args[0])


def derive_seed(seed: int, *labels: object) -> int:
    """A seed for one purpose (``labels``) derived from ``seed``; stable across runs."""
    text = ":".join(map(str, (seed, *labels)))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def quiz_of(course: Course, quiz_id: str) -> models.Quiz:
    """The quiz with this id, or ``UnknownQuiz`` naming the ones that exist."""
    try:
        return course.quizzes[quiz_id]
    except KeyError:
        known = ", ".join(sorted(course.quizzes)) or "none"
        raise UnknownQuiz(f"no quiz '{quiz_id}' (quizzes: {known})") from None


def bank(course: Course, quiz_id: str, seed: int = 0) -> list[ConcreteQuestion]:
    """Every concrete question of a quiz's own ``questions``, recipes generated with ``seed``."""
    return [
        question
        for owner, entry in _slots(course, quiz_id)
        for question in _concrete(course, owner, entry, seed)
    ]


def _slots(course: Course, quiz_id: str) -> list[Slot]:
    """The bank's entries, each with its quiz: a written question or a recipe."""
    return [(quiz_id, question) for question in quiz_of(course, quiz_id).questions]


def _concrete(course: Course, quiz_id: str, entry, seed: int) -> list[ConcreteQuestion]:
    """A written question alone, or a recipe's variants generated for ``seed``."""
    if isinstance(entry, models.Generated):
        return generate(course, entry, derive_seed(seed, quiz_id, entry.id))
    return [entry]


def check_quiz(course: Course, quiz_id: str, seeds: int = 5) -> list[tuple[tuple, str]]:
    """Problems ``draw`` would meet, as (YAML location, message): recipes the dataset
    cannot build (tried with ``seeds`` seeds) and draws larger than their bank."""
    quiz = quiz_of(course, quiz_id)
    problems: list[tuple[tuple, str]] = []
    for index, question in enumerate(quiz.questions):
        if isinstance(question, models.Generated):
            for seed in range(seeds):
                try:
                    generate(course, question, derive_seed(seed, quiz_id, question.id))
                except GenerationError as exc:
                    problems.append((("questions", index), str(exc)))
                    break
    # A written question or a recipe is one question of a draw.
    offered = len(quiz.questions) + sum(part.count for part in quiz.draw_from)
    if quiz.draw is not None and quiz.draw > offered:
        problems.append((("draw",), f"draws {quiz.draw} questions but offers only {offered}"))
    for index, part in enumerate(quiz.draw_from):
        source = course.quizzes.get(part.quiz)
        if part.quiz == quiz_id:
            problems.append((("draw_from", index, "quiz"), "a quiz cannot draw from itself"))
        elif source is not None and part.count > len(source.questions):
            problems.append(
                (
                    ("draw_from", index, "count"),
                    f"draws {part.count} questions from '{part.quiz}', which has "
                    f"{len(source.questions)} (a recipe counts as one)",
                )
            )
    return problems


def unavoidable_giveaways(course: Course, quiz_id: str) -> list[tuple[tuple, str]]:
    """Written questions of a quiz that asks all of them, whose answer another one shows.

    ``draw`` keeps such questions apart when it has a choice; a quiz that asks all its
    questions leaves it none, so the author hears of it: (YAML location, message).
    """
    quiz = quiz_of(course, quiz_id)
    offered = len(quiz.questions) + sum(part.count for part in quiz.draw_from)
    if quiz.draw is not None and quiz.draw < offered:
        return []
    written = [
        (index, question.id, giveaways.read(question))
        for index, question in enumerate(quiz.questions)
        if not isinstance(question, models.Generated)
    ]
    return [
        (
            ("questions", index),
            f"'{shown_by}' shows the answer to '{asked}', and every attempt asks both: "
            "draw fewer questions or reword one",
        )
        for index, asked, answer in written
        for _, shown_by, shown in written
        if shown_by != asked and shown.reveals(answer)
    ]


def draw(
    course: Course,
    quiz_id: str,
    seed: int,
    count: int | None = None,
    tags: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> Draw:
    """Draw ``count`` questions (default: the quiz's ``draw``, else all), shuffled.

    ``tags`` keeps questions carrying at least one of them; ``types`` keeps those
    types (``single``, ``matching``…). A quiz with ``draw_from`` adds, for each entry,
    ``count`` questions drawn from that quiz's bank. Generated questions are
    materialised with a seed derived from ``seed``; a recipe counts as one question
    and gives one of its variants. No question shows another's written answer, where
    the quiz leaves a choice (``giveaways``).
    """
    quiz = quiz_of(course, quiz_id)
    wanted = _filter(tags, types)
    rng = random.Random(seed)
    # A ticket is one question of the attempt, taken from its list of slots: a quiz's
    # own entries have a list each; the tickets of a draw_from entry share one
    # shuffled list of that quiz's entries, the ones after the first in reserve.
    tickets: list[list[Slot]] = [[slot] for slot in _slots(course, quiz_id) if wanted(slot[1])]
    for part in quiz.draw_from:
        candidates = [slot for slot in _slots(course, part.quiz) if wanted(slot[1])]
        if len(candidates) < part.count:
            raise ValueError(
                f"quiz '{quiz_id}' draws {part.count} questions from '{part.quiz}', "
                f"which has only {len(candidates)} that fit"
            )
        reserve = rng.sample(candidates, len(candidates))
        tickets += [reserve] * part.count
    size = count if count is not None else (quiz.draw or len(tickets))
    if size < 1:
        raise ValueError(f"an attempt needs at least one question (asked for {size})")
    if size > len(tickets):
        raise ValueError(
            f"quiz '{quiz_id}' has {len(tickets)} questions that fit; cannot draw {size}"
        )
    chosen = _without_giveaways(course, seed, rng, rng.sample(tickets, len(tickets)), size)
    items = tuple(
        Item(key=f"q{n}", question=question, order=presentation_order(question, rng))
        for n, question in enumerate(chosen, start=1)
    )
    return Draw(quiz_id=quiz_id, seed=seed, items=items, pass_percent=quiz.pass_percent)


def _without_giveaways(
    course: Course, seed: int, rng: random.Random, tickets: list[list[Slot]], size: int
) -> list[ConcreteQuestion]:
    """``size`` questions, one per ticket in order, none showing another's written answer.

    A question whose answer a chosen one shows (or which shows a chosen one's) is set
    aside, and its ticket takes its next slot in reserve if it has one. Only when the
    quiz leaves no other choice (it asks every question it has) do set-aside questions
    fill the attempt. A recipe gives one of its variants: two versions of the same
    question in one attempt teach nothing.
    """
    chosen: list[ConcreteQuestion] = []
    reads: list[giveaways.Read] = []
    set_aside: list[ConcreteQuestion] = []
    for ticket in tickets:
        if len(chosen) == size:
            break
        while ticket:
            owner, entry = ticket.pop(0)
            question = rng.choice(_concrete(course, owner, entry, seed))
            if isinstance(entry, models.Generated):
                seen = giveaways.read(question)
            elif (seen := course.written_reads.get((owner, entry.id))) is None:
                seen = course.written_reads[owner, entry.id] = giveaways.read(question)
            if giveaways.clashes(seen, reads):
                set_aside.append(question)
            else:
                chosen.append(question)
                reads.append(seen)
                break
    return chosen + set_aside[: size - len(chosen)]


def presentation_order(question: ConcreteQuestion, rng: random.Random) -> tuple[str, ...]:
    """The shuffled order of a question's parts (choice ids, right-hand texts, items)."""
    return kind_of(question).order(question, rng)


@dataclass(frozen=True)
class AttemptResult:
    """The result of an attempt: totals, percentage, pass or fail, and each item's grade."""

    score: float
    maximum: float
    percent: float
    passed: bool
    grades: dict[str, Grade]


def grade_attempt(drawn: Draw, responses: dict[str, object]) -> AttemptResult:
    """Grade every item of a draw; a missing response is unanswered."""
    keys = {item.key for item in drawn.items}
    unknown = sorted(set(responses) - keys)
    if unknown:
        raise InvalidResponse(
            f"responses for items not in quiz '{drawn.quiz_id}' (seed {drawn.seed}): "
            f"{', '.join(map(str, unknown))}"
        )
    grades = {item.key: grade(item.question, responses.get(item.key)) for item in drawn.items}
    score = sum(g.score for g in grades.values())
    maximum = sum(g.maximum for g in grades.values())
    percent = 100 * score / maximum if maximum else 0.0
    return AttemptResult(
        score=score,
        maximum=maximum,
        percent=percent,
        passed=percent >= drawn.pass_percent - EPSILON,
        grades=grades,
    )


def _filter(tags: Iterable[str] | None, types: Iterable[str] | None):
    """A predicate keeping bank entries with one of ``tags`` and one of ``types``."""
    tag_set = set(tags) if tags else None
    type_set = set(types) if types else None
    if type_set and not type_set <= CONCRETE_TYPES:
        unknown = ", ".join(sorted(type_set - CONCRETE_TYPES))
        raise ValueError(
            f"unknown question type {unknown}; expected one of {', '.join(sorted(CONCRETE_TYPES))}"
        )

    if tag_set is None and type_set is None:
        return lambda _entry: True  # a learner's attempt: every question of the bank

    def wanted(entry) -> bool:
        """Whether a written question or a recipe (by the type it makes) is kept."""
        if tag_set is not None and not tag_set & set(entry.tags):
            return False
        kind = QUESTION_TYPE[entry.generator] if isinstance(entry, models.Generated) else entry.type
        return type_set is None or kind in type_set

    return wanted
