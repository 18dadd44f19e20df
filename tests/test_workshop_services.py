"""Workshop mode, pure services: join codes, state machines, distributions, item analysis, CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from course import models
from course.attempts import Item
from webapp.workshop.analysis import (
    OTHERS,
    UNANSWERED,
    Bar,
    StoredAnswer,
    distribution,
    item_statistics,
    response_label,
    standings,
)
from webapp.workshop.codes import ALPHABET, CODE_LENGTH, display_code, new_code, normalise_code
from webapp.workshop.export import BOM, ParticipantRow, participants_csv, questions_csv, safe_cell
from webapp.workshop.state import (
    IllegalTransition,
    LiveState,
    Phase,
    Status,
    advance,
    allowed_actions,
    next_status,
)

# --- Join codes ------------------------------------------------------------------


def test_codes_use_six_unambiguous_characters():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500  # 31**6 ≈ 887 million: 500 draws do not collide
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
    assert not set("01ILO") & set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7m4pq", "K7M4PQ"),
        (" K7M 4PQ ", "K7M4PQ"),
        ("k7m-4pq", "K7M4PQ"),
        ("K7M\u202f4PQ", "K7M4PQ"),
        ("K7M4P", None),  # too short
        ("K7M4PQR", None),  # too long
        ("K7M4P0", None),  # 0 is not in the alphabet
        ("", None),
        (None, None),
        ("<scrip", None),
    ],
)
def test_normalise_code(typed, expected):
    assert normalise_code(typed) == expected


def test_display_code_groups_by_three():
    assert display_code("K7M4PQ") == "K7M\u202f4PQ"


# --- State machines ----------------------------------------------------------------


def test_live_quiz_walks_through_each_question_then_finishes():
    state = LiveState()
    assert allowed_actions(state, 2) == ["start", "finish"]
    state = advance(state, "start", 2)
    assert state == LiveState(Phase.ASKING, 0)
    assert state.accepts_answers_for(0) and not state.accepts_answers_for(1)
    state = advance(state, "close", 2)
    assert not state.accepts_answers_for(0)
    state = advance(state, "reveal", 2)
    assert allowed_actions(state, 2) == ["next", "finish"]
    state = advance(state, "next", 2)
    assert state == LiveState(Phase.ASKING, 1)
    state = advance(advance(advance(state, "close", 2), "reveal", 2), "next", 2)
    assert state == LiveState(Phase.FINISHED, None)
    assert allowed_actions(state, 2) == []


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (LiveState(), "close"),
        (LiveState(), "next"),
        (LiveState(Phase.ASKING, 0), "reveal"),  # the distribution comes before the answer
        (LiveState(Phase.ASKING, 0), "next"),
        (LiveState(Phase.CLOSED, 0), "start"),
        (LiveState(Phase.FINISHED), "finish"),
        (LiveState(), "jump"),
    ],
)
def test_illegal_live_moves_are_refused(state, action):
    with pytest.raises(IllegalTransition):
        advance(state, action, 3)


def test_an_empty_quiz_cannot_start():
    with pytest.raises(IllegalTransition):
        advance(LiveState(), "start", 0)


def test_session_status_moves():
    assert next_status(Status.OPEN, "close") is Status.CLOSED
    assert next_status(Status.CLOSED, "archive") is Status.ARCHIVED
    assert next_status(Status.OPEN, "archive") is Status.ARCHIVED
    with pytest.raises(IllegalTransition):
        next_status(Status.ARCHIVED, "close")
    with pytest.raises(IllegalTransition):
        next_status(Status.CLOSED, "reopen")


# --- Distributions and item analysis ---------------------------------------------------

COMMON = {"explanation": "Parce que.", "slide": "s1"}
SINGLE = models.SingleChoice(
    id="q-single",
    type="single",
    prompt="Quel processus est né en 1996 ?",
    choices=[{"id": "a", "text": "CRM"}, {"id": "b", "text": "APC"}, {"id": "c", "text": "IGC"}],
    answer="a",
    **COMMON,
)
MULTIPLE = models.MultipleChoice(
    id="q-multi",
    type="multiple",
    prompt="Lesquels sont des PCR ?",
    choices=[{"id": "a", "text": "Bali"}, {"id": "b", "text": "FMMD"}, {"id": "c", "text": "APC"}],
    answers=["a", "c"],
    **COMMON,
)
TRUE_FALSE = models.TrueFalse(
    id="q-tf", type="true_false", prompt="Le FMMD est un PCR.", answer=False, **COMMON
)
SHORT = models.ShortText(
    id="q-short", type="short_text", prompt="Quel processus ?", accepted=["Bali"], **COMMON
)
NUMERIC = models.Numeric(id="q-num", type="numeric", prompt="Combien ?", answer=5, **COMMON)


def answers(key: str, *responses: object, right: set | None = None) -> list[StoredAnswer]:
    """Stored answers by participants 1, 2, 3…; ``right`` lists the responses worth 1 point."""
    right = right or set()
    return [
        StoredAnswer(n, key, r, 1.0 if repr(r) in right else 0.0, 1.0)
        for n, r in enumerate(responses, start=1)
    ]


def test_single_choice_distribution_keeps_presentation_order_and_zero_bars():
    item = Item("q1", SINGLE, ("c", "a", "b"))
    bars = distribution(item, answers("q1", "a", "a", "c", None, right={"'a'"}))
    assert bars == [
        Bar("IGC", 1, False),
        Bar("CRM", 2, True),
        Bar("APC", 0, False),
        Bar(UNANSWERED, 1, False),
    ]


def test_distribution_ignores_other_items():
    item = Item("q1", SINGLE, ("a", "b", "c"))
    bars = distribution(item, answers("q2", "a", "b"))
    assert [b.count for b in bars] == [0, 0, 0]


def test_multiple_choice_bars_count_each_tick():
    item = Item("q1", MULTIPLE, ("a", "b", "c"))
    bars = distribution(item, answers("q1", ["a", "c"], ["a", "b"], []))
    assert bars == [
        Bar("Bali", 2, True),
        Bar("FMMD", 1, False),
        Bar("APC", 1, True),
        Bar(UNANSWERED, 1, False),
    ]


def test_true_false_distribution():
    item = Item("q1", TRUE_FALSE, ())
    bars = distribution(item, answers("q1", True, False, False))
    assert bars == [Bar("Vrai", 1, False), Bar("Faux", 2, True)]


def test_short_text_groups_equivalent_answers_and_the_tail():
    item = Item("q1", SHORT, ())
    typed = ["Bali", "bali ", "BALI", "Colombo", "colombo", "Puebla", "A", "B", "C", "D"]
    given = answers("q1", *typed, right={"'Bali'", "'bali '", "'BALI'"})
    bars = distribution(item, given)
    assert bars[0] == Bar("Bali", 3, True)
    assert bars[1] == Bar("Colombo", 2, False)
    assert len(bars) == 6
    assert bars[-1] == Bar(OTHERS, 2, False)  # D and Puebla, the last in French order
    assert sum(b.count for b in bars) == len(typed)


def test_item_statistics_facility_and_most_frequent_wrong_answer():
    items = [Item("q1", SINGLE, ("a", "b", "c")), Item("q2", NUMERIC, ())]
    given = answers("q1", "a", "b", "b", "c", right={"'a'"}) + answers(
        "q2", "5", "5,0", "6", right={"'5'", "'5,0'"}
    )
    first, second = item_statistics(items, given)
    assert (first.number, first.answered, first.fully_correct) == (1, 4, 1)
    assert first.facility == pytest.approx(25.0)
    assert first.top_wrong == ("APC", 2)
    assert second.facility == pytest.approx(200 / 3)
    assert second.top_wrong == ("6", 1)


def test_item_statistics_when_nobody_answered():
    (stats,) = item_statistics([Item("q1", SINGLE, ("a", "b", "c"))], [])
    assert stats.answered == 0
    assert stats.facility is None
    assert stats.top_wrong is None


def test_partial_credit_counts_in_facility_but_not_as_fully_correct():
    item = Item("q1", MULTIPLE, ("a", "b", "c"))
    given = [StoredAnswer(1, "q1", ["a"], 0.5, 1.0), StoredAnswer(2, "q1", ["a", "c"], 1.0, 1.0)]
    (stats,) = item_statistics([item], given)
    assert stats.facility == pytest.approx(75.0)
    assert stats.fully_correct == 1
    assert stats.top_wrong == ("Bali", 1)


def test_response_labels_are_french():
    assert response_label(TRUE_FALSE, True) == "Vrai"
    assert response_label(MULTIPLE, ["c", "a"]) == "Bali + APC"
    assert response_label(NUMERIC, "1,50") == "1,5"
    assert response_label(SINGLE, None) == UNANSWERED


def test_standings_share_ranks_on_ties_and_sort_names_the_french_way():
    people = [(1, "Zoé"), (2, "Élodie"), (3, "Bruno"), (4, "Amine")]
    given = [
        StoredAnswer(1, "q1", "a", 1.0, 1.0),
        StoredAnswer(2, "q1", "a", 1.0, 1.0),
        StoredAnswer(3, "q1", "b", 0.0, 1.0),
    ]
    table = standings(people, given)
    assert [(s.name, s.rank, s.answered) for s in table] == [
        ("Élodie", 1, 1),
        ("Zoé", 1, 1),
        ("Amine", 3, 0),
        ("Bruno", 3, 1),
    ]


# --- CSV export ------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))


def test_participants_csv_has_french_headers_decimal_commas_and_safe_names():
    items = [Item("q1", SINGLE, ("a", "b", "c")), Item("q2", MULTIPLE, ("a", "b", "c"))]
    joined = datetime(2026, 11, 23, 9, 30)
    people = [ParticipantRow(1, '=HYPERLINK("x")', joined), ParticipantRow(2, "Zoé", joined)]
    given = [
        StoredAnswer(1, "q1", "b", 0.0, 1.0),
        StoredAnswer(1, "q2", ["a"], 0.5, 1.0),
        StoredAnswer(2, "q1", "a", 1.0, 1.0),
    ]
    rows = read_csv(participants_csv(items, people, given))
    assert rows[0][:6] == [
        "Participant",
        "Arrivée (UTC)",
        "Questions répondues",
        "Points",
        "Sur",
        "Pourcentage",
    ]
    assert rows[0][6:] == ["Q1 – réponse", "Q1 – points", "Q2 – réponse", "Q2 – points"]
    assert rows[1] == ["Zoé", "23/11/2026 09:30", "1", "1", "2", "50", "CRM", "1", "", ""]
    assert rows[2] == [
        '\'=HYPERLINK("x")',
        "23/11/2026 09:30",
        "2",
        "0,5",
        "2",
        "25",
        "APC",
        "0",
        "Bali",
        "0,5",
    ]


def test_questions_csv_lists_item_analysis():
    items = [Item("q1", SINGLE, ("a", "b", "c"))]
    stats = item_statistics(items, answers("q1", "a", "b", "b", right={"'a'"}))
    rows = read_csv(questions_csv(stats))
    assert rows[0][4] == "Taux de réussite (%)"
    assert rows[1] == ["1", SINGLE.prompt, "3", "1", "33,33", "APC", "2"]


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+33 6",
        "-2",
        "@SUM(A1)",
        "\tx",
        '\u200b=HYPERLINK("http://x")',  # zero-width space
        "\u202e=1+1",  # right-to-left override
        "\ufeff+33",  # byte order mark
        "\u00a0\u2060@SUM(A1)",  # no-break space, word joiner
        " \u200d-2",
    ],
)
def test_safe_cell_defuses_formulas(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("Bali") == "Bali"
    assert safe_cell("\u200bBali") == "\u200bBali"  # invisible, but no formula behind it
