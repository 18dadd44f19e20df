"""Questions generated from the dataset agree with it, for every seed, on the fixture course
and on the shipped dataset: exactly one right answer per item, distinct distractors that
are never right, the same questions for the same seed."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import Course, models
from course.countries import all_countries
from course.generate import GenerationError, generate, name_tells, process_label, regions_clash
from course.typography import french
from tests.quiz_helpers import dataset_course, quiz_course

GENERATORS = ["founding_year", "chronology", "members", "member_of", "region", "kind"]
SEEDS = st.integers(min_value=0, max_value=2**63)
NAME_TO_CODE = {name: code for code, name in all_countries().items()}


@cache
def shipped() -> Course:
    return dataset_course()


def recipe(generator: str, items: int = 4, variants: int = 1, processes=()) -> models.Generated:
    return models.Generated.model_validate(
        {
            "id": f"gen-{generator.replace('_', '-')}",
            "type": "generated",
            "generator": generator,
            "items": items,
            "variants": variants,
            "processes": list(processes),
            "slide": "t1-pcr",
            "tags": ["donnees"],
        }
    )


def labels(course: Course) -> dict[str, models.Process]:
    """Each process by the label questions give it (labels must be unique)."""
    found = {french(process_label(p)): p for p in course.processes.values()}
    assert len(found) == len(course.processes), "two processes share a label"
    # Where its full name would say the answer, a question names a process by its acronym.
    acronyms = {french(p.acronym): p for p in course.processes.values()}
    assert len(acronyms) == len(course.processes), "two processes share an acronym"
    return acronyms | found


def codes(names: str) -> set[str]:
    """Country codes from « Chine, Inde, Népal »."""
    return {NAME_TO_CODE[name] for name in names.split(", ")}


def listed(process: models.Process) -> set[str]:
    return {code for figure in process.memberships for code in figure.members}


def right_for(generator: str, process: models.Process, option: str) -> bool:
    """Whether ``option`` is a right answer for ``process`` (the dataset as oracle)."""
    if generator == "founding_year":
        return option == str(process.founded.year)
    if generator == "members":
        return codes(option) <= listed(process)
    if generator == "region":
        return option == process.region or regions_clash(option, process.region)
    return option == process.kind_label


def check_matching(course: Course, generator: str, question: models.Matching) -> None:
    by_label = labels(course)
    lefts = [by_label[pair.left] for pair in question.pairs]
    assert len({p.id for p in lefts}) == len(lefts)
    options = list(dict.fromkeys([p.right for p in question.pairs] + question.distractors))
    assert len(set(question.distractors)) == len(question.distractors)
    for pair, process in zip(question.pairs, lefts, strict=True):
        assert right_for(generator, process, pair.right), (process.id, pair.right)
        # Exactly one offered option is right for each left item.
        assert sum(right_for(generator, process, o) for o in options) == 1, (process.id, options)
    for distractor in question.distractors:
        assert not any(right_for(generator, p, distractor) for p in lefts), distractor
    if generator == "founding_year":
        decades = {p.founded.year // 10 for p in lefts}
        assert all(int(d) // 10 in decades for d in question.distractors)
    if generator == "members":
        for pair, process in zip(question.pairs, lefts, strict=True):
            shown = codes(pair.right)
            assert len(shown) == 3 and shown <= set(process.members)
            assert not any(shown & listed(other) for other in lefts if other is not process)


def check(course: Course, generator: str, question) -> None:
    """Every property a generated question must have."""
    if generator == "chronology":
        assert isinstance(question, models.Ordering)
        by_label = labels(course)
        years = [by_label[item].founded.year for item in question.items]
        assert years == sorted(years) and len(set(years)) == len(years)
    elif generator == "member_of":
        assert isinstance(question, models.SingleChoice)
        process = next(
            p for label, p in labels(course).items() if question.prompt.startswith(label)
        )
        texts = [c.text for c in question.choices]
        assert len(set(texts)) == len(texts)
        members = [c.id for c in question.choices if NAME_TO_CODE[c.text] in listed(process)]
        assert members == [question.answer]
        answer = NAME_TO_CODE[next(c.text for c in question.choices if c.id == question.answer)]
        assert answer in process.members
        if process.member_list.as_of:
            assert str(process.member_list.as_of) in question.prompt
    else:
        assert isinstance(question, models.Matching)
        check_matching(course, generator, question)
    assert question.explanation


@pytest.mark.parametrize("generator", GENERATORS)
@settings(max_examples=60, deadline=None)
@given(seed=SEEDS)
def test_generated_questions_agree_with_the_fixture_dataset(generator, seed):
    course = quiz_course()
    items = 3 if generator == "members" else 4
    for question in generate(course, recipe(generator, items=items, variants=2), seed):
        check(course, generator, question)
        assert question.slide == "t1-pcr" and question.tags == ["donnees"]


@pytest.mark.parametrize("generator", GENERATORS)
@settings(max_examples=150, deadline=None)
@given(seed=SEEDS, items=st.integers(min_value=3, max_value=5))
def test_generated_questions_agree_with_the_shipped_dataset(generator, seed, items):
    course = shipped()
    if generator == "members":
        # The shipped lists allow at most 4 processes with mutually distinctive members
        # (the Americas' processes share most members; Colombo's are all APC's).
        items = min(items, 4)
    questions = generate(course, recipe(generator, items=items, variants=3), seed)
    assert [q.id for q in questions] == [f"{recipe(generator).id}-{n}" for n in (1, 2, 3)]
    for question in questions:
        check(course, generator, question)
        count = len(
            question.choices
            if generator == "member_of"
            else question.items
            if generator == "chronology"
            else question.pairs
        )
        assert count == items


@pytest.mark.parametrize("generator", GENERATORS)
@settings(deadline=None)
@given(seed=SEEDS)
def test_generation_is_deterministic_for_a_seed(generator, seed):
    course = quiz_course()
    first = generate(course, recipe(generator, items=3), seed)
    assert generate(course, recipe(generator, items=3), seed) == first


def test_different_seeds_give_different_questions():
    course = shipped()
    made = {generate(course, recipe("founding_year"), s)[0].model_dump_json() for s in range(20)}
    assert len(made) > 10


def test_member_of_uses_dated_list_and_sources():
    course = quiz_course()
    question = generate(course, recipe("member_of", processes=["colombo"]), 3)[0]
    assert question.prompt.startswith("Processus de Colombo")
    assert "2005" in question.prompt
    assert "diaporama" in question.explanation
    # Afghanistan joined later (2008 list): never a distractor, never the answer.
    assert "Afghanistan" not in [c.text for c in question.choices]


@pytest.mark.parametrize(
    ("generator", "items", "processes", "message"),
    [
        ("founding_year", 4, ["igc", "apc", "crm"], "asks for 4 processes with different"),
        ("chronology", 3, ["apc", "crm", "gfmd"], "asks for 3 processes with different"),
        ("members", 3, ["apc", "bali", "colombo"], "belonging to none of the others"),
        ("member_of", 4, ["gfmd"], "none of its processes has a member list"),
        ("region", 4, ["apc", "bali", "colombo"], "values that do not overlap"),
    ],
)
def test_impossible_recipes_fail_clearly(generator, items, processes, message):
    with pytest.raises(GenerationError, match=message) as caught:
        generate(quiz_course(), recipe(generator, items=items, processes=processes), 0)
    assert f"'{recipe(generator).id}'" in str(caught.value)


@cache
def shipped_recipes() -> list[models.Generated]:
    """Every recipe of the shipped quiz banks (loaded with the whole course)."""
    from course import load_course
    from tests.quiz_helpers import REPO_ROOT

    course = load_course(REPO_ROOT)
    return [
        question
        for quiz in course.quizzes.values()
        for question in quiz.questions
        if isinstance(question, models.Generated)
    ]


def test_the_shipped_banks_use_every_generator():
    assert {r.generator for r in shipped_recipes()} == set(GENERATORS)


@settings(max_examples=200, deadline=None)
@given(seed=SEEDS, data=st.data())
def test_shipped_recipes_agree_with_the_shipped_dataset(seed, data):
    shipped_recipe = data.draw(st.sampled_from(shipped_recipes()), label="recipe")
    questions = generate(shipped(), shipped_recipe, seed)
    assert len(questions) == shipped_recipe.variants
    for question in questions:
        check(shipped(), shipped_recipe.generator, question)
        assert question.slide == shipped_recipe.slide and question.points == shipped_recipe.points


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("Asie", "Asie-Pacifique", True),
        ("Amériques", "Europe, Amérique du Nord et Océanie", True),
        ("Afrique de l’Ouest", "Afrique australe", True),
        ("Amériques", "Amériques", False),  # the same region is not a clash
        ("Monde", "Europe", False),
        ("Asie-Pacifique", "Amérique du Sud", False),
    ],
)
def test_overlapping_regions_clash(first, second, clash):
    assert regions_clash(first, second) is clash
    assert regions_clash(second, first) is clash


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS)
@pytest.mark.parametrize("generator", ["region", "kind"])
def test_a_process_is_not_named_by_words_that_give_its_answer(generator, seed):
    """« CSM – Conférence sud-américaine… » would answer « Amérique du Sud » by itself."""
    course = shipped()
    question = generate(course, recipe(generator, items=4), seed)[0]
    for pair in question.pairs:
        assert not name_tells(pair.left, pair.right), (pair.left, pair.right)


def test_the_acronym_stands_alone_only_where_the_name_tells():
    course = shipped()
    csm = next(p for p in course.processes.values() if p.acronym == "CSM")
    assert process_label(csm, asked=csm.region) == "CSM"
    assert process_label(csm, asked=csm.kind_label) != "CSM"  # « sud-américaine » says no form
    assert process_label(csm) == process_label(csm, asked="mondial")
