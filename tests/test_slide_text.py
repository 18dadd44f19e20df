"""Slide text as the room and the facilitator get it: questions to the room, slide density."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course import Course, load_course
from course.markdown import module_markdown
from course.models import ContentSlide
from course.presenting import facilitator_notes, process_title, profile_rows
from course.typography import NBSP

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> Course:
    return load_course(ROOT)


def test_questions_to_the_room_follow_the_notes_marked_with_their_answer():
    slide = ContentSlide.model_validate(
        {
            "id": "s",
            "title": "Titre",
            "bullets": ["Un point"],
            "notes": "À dire : le point.",
            "room_questions": [
                {"question": "Qui coopère ?", "essential": True, "expected": "Les États."},
                {
                    "question": "Et « chez vous » ?",
                    "essential": False,
                    "expected": "Des exemples.",
                    "caution": "Ne pas demander de nommer un pays.",
                },
            ],
        }
    )
    notes = facilitator_notes(slide).split("\n\n")
    assert notes[0] == f"À dire{NBSP}: le point."
    assert notes[1].startswith(f"Question à la salle (essentielle){NBSP}: «{NBSP}Qui coopère")
    assert f"Réponse attendue{NBSP}: Les États." in notes[1]
    assert "(facultative, si le temps le permet)" in notes[2]
    assert "“chez vous”" in notes[2]  # a quotation inside the question's « »
    assert f"Question sensible{NBSP}: Ne pas demander" in notes[2]


def test_a_slide_without_notes_or_questions_has_empty_notes():
    slide = ContentSlide.model_validate({"id": "s", "title": "T", "bullets": ["b"]})
    assert facilitator_notes(slide) == ""


# --- What learners read names sources, never their ids ----------------------------------------


def _strings(value, skip=frozenset({"id", "source", "sources", "slide", "file", "after_slide"})):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip)


def test_no_source_id_in_what_learners_read(shipped):
    names = [*shipped.sources, "later-figures"]  # the seed file's name was once an id too
    ids = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    objects = [*shipped.modules, *shipped.processes.values(), *shipped.quizzes.values()]
    texts = [t for obj in objects for t in _strings(obj.model_dump())]
    texts += [module_markdown(shipped, module) for module in shipped.modules]
    texts += [
        value
        for process in shipped.processes.values()
        for row in profile_rows(shipped, process)
        for value in row
    ]
    assert len(texts) > 1000
    found = sorted({m.group(1) for text in texts for m in ids.finditer(text)})
    assert not found, f"source ids shown to learners: {found}"


def test_a_profile_title_never_repeats_the_name(shipped):
    assert process_title(shipped.processes["quito"]) == "Processus de Quito"
    mercosur = shipped.processes["mercosur"]
    assert process_title(mercosur) == mercosur.name
    assert process_title(shipped.processes["apc"]).endswith(" (APC)")
    rows = dict(profile_rows(shipped, mercosur))
    assert rows["Création"] == "année non indiquée par les sources du cours"
    assert process_title(shipped.processes["bali"]) == shipped.processes["bali"].name
    assert process_title(shipped.processes["crm"]).endswith("(Processus de Puebla) (CRM)")


# --- Density: a text slide carries its point; the rest is in the notes -------------------------

MAX_WORDS = 90  # words of a content slide: title, subtitle, bullets and sub-bullets


def _words(text: str) -> int:
    return len([piece for piece in re.split(r"\s+", text) if re.search(r"\w", piece)])


def content_slide_words(slide: ContentSlide) -> int:
    """Words a content slide shows in the room: title, subtitle, bullets and sub-bullets."""
    texts = [slide.title, slide.subtitle or ""]
    for bullet in slide.bullets:
        texts += [bullet.text, *bullet.sub]
    return _words(" ".join(texts))


def test_words_of_a_content_slide_are_its_title_subtitle_and_bullets():
    slide = ContentSlide.model_validate(
        {
            "id": "s",
            "title": "Deux mots",
            "subtitle": "Un sous-titre",
            "bullets": [{"text": "Un point : quatre mots", "sub": ["Et un détail"]}, "Fin"],
            "notes": "Les notes ne comptent pas.",
        }
    )
    assert content_slide_words(slide) == 2 + 2 + 4 + 3 + 1


def test_no_content_slide_is_over_90_words_and_half_are_at_most_about_50(shipped):
    counts = {
        slide.id: content_slide_words(slide)
        for module in shipped.modules
        for slide in module.slides
        if isinstance(slide, ContentSlide)
    }
    assert len(counts) >= 40
    over = {sid: n for sid, n in counts.items() if n > MAX_WORDS}
    assert not over, f"content slides over {MAX_WORDS} words: {over}"
    assert sorted(counts.values())[len(counts) // 2] <= 55  # median target about 50


def test_questions_to_the_room_are_marked_not_buried_in_the_notes(shipped):
    slides = [slide for module in shipped.modules for slide in module.slides]
    assert not [s.id for s in slides if s.notes and "Question à la salle" in s.notes]
    questions = [q for s in slides for q in s.room_questions]
    assert len(questions) >= 60
    assert {q.essential for q in questions} == {True, False}
    assert all(q.expected for q in questions)
