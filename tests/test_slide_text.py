"""Slide text as the room and the facilitator get it: questions to the room, slide density."""

from __future__ import annotations

from course.models import ContentSlide
from course.presenting import facilitator_notes
from course.typography import NBSP


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
