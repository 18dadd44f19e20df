"""Join codes: six characters a participant can read off a projector and type on a phone."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: letters and digits people confuse when reading a screen across a room.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_IGNORED = str.maketrans("", "", " -_.\u00a0\u202f")


def new_code() -> str:
    """A random join code (cryptographically random, so codes cannot be predicted)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_public_id() -> str:
    """The key of a session in its addresses: 128 random bits, so no session can be found by
    counting (sequential ids let any visitor walk every session and its join code)."""
    return secrets.token_urlsafe(16)


def normalise_code(text: str | None) -> str | None:
    """The code as typed, upper-cased without spaces or hyphens; None if it cannot be a code."""
    if not text:
        return None
    code = text.translate(_IGNORED).upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def display_code(code: str) -> str:
    """The code split in two groups of three for reading aloud (« K7M 4PQ »)."""
    half = len(code) // 2
    return f"{code[:half]}\u202f{code[half:]}"
