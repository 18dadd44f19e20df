"""The quiz in the room: about five questions per theme in the deck, the rest in an
appendix after the sources, and the theme's programme (pauses and quiz) on its own slide."""

from __future__ import annotations

import pytest

from course import load_course, models
from course.typography import french
from slides_builder.deck import module_deck, programme_lines, programme_slots
from slides_builder.questions import module_questions, split_for_the_room
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def shipped():
    return load_course(REPO_ROOT)


def test_the_room_gets_five_questions_spread_over_the_bank():
    bank = list(range(10))
    room, rest = split_for_the_room(bank)
    assert room == [0, 2, 5, 7, 9] or room == [1, 3, 5, 7, 9]
    assert sorted(room + rest) == bank and len(room) == 5
    assert split_for_the_room([1, 2, 3]) == ([1, 2, 3], [])


@pytest.mark.parametrize("module_id", ["theme-1", "theme-2", "theme-3"])
def test_five_questions_in_the_room_and_the_rest_after_the_sources(shipped, module_id):
    module = shipped.module(module_id)
    _, records = module_deck(shipped, module)
    kinds = [r.kind for r in records]
    titles = [r.title for r in records]
    asked = [r.slide_id for r in records if r.kind == "question"]
    assert sorted(asked) == sorted(q.id for q in module_questions(shipped, module))
    quiz = titles.index("Quiz")
    sources = kinds.index("sources")
    room = [r for r in records[quiz:sources] if r.kind == "question"]
    assert len(room) == 5
    assert [r.title for r in room] == [f"Question {n} sur 5" for n in range(1, 6)]
    appendix = [r for r in records[sources:] if r.kind == "question"]
    assert len(room) + len(appendix) == len(asked)
    assert all(r.title.startswith("Question supplémentaire") for r in appendix)
    last_source = max(n for n, kind in enumerate(kinds) if kind == "sources")
    assert records[last_source + 1].title == "Annexe\u00a0: questions supplémentaires"


def test_the_programme_slide_shows_the_theme_slots_with_pauses_and_quiz(shipped):
    module = shipped.module("theme-1")
    slots = programme_slots(shipped, module)
    assert {item.kind for _, item in slots} >= {"module", "break", "quiz"}
    prs, records = module_deck(shipped, module)
    slide = prs.slides[2]
    assert records[2].kind == "programme"
    assert records[2].title.startswith("Programme\u00a0: jour 1, ")
    body = slide.placeholders[1].text_frame.text
    for _, item in slots:
        assert f"{item.start}–{item.end}" in body
    assert "Pause" in body and "Quiz du thème 1" in body
    quiz = next(item for _, item in slots if item.kind == "quiz")
    divider = prs.slides[[r.title for r in records].index("Quiz")]
    assert f"5 questions · {quiz.minutes} min" in divider.placeholders[1].text_frame.text


def test_a_theme_over_two_days_lists_each_day(shipped):
    def slot(start, minutes, kind, title):
        return models.ProgrammeItem(
            start=start, minutes=minutes, kind=kind, title=title, module="theme-2"
        )

    slots = [
        ("Jour 1", slot("15:35", 75, "module", "Thème 2 : les Amériques")),
        ("Jour 2", slot("09:10", 95, "module", "Thème 2 : le monde")),
        ("Jour 2", models.ProgrammeItem(start="10:45", minutes=15, kind="break", title="Pause")),
        ("Jour 2", slot("11:00", 15, "quiz", "Quiz du thème 2")),
    ]
    title, lines = programme_lines(shipped.module("theme-2"), slots)
    assert title == french("Programme : jour 1, 15:35–16:50 ; jour 2, 09:10–11:15")
    assert [text for text, _, _ in lines] == [
        "Jour 1",
        "15:35–16:50 · Les Amériques",
        "Jour 2",
        "09:10–10:45 · Le monde",
        "10:45–11:00 · Pause",
        "11:00–11:15 · Quiz du thème 2",
    ]
