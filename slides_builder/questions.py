"""Quiz questions worded for a room: the question as shown, and its answer key.

Shared by the deck (question and answer slides) and the facilitator guide (answer keys).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from course import models
from course.attempts import bank, derive_seed, draw, presentation_order
from course.course import Course
from course.grading import ConcreteQuestion, format_number
from course.typography import french

LETTERS = string.ascii_uppercase


@dataclass(frozen=True)
class Worded:
    """A question as the room sees it and its answer: instruction, options, answer lines."""

    question: ConcreteQuestion
    instruction: str | None
    options: list[str]
    answer: list[str]


def module_questions(course: Course, module: models.Module) -> list[ConcreteQuestion]:
    """The in-room quiz of a module: one attempt's worth of its bank (the quiz's ``draw``,
    seed 0, so every build asks the same), in the bank's order; none if it has no quiz."""
    quiz = course.quiz_for_module(module.id)
    if quiz is None:
        return []
    position = {question.id: n for n, question in enumerate(bank(course, quiz.id))}
    drawn = [item.question for item in draw(course, quiz.id, seed=0).items]
    return sorted(drawn, key=lambda q: position.get(q.id, len(position)))


ROOM_QUESTIONS = 5  # asked in the room; the others go to the deck's appendix


def split_for_the_room(
    questions: list[ConcreteQuestion], count: int = ROOM_QUESTIONS
) -> tuple[list[ConcreteQuestion], list[ConcreteQuestion]]:
    """The questions asked in the room (``count`` of them, spread evenly over the bank's
    order, so over the theme) and the others, for the appendix; both in the bank's order."""
    if len(questions) <= count:
        return list(questions), []
    picked = {int((i + 0.5) * len(questions) / count) for i in range(count)}
    room = [q for n, q in enumerate(questions) if n in picked]
    return room, [q for n, q in enumerate(questions) if n not in picked]


def word(question: ConcreteQuestion) -> Worded:
    """Word a question for slides and answer keys (stable: shuffles are seeded by its id)."""
    order = presentation_order(question, random.Random(derive_seed(0, "deck", question.id)))
    if isinstance(question, models.SingleChoice | models.MultipleChoice):
        labels = {c.id: f"{LETTERS[i]}. {c.text}" for i, c in enumerate(question.choices)}
        right = [question.answer] if isinstance(question, models.SingleChoice) else question.answers
        instruction = (
            "Plusieurs réponses possibles." if isinstance(question, models.MultipleChoice) else None
        )
        return Worded(question, instruction, list(labels.values()), [labels[r] for r in right])
    if isinstance(question, models.TrueFalse):
        return Worded(
            question, french("Vrai ou faux ?"), [], ["Vrai" if question.answer else "Faux"]
        )
    if isinstance(question, models.Matching):
        lefts = [f"{n}. {p.left}" for n, p in enumerate(question.pairs, start=1)]
        rights = {text: LETTERS[i] for i, text in enumerate(order)}
        options = lefts + [f"{rights[text]}. {text}" for text in order]
        answer = [
            f"{n}. {p.left} → {rights[p.right]}. {p.right}"
            for n, p in enumerate(question.pairs, start=1)
        ]
        return Worded(question, "Associez chaque élément numéroté à une lettre.", options, answer)
    if isinstance(question, models.Ordering):
        letters = {text: LETTERS[i] for i, text in enumerate(order)}
        options = [f"{letters[text]}. {text}" for text in order]
        answer = [f"{letters[text]}. {text}" for text in question.items]
        return Worded(question, "Remettez dans l’ordre.", options, answer)
    if isinstance(question, models.Numeric):
        unit = f" {question.unit}" if question.unit else ""
        tolerance = (
            f" (à ± {format_number(question.tolerance)}{unit} près)" if question.tolerance else ""
        )
        answer = [f"{format_number(question.answer)}{unit}{tolerance}"]
        return Worded(question, "Répondez par un nombre.", [], answer)
    if isinstance(question, models.ShortText):
        accepted = " ; ".join(question.accepted[1:])
        answer = [question.accepted[0]] + (
            [french(f"Aussi accepté : {accepted}")] if accepted else []
        )
        return Worded(question, "Répondez en quelques mots.", [], answer)
    raise TypeError(f"unknown question type {type(question).__name__}")  # pragma: no cover
