"""French typography applied to every text of the course when it is loaded.

Authors type plain keyboard text; learners and decks get the typographic forms:
the apostrophe ’, a narrow no-break space before ; ! ? and a no-break space
before : and inside « ». Rules follow the Imprimerie nationale's lexicon.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
NNBSP = "\u202f"

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_BEFORE_TIGHT = re.compile(r"(?<=\S)[ \u00a0\u202f]+([;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]+:")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


@lru_cache(maxsize=16_384)  # generated questions bring the same texts back seed after seed
def french(text: str) -> str:
    """Return ``text`` with French typographic apostrophes and no-break spaces."""
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_TIGHT.sub(NNBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def plain(text: str) -> str:
    """Undo the typographic spaces and apostrophes (for exports that want ASCII-ish text)."""
    return text.replace(NBSP, " ").replace(NNBSP, " ").replace("’", "'")
