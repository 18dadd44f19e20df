"""Country and territory names from CLDR (through Babel), in French by default."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def _territories(locale: str) -> dict[str, str]:
    # CLDR also names regions with 3-digit codes (« 150 » = Europe); keep ISO alpha-2 only.
    return {
        code: name
        for code, name in Locale.parse(locale).territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO"}
    }


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code CLDR knows (countries and territories)."""
    return code in _territories("fr")


def country_name(code: str, locale: str = "fr") -> str:
    """The name of ``code`` in ``locale`` (French by default)."""
    return _territories(locale)[code]


def all_countries(locale: str = "fr") -> dict[str, str]:
    """Every known alpha-2 code and its name."""
    return dict(_territories(locale))
