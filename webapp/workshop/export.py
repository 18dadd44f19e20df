"""CSV exports of a session's results, for spreadsheets used in France.

UTF-8 with a byte-order mark (so Excel detects the encoding), semicolons between
cells and decimal commas (what a French spreadsheet expects), French headers.
Text a participant typed that starts like a formula is prefixed with an apostrophe,
so a display name such as ``=HYPERLINK(…)`` stays text in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from course.attempts import Item
from course.grading import format_number
from webapp.workshop.analysis import ItemStats, StoredAnswer, response_label, standings

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the export lists them."""

    id: int
    name: str
    joined_at: datetime


# Characters a spreadsheet may skip before reading « = »: zero-width spaces, bidi marks and
# the BOM (format, category Cf), control characters (Cc) and spaces (Z*).
_INVISIBLE = ("Cf", "Cc", "Zs", "Zl", "Zp")


def safe_cell(text: str) -> str:
    """Text that a spreadsheet will not run as a formula, even behind invisible characters
    (« \u200b=HYPERLINK(…) », « \u202e=… »)."""
    visible = text.lstrip("".join({c for c in text if unicodedata.category(c) in _INVISIBLE}))
    risky = text.startswith(_FORMULA_STARTS) or visible.startswith(_FORMULA_STARTS)
    return "'" + text if risky else text


def _number(value: float | None) -> str:
    return "" if value is None else format_number(round(value, 2))


def _write(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def participants_csv(
    items: Sequence[Item], participants: Sequence[ParticipantRow], answers: Sequence[StoredAnswer]
) -> str:
    """One row per participant: score, percentage, then each question's answer and points."""
    maximum = sum(item.question.points for item in items)
    header = ["Participant", "Arrivée (UTC)", "Questions répondues", "Points", "Sur", "Pourcentage"]
    for number in range(1, len(items) + 1):
        header += [f"Q{number} – réponse", f"Q{number} – points"]
    given = {(a.participant_id, a.key): a for a in answers}
    names = {p.id: p for p in participants}
    rows = [header]
    for standing in standings(((p.id, p.name) for p in participants), answers):
        person = names[standing.participant_id]
        row = [
            safe_cell(person.name),
            person.joined_at.strftime("%d/%m/%Y %H:%M"),
            str(standing.answered),
            _number(standing.score),
            _number(maximum),
            _number(100 * standing.score / maximum if maximum else None),
        ]
        for item in items:
            answer = given.get((person.id, item.key))
            if answer is None:
                row += ["", ""]
            else:
                label = response_label(item.question, answer.response)
                row += [safe_cell(label), _number(answer.score)]
        rows.append(row)
    return _write(rows)


def questions_csv(stats: Sequence[ItemStats]) -> str:
    """One row per question: answers, full successes, success rate, most frequent wrong answer."""
    header = [
        "N°",
        "Question",
        "Réponses",
        "Entièrement justes",
        "Taux de réussite (%)",
        "Réponse fausse la plus fréquente",
        "Nombre",
    ]
    rows = [header]
    for stat in stats:
        wrong_label, wrong_count = stat.top_wrong or ("", None)
        rows.append(
            [
                str(stat.number),
                stat.prompt,
                str(stat.answered),
                str(stat.fully_correct),
                _number(stat.facility),
                safe_cell(wrong_label),
                "" if wrong_count is None else str(wrong_count),
            ]
        )
    return _write(rows)
