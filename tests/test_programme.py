"""The two-day programme: its slots hold together and hold the themes they present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course import ContentErrors, load_course
from course.timing import section_minutes

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def course():
    return load_course(REPO_ROOT)


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(REPO_ROOT / "modules", root / "modules")
    shutil.copytree(REPO_ROOT / "quizzes", root / "quizzes")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_course(root)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def test_two_days_from_nine_to_five_with_breaks_and_lunch(course):
    days = course.info.programme
    assert [d.title for d in days] == ["Jour 1", "Jour 2"]
    for day in days:
        assert (day.start, day.end) == ("09:00", "17:00")
        kinds = [item.kind for item in day.items]
        assert kinds.count("lunch") == 1 and kinds.count("break") == 2
        assert kinds[0] == "opening" and kinds[-1] == "close"
        lunch = next(i for i in day.items if i.kind == "lunch")
        assert lunch.minutes >= 60 and "12:00" <= lunch.start <= "13:00"
        for before, after in zip(day.items, day.items[1:], strict=False):
            assert after.start_minutes == before.end_minutes, (before.title, after.title)


def test_every_theme_quiz_test_and_evaluation_is_on_the_programme(course):
    items = [item for day in course.info.programme for item in day.items]
    assert {i.module for i in items if i.kind == "module"} == set(course.info.modules)
    tests = [i for i in items if i.kind == "test"]
    # The same fixed bank before and after: the first slot of teaching and the last ones.
    assert [t.quiz for t in tests] == ["pre-post", "pre-post"]
    assert course.quizzes["pre-post"].fixed
    assert items.index(tests[0]) < min(items.index(i) for i in items if i.kind == "module")
    assert items.index(tests[1]) > max(items.index(i) for i in items if i.kind == "module")
    assert any(i.kind == "quiz" and i.quiz == "final" for i in items)
    assert any(i.kind == "evaluation" for i in items)


def test_each_section_has_the_time_its_slides_take(course):
    """Slots are checked against the sections' planned minutes when loading; the planned
    minutes in turn cover the slides as presented, essential questions to the room
    included (course.timing)."""
    for module in course.modules:
        for section in module.sections:
            assert section.duration_minutes is not None, section.id
            assert section.duration_minutes >= section_minutes(section), (
                f"{section.id}: {section.duration_minutes} min planned, its slides take "
                f"{section_minutes(section)}"
            )


def test_each_theme_slot_holds_its_sections_and_activities(course):
    for module in course.modules:
        planned = sum(s.duration_minutes or 0 for s in module.sections)
        planned += sum(a.duration_minutes for a in module.activities)
        assert module.duration_minutes == planned, module.id
        slots = [
            item.minutes
            for day in course.info.programme
            for item in day.items
            if item.module == module.id and item.kind in ("module", "activity")
        ]
        assert sum(slots) >= planned, module.id


def test_an_overlap_is_reported_at_its_line(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(
        path, '{start: "09:40", minutes: 15, kind: test', '{start: "09:30", minutes: 15, kind: test'
    )
    found = problems(course_copy)
    line = line_of(path, '"09:30"')
    assert any(
        p.startswith(f"{path}:{line}:") and "overlaps 10 min" in p and "ends at 09:40" in p
        for p in found
    ), found


def test_a_gap_is_reported(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(
        path,
        '{start: "09:00", minutes: 40, kind: opening',
        '{start: "09:00", minutes: 30, kind: opening',
    )
    assert any("leaves 10 min unaccounted for" in p for p in problems(course_copy))


def test_a_slot_too_short_for_its_sections_names_what_it_holds(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(
        path,
        "minutes: 40, kind: module, module: theme-1",
        "minutes: 30, kind: module, module: theme-1",
    )
    found = problems(course_copy)
    line = line_of(path, "minutes: 30, kind: module, module: theme-1")
    assert any(
        p.startswith(f"{path}:{line}:") and "has 30 min but holds" in p and "t1-act-interets" in p
        for p in found
    ), found


def test_a_section_without_a_slot_is_reported(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(path, "sections: [t1-pourquoi, t1-fondements-section]", "sections: [t1-pourquoi]")
    edit(
        path, "sections: [t1-conditions-section]", "sections: [t1-conditions-section, t1-conditons]"
    )
    found = problems(course_copy)
    assert any("theme-1: no slot for t1-fondements-section" in p for p in found), found
    assert any("unknown section 't1-conditons'; did you mean" in p for p in found), found


def test_a_test_slot_needs_a_fixed_bank(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(path, "kind: test, quiz: pre-post", "kind: test, quiz: theme-1")
    assert any("quiz 'theme-1' is not fixed" in p for p in problems(course_copy))


def test_a_fixed_bank_refuses_a_draw(course_copy):
    path = course_copy / "quizzes/pre-post.yaml"
    edit(path, "fixed: true", "fixed: true\ndraw: 5")
    found = problems(course_copy)
    assert any(p.startswith(f"{path}:") and "asks all its 10 questions" in p for p in found)


def test_an_unquoted_time_reads_as_a_clock(course_copy):
    path = course_copy / "modules/course.yaml"
    edit(path, 'start: "11:20"', "start: 11:20")  # YAML 1.1 reads it as 680
    course = load_course(course_copy)
    assert course.info.programme[0].items[3].start == "11:20"


def test_handout_blocks_and_references(course_copy):
    path = course_copy / "modules/course.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nhandouts:\n" in text
    text = text.replace(
        "\nhandouts:\n",
        "\nhandouts:\n"
        "  - id: h-test\n    kind: form\n    title: Test\n    blocks:\n"
        "      - heading: Partie 1\n"
        "      - prompts: [Qu'avez-vous appris ?]\n        lines: 4\n"
        "      - table: {columns: [Critère, Note], rows: [[Clarté, '']], blank_rows: 2}\n"
        "      - ratings: [Le rythme]\n        scale: [Faible, Moyen, Bon]\n"
        "      - quiz: theme-1\n",
    )
    path.write_text(text, encoding="utf-8")
    found = problems(course_copy)
    line = line_of(path, "- quiz: theme-1")
    assert any(p.startswith(f"{path}:{line}:") and "is not fixed" in p for p in found), found
    path.write_text(text.replace("- quiz: theme-1", "- quiz: pre-post"), encoding="utf-8")
    handout = load_course(course_copy).info.handouts[0]
    assert [type(b).__name__ for b in handout.blocks] == [
        "HeadingBlock",
        "PromptsBlock",
        "TableBlock",
        "RatingsBlock",
        "QuizBlock",
    ]
    assert handout.blocks[1].prompts == ["Qu’avez-vous appris\u202f?"]


def activities(course):
    return [activity for module in course.modules for activity in module.activities]


def test_role_plays_have_a_card_for_every_member_of_a_group(course):
    role_plays = [a for a in activities(course) if "jeu de rôle" in a.format]
    assert len(role_plays) >= 2
    for activity in role_plays:
        cards = [h for h in activity.handouts if h.copies == "role"]
        required = sum(card.holders for card in cards if not card.optional)
        every = sum(card.holders for card in cards)
        assert activity.group_size is not None, activity.id
        assert (required, every) == (activity.group_size.min, activity.group_size.max), (
            f"{activity.id}: roles for {required} to {every}, groups of "
            f"{activity.group_size.min} to {activity.group_size.max}"
        )


def test_group_work_says_how_to_split_10_20_and_30_participants(course):
    grouped = [
        a
        for a in activities(course)
        if any(word in a.format for word in ("groupe", "binôme", "table", "jeu de rôle"))
    ]
    assert len(grouped) >= 8
    for activity in grouped:
        grouping = activity.grouping or ""
        assert all(n in grouping for n in ("10", "20", "30")), (
            f"{activity.id}: no word on splitting 10, 20 and 30 participants"
        )
        if "plénière, tour de table" not in activity.format and "tables" not in activity.format:
            assert activity.group_size is not None, activity.id


def test_activities_with_sheets_have_their_handouts_written(course):
    for activity in activities(course):
        if activity.group_size is not None:
            assert activity.handouts, f"{activity.id}: no handout written"
    kinds = {h.kind for a in activities(course) for h in a.handouts}
    assert kinds == {"role-card", "case-sheet", "worksheet"}
    course_handouts = {h.id: h for h in course.info.handouts}
    assert {"h-test-pre-post", "h-plan-action", "h-evaluation"} <= set(course_handouts)
    assert all(h.kind == "form" for h in course_handouts.values())


def test_the_pre_post_test_asks_the_same_ten_questions_every_time(course):
    from course.attempts import draw

    first = draw(course, "pre-post", seed=1)
    assert len(first.items) == 10
    for seed in range(2, 30):
        attempt = draw(course, "pre-post", seed=seed)
        assert {i.question.id for i in attempt.items} == {i.question.id for i in first.items}
    # Only the order of the choices changes, so the two sittings are comparable.
    orders = {draw(course, "pre-post", seed=s).items[0].order for s in range(30)}
    assert len(orders) > 1


def test_the_printed_test_does_not_put_every_right_option_first(course):
    """The sheet prints choices as written: the right one must not always be A."""
    positions = []
    for question in course.quizzes["pre-post"].questions:
        ids = [c.id for c in question.choices]
        right = [question.answer] if question.type == "single" else question.answers
        positions += [ids.index(r) for r in right]
    assert len(set(positions)) >= 3
    assert max(positions.count(p) for p in set(positions)) <= len(positions) // 2


def test_round_tables_of_the_programme_scale_with_the_room(course):
    rounds = [
        item
        for day in course.info.programme
        for item in day.items
        if "tour de" in item.title.casefold() or "bilan de la journée" in item.title.casefold()
    ]
    assert len(rounds) >= 2
    for item in rounds:
        assert item.notes and all(
            f"{n} participants" in item.notes or f"à {n}," in item.notes for n in (10, 20, 30)
        ), item.title
