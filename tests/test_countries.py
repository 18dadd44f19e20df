"""Country names: the UN's French names where CLDR's differ, CLDR's everywhere else."""

from __future__ import annotations

import pytest

from course.countries import UN_NAMES_FR, all_countries, cldr_name, country_name


@pytest.mark.parametrize(
    ("code", "un_name", "cldr"),
    [
        ("TL", "Timor-Leste", "Timor oriental"),
        ("KR", "République de Corée", "Corée du Sud"),
        ("IQ", "Iraq", "Irak"),
        ("LA", "République démocratique populaire lao", "Laos"),
        ("VN", "Viet Nam", "Viêt Nam"),
    ],
)
def test_un_names_replace_cldr_in_french(code, un_name, cldr):
    assert cldr_name(code) == cldr
    assert country_name(code) == un_name
    assert all_countries()[code] == un_name


def test_names_cldr_and_un_agree_on_are_cldrs():
    assert country_name("FR") == cldr_name("FR") == "France"
    assert country_name("AD") == "Andorre"


def test_every_override_differs_from_cldr_and_other_locales_keep_cldr():
    for code, name in UN_NAMES_FR.items():
        assert cldr_name(code) != name, f"{code}: CLDR already says {name!r}"
    assert country_name("KR", "en") == cldr_name("KR", "en")


def test_overrides_use_typographic_apostrophes():
    assert not [name for name in UN_NAMES_FR.values() if "'" in name]
