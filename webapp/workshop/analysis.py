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

from course import models
from course.attempts import Item
from course.course import sort_key
from course.grading import (
    FALSE_LABEL,
    TRUE_LABEL,
    ConcreteQuestion,
    InvalidResponse,
    format_number,
    grade,
    normalise_text,
    parse_number,
)

UNANSWERED = "(sans réponse)"
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


def _is_blank(response: object) -> bool:
    return response is None or response in ("", [], {})


def response_label(question: ConcreteQuestion, response: object) -> str:
    """A short French text for a response, as the distribution and the exports show it."""
    if _is_blank(response):
        return UNANSWERED
    if isinstance(question, models.SingleChoice):
        return _choice_texts(question).get(str(response), str(response))
    if isinstance(question, models.MultipleChoice):
        picked = set(response) if isinstance(response, list) else set()
        return " + ".join(c.text for c in question.choices if c.id in picked) or UNANSWERED
    if isinstance(question, models.TrueFalse):
        return TRUE_LABEL if response is True else FALSE_LABEL
    if isinstance(question, models.Matching) and isinstance(response, dict):
        return " ; ".join(f"{p.left} → {response.get(p.left) or '—'}" for p in question.pairs)
    if isinstance(question, models.Ordering) and isinstance(response, list):
        return " → ".join(map(str, response))
    if isinstance(question, models.Numeric):
        try:
            number = parse_number(response)
        except InvalidResponse:
            return str(response)
        return UNANSWERED if number is None else format_number(number)
    return str(response).strip()


def correct_answer_label(question: ConcreteQuestion) -> str:
    """The right answer in words, as the projector and the phones reveal it."""
    if isinstance(question, models.SingleChoice):
        return _choice_texts(question)[question.answer]
    if isinstance(question, models.MultipleChoice):
        return " + ".join(c.text for c in question.choices if c.id in question.answers)
    if isinstance(question, models.TrueFalse):
        return TRUE_LABEL if question.answer else FALSE_LABEL
    if isinstance(question, models.Matching):
        return " ; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    if isinstance(question, models.Ordering):
        return " → ".join(question.items)
    if isinstance(question, models.ShortText):
        return question.accepted[0]
    # Numeric: the grader words it with its tolerance and unit (« 1996 ± 1 an »).
    return grade(question, None).parts[0].expected


def _choice_texts(question: models.SingleChoice | models.MultipleChoice) -> dict[str, str]:
    return {c.id: c.text for c in question.choices}


def _group_key(question: ConcreteQuestion, response: object) -> str:
    """Responses that mean the same thing share a key (« Bali » and « bali »)."""
    label = response_label(question, response)
    return normalise_text(label) if isinstance(question, models.ShortText) else label


def distribution(item: Item, answers: Iterable[StoredAnswer]) -> list[Bar]:
    """The bars of the answer distribution of one item.

    Choice questions get one bar per choice in the order participants saw them (a
    multiple-choice bar counts who ticked that choice); true/false gets Vrai and Faux;
    other types get one bar per distinct answer, most frequent first, the tail grouped.
    """
    question = item.question
    given = [a for a in answers if a.key == item.key]
    if isinstance(question, models.SingleChoice):
        counts = Counter(str(a.response) for a in given if not _is_blank(a.response))
        texts = _choice_texts(question)
        bars = [Bar(texts[cid], counts[cid], cid == question.answer) for cid in item.order]
    elif isinstance(question, models.MultipleChoice):
        counts = Counter(cid for a in given if isinstance(a.response, list) for cid in a.response)
        texts = _choice_texts(question)
        bars = [Bar(texts[cid], counts[cid], cid in question.answers) for cid in item.order]
    elif isinstance(question, models.TrueFalse):
        counts = Counter(a.response for a in given if isinstance(a.response, bool))
        bars = [
            Bar(TRUE_LABEL, counts[True], question.answer is True),
            Bar(FALSE_LABEL, counts[False], question.answer is False),
        ]
    else:
        return _free_distribution(question, given)
    blank = sum(_is_blank(a.response) for a in given)
    return [*bars, Bar(UNANSWERED, blank, False)] if blank else bars


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
            if not a.correct and not _is_blank(a.response)
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
