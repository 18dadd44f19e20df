"""What the answers say: distributions for the projector, item analysis for the facilitator.

Pure functions over stored answers, so they are easy to test and to reuse in the
dashboard, the printable summary and the CSV export. The item analysis follows
Moodle's quiz statistics: the *facility* of a question is the mean score as a share
of its maximum, and the most frequent wrong answer shows which misconception to
address in the debrief.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from course.attempts import Item
from course.course import sort_key
from course.kinds import UNANSWERED, ConcreteQuestion, kind_of
from course.responses import is_blank

OTHERS = "Autres réponses"
MAX_FREE_BARS = 6


@dataclass(frozen=True)
class StoredAnswer:
    """One participant's answer to one item, as the database keeps it."""

    participant_id: int
    key: str
    response: object
    score: float
    maximum: float

    @property
    def correct(self) -> bool:
        """True when the full score was earned."""
        return self.maximum > 0 and self.score >= self.maximum - 1e-9


@dataclass(frozen=True)
class Bar:
    """One bar of a distribution: what was answered, by how many, and whether it is right."""

    label: str
    count: int
    correct: bool


@dataclass(frozen=True)
class ItemStats:
    """The statistics of one question across a session."""

    key: str
    number: int
    prompt: str
    answered: int
    fully_correct: int
    facility: float | None  # mean score / maximum, in percent; None when nobody answered
    top_wrong: tuple[str, int] | None  # the most frequent wrong answer and how many gave it


@dataclass(frozen=True)
class Standing:
    """A participant's place: answered questions, score, rank (ties share a rank)."""

    participant_id: int
    name: str
    answered: int
    score: float
    rank: int


def response_label(question: ConcreteQuestion, response: object) -> str:
    """A short French text for a response, as the distribution and the exports show it."""
    if is_blank(response):
        return UNANSWERED
    return kind_of(question).response_label(question, response)


def correct_answer_label(question: ConcreteQuestion) -> str:
    """The right answer in words, as the projector and the phones reveal it."""
    return kind_of(question).right_answer(question)


def _group_key(question: ConcreteQuestion, response: object) -> str:
    """Responses that mean the same thing share a key (« Bali » and « bali »)."""
    return kind_of(question).same_answer(response_label(question, response))


def distribution(item: Item, answers: Iterable[StoredAnswer]) -> list[Bar]:
    """The bars of the answer distribution of one item.

    Questions answered by picking get one bar per answer offered, in the order
    participants saw them (a multiple-choice bar counts who ticked that choice); other
    types get one bar per distinct answer, most frequent first, the tail grouped.
    """
    question = item.question
    kind = kind_of(question)
    given = [a for a in answers if a.key == item.key]
    offered = kind.offered(question, item.order)
    if offered is None:
        return _free_distribution(question, given)
    counts = Counter(v for a in given if not is_blank(a.response) for v in kind.picked(a.response))
    bars = [Bar(label, counts[value], right) for value, label, right in offered]
    blank = sum(is_blank(a.response) for a in given)
    return [*bars, Bar(UNANSWERED, blank, False)] if blank else bars


@dataclass(frozen=True)
class PartRow:
    """One pair of a matching (or one place of an ordering) across the room's answers."""

    label: str  # the left item, or « 1 », « 2 »… for an ordering's places
    expected: str  # its right answer
    top: str | None  # the answer most often given for it (None: nobody answered)
    top_count: int
    right: int  # how many gave the right one
    answered: int


def part_rows(item: Item, answers: Iterable[StoredAnswer]) -> list[PartRow] | None:
    """Per pair of a matching, per place of an ordering: the right answer, the most frequent
    one and how many got it right. A whole mapping per bar does not fit on a projector; one
    row per pair does. None for other question types."""
    question = item.question
    given = [a.response for a in answers if a.key == item.key and not is_blank(a.response)]
    if question.type == "matching":
        parts = [
            (p.left, p.right, [r.get(p.left) for r in given if isinstance(r, dict)])
            for p in question.pairs
        ]
    elif question.type == "ordering":
        parts = [
            (
                f"{n}",
                text,
                [r[n - 1] if len(r) >= n else None for r in given if isinstance(r, list)],
            )
            for n, text in enumerate(question.items, start=1)
        ]
    else:
        return None
    rows = []
    for label, expected, chosen in parts:
        counts = Counter(c for c in chosen if c)
        top, top_count = (
            min(counts.items(), key=lambda kv: (-kv[1], sort_key(kv[0]))) if counts else (None, 0)
        )
        rows.append(PartRow(label, expected, top, top_count, counts[expected], len(given)))
    return rows


def _free_distribution(question: ConcreteQuestion, given: list[StoredAnswer]) -> list[Bar]:
    groups: dict[str, list[StoredAnswer]] = {}
    for answer in given:
        groups.setdefault(_group_key(question, answer.response), []).append(answer)
    ranked = sorted(groups.values(), key=lambda g: (-len(g), sort_key(_label(question, g))))
    bars = [Bar(_label(question, g), len(g), g[0].correct) for g in ranked]
    if len(bars) > MAX_FREE_BARS:
        tail = bars[MAX_FREE_BARS - 1 :]
        bars = [*bars[: MAX_FREE_BARS - 1], Bar(OTHERS, sum(b.count for b in tail), False)]
    return bars


def _label(question: ConcreteQuestion, group: list[StoredAnswer]) -> str:
    """The label of a group of equivalent answers: the first one given."""
    return response_label(question, group[0].response)


def item_statistics(items: Sequence[Item], answers: Iterable[StoredAnswer]) -> list[ItemStats]:
    """Per question: how many answered, how many fully right, facility, top wrong answer."""
    by_key: dict[str, list[StoredAnswer]] = {item.key: [] for item in items}
    for answer in answers:
        if answer.key in by_key:
            by_key[answer.key].append(answer)
    stats = []
    for number, item in enumerate(items, start=1):
        given = by_key[item.key]
        maximum = sum(a.maximum for a in given)
        facility = 100 * sum(a.score for a in given) / maximum if maximum else None
        wrong = Counter(
            _group_key(item.question, a.response)
            for a in given
            if not a.correct and not is_blank(a.response)
        )
        top_wrong = None
        if wrong:
            # Ties go to the answer that sorts first, so the result does not depend on order.
            key, count = min(wrong.items(), key=lambda kv: (-kv[1], sort_key(kv[0])))
            label = next(
                response_label(item.question, a.response)
                for a in given
                if _group_key(item.question, a.response) == key
            )
            top_wrong = (label, count)
        stats.append(
            ItemStats(
                key=item.key,
                number=number,
                prompt=item.question.prompt,
                answered=len(given),
                fully_correct=sum(a.correct for a in given),
                facility=facility,
                top_wrong=top_wrong,
            )
        )
    return stats


def standings(
    participants: Iterable[tuple[int, str]], answers: Iterable[StoredAnswer]
) -> list[Standing]:
    """Participants by score (highest first, then name); equal scores share a rank."""
    scores: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for answer in answers:
        scores[answer.participant_id] += answer.score
        answered[answer.participant_id] += 1
    people = sorted(participants, key=lambda p: (-round(scores[p[0]], 9), sort_key(p[1])))
    result: list[Standing] = []
    for position, (pid, name) in enumerate(people, start=1):
        score = scores[pid]
        tied = result and abs(result[-1].score - score) < 1e-9
        rank = result[-1].rank if tied else position
        result.append(Standing(pid, name, answered[pid], score, rank))
    return result
