"""French typography applied to every text of the course when it is loaded.

Authors type plain keyboard text; learners and decks get the typographic forms:
the apostrophe ’ (also before an opening «), a narrow no-break space before ; ! ?,
a no-break space before : and inside « », quotation marks inside a quotation as
“ ” (no spaces), and an en dash between the years or days of a range (1990–2008,
9–11 juillet). Rules follow the Imprimerie nationale's lexicon.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
NNBSP = "\u202f"

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# « l'« approche » », « d'« introduction » »: an elided word before a quotation.
_APOSTROPHE_BEFORE_QUOTE = re.compile(r"(?<=\w)'[ \u00a0\u202f]?(?=«)")
_BEFORE_TIGHT = re.compile(r"(?<=\S)[ \u00a0\u202f]+([;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]+:")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_GUILLEMETS = re.compile(r"«[ \u00a0\u202f]*|[ \u00a0\u202f]*»")
# Years of a range typed with a hyphen: 1990-2008, 2023-2024 (not ISO dates, which are
# written as values, nor « 3166-1 »).
_YEAR_RANGE = re.compile(r"(?<![\w-])((?:1[89]|20)\d\d)-((?:1[89]|20)\d\d)(?![\w-])")
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_DAY_RANGE = re.compile(rf"(?<![\w-])([1-3]?\d)-([1-3]?\d)(?= (?:{_MONTHS})\b)")


def _inner_quotes(text: str) -> str:
    """Make « » nested inside « » into “ ”: French marks a quotation within a quotation so."""
    if text.count("«") < 2:
        return text
    pieces = _GUILLEMETS.split(text)
    marks = _GUILLEMETS.findall(text)
    out = [pieces[0]]
    depth = 0
    for mark, piece in zip(marks, pieces[1:], strict=True):
        if "«" in mark:
            depth += 1
            out.append("“" if depth > 1 else mark)
        else:
            out.append("”" if depth > 1 else mark)
            depth = max(depth - 1, 0)
        out.append(piece)
    return "".join(out)


@lru_cache(maxsize=16_384)  # generated questions bring the same texts back seed after seed
def french(text: str) -> str:
    """Return ``text`` with French typographic apostrophes, quotes, dashes and spaces."""
    text = _APOSTROPHE.sub("’", text)
    text = _APOSTROPHE_BEFORE_QUOTE.sub("’", text)
    text = _YEAR_RANGE.sub("\\1\u2013\\2", text)
    text = _DAY_RANGE.sub("\\1\u2013\\2", text)
    text = _inner_quotes(text)
    text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def plain(text: str) -> str:
    """Undo the typographic spaces and apostrophes (for exports that want ASCII-ish text)."""
    return text.replace(NBSP, " ").replace(NNBSP, " ").replace("’", "'")
