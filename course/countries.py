"""Country and territory names: the UN's French names, else CLDR's (through Babel).

UN terminology (UNTERM, and the M49 standard for territories) is this field's reference:
a course on intergovernmental cooperation writes « République de Corée » and « Iraq »,
not CLDR's « Corée du Sud » and « Irak ». CLDR gives every other name, and every name in
other locales.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

# French short names of UNTERM where CLDR's French differs. Hong Kong and Macao: M49 writes
# « Chine, région administrative spéciale de … », whose comma breaks a list of members; the
# short form the course's sources use (« Hong Kong (RAS de Chine) ») says the same.
UN_NAMES_FR: dict[str, str] = {
    "BN": "Brunéi Darussalam",
    "BO": "Bolivie (État plurinational de)",
    "BY": "Bélarus",
    "CD": "République démocratique du Congo",
    "CG": "Congo",
    "CV": "Cabo Verde",
    "FM": "Micronésie (États fédérés de)",
    "GB": "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord",
    "HK": "Hong Kong (RAS de Chine)",
    "IQ": "Iraq",
    "IR": "Iran (République islamique d’)",
    "KN": "Saint-Kitts-et-Nevis",
    "KP": "République populaire démocratique de Corée",
    "KR": "République de Corée",
    "LA": "République démocratique populaire lao",
    "MD": "République de Moldova",
    "MM": "Myanmar",
    "MO": "Macao (RAS de Chine)",
    "PS": "État de Palestine",
    "RU": "Fédération de Russie",
    "SY": "République arabe syrienne",
    "TL": "Timor-Leste",
    "TR": "Türkiye",
    "TZ": "République-Unie de Tanzanie",
    "US": "États-Unis d’Amérique",
    "VA": "Saint-Siège",
    "VE": "Venezuela (République bolivarienne du)",
    "VN": "Viet Nam",
}


@cache
def _cldr(locale: str) -> dict[str, str]:
    # CLDR also names regions with 3-digit codes (« 150 » = Europe); keep ISO alpha-2 only.
    return {
        code: name
        for code, name in Locale.parse(locale).territories.items()
        if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO"}
    }


@cache
def _territories(locale: str) -> dict[str, str]:
    names = _cldr(locale)
    return {**names, **UN_NAMES_FR} if locale == "fr" else names


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code CLDR knows (countries and territories)."""
    return code in _cldr("fr")


def country_name(code: str, locale: str = "fr") -> str:
    """The name of ``code`` in ``locale``: the UN's in French, CLDR's otherwise."""
    return _territories(locale)[code]


def cldr_name(code: str, locale: str = "fr") -> str:
    """CLDR's own name of ``code`` (what a source's spelling is matched against)."""
    return _cldr(locale)[code]


def all_countries(locale: str = "fr") -> dict[str, str]:
    """Every known alpha-2 code and its name (as ``country_name`` gives it)."""
    return dict(_territories(locale))
