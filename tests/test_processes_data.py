"""The processes dataset (modules/processes.yaml) checked against the source texts.

Expected facts below are transcribed from the sources in shared/seeds (the 2005 deck's
profile slides, the IOM Americas page, the 2008 Secretary-General's report): members are
written as the source names them and turned into codes through CLDR's French names, so a
wrong code in the dataset cannot hide behind the same wrong code in the test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopkit.cli import main
from course import ContentErrors, Course, load_course
from course.countries import all_countries, cldr_name, country_name, is_country_code
from course.models import Process, ProcessList, SourceList
from course.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "modules" / "processes.yaml"
SOURCES = ROOT / "modules" / "sources.yaml"

SHARED_IDS = {
    "apc", "bali", "colombo", "igc", "crm", "csm", "riam", "quito", "mirps", "mercosur",
    "midsa", "midwa", "dialogue-5-5", "soderkoping", "budapest", "abu-dhabi", "berne", "idm",
    "gcim", "hld-2006", "gfmd",
}  # fmt: skip
COURSE_SOURCES = {
    "slides-2005", "idm-2017", "mc-inf-269", "sg-report-2008", "iom-processes-americas",
}  # fmt: skip
# Sources of seeds/later-figures.md: one entry per public page, with its publisher and year.
LATER = {
    source["id"]
    for source in read_yaml(SOURCES)[0]["sources"]
    if source.get("file") == "later-figures.md"
}


# --- Loading ------------------------------------------------------------------------------


def _dataset_from_file() -> dict[str, Process]:
    data, _ = read_yaml(DATASET)
    return {p.id: p for p in ProcessList.model_validate(data).processes}


@pytest.fixture(scope="module")
def shipped_course() -> Course | None:
    """The shipped course, or None while another engineer's module is broken."""
    try:
        return load_course(ROOT)
    except ContentErrors:
        return None


@pytest.fixture(scope="module")
def processes(shipped_course) -> dict[str, Process]:
    """The dataset as the shipped course loads it; straight from its file if a module is broken."""
    if shipped_course is not None:
        return shipped_course.processes
    # Another engineer's module may be mid-edit; the dataset's facts do not depend on it.
    return _dataset_from_file()


def test_shipped_course_loads_with_the_dataset(shipped_course):
    if shipped_course is None:
        shipped_course = load_course(ROOT)  # raises, listing every problem
    assert set(shipped_course.processes) >= SHARED_IDS
    assert list(shipped_course.processes) == list(_dataset_from_file())
    dataset_warnings = [w for w in shipped_course.warnings if w.path.name == "processes.yaml"]
    unexplained = [
        (p.id, f.count)
        for p in shipped_course.processes.values()
        for f in p.memberships
        if f.count is not None and f.members and f.count != len(f.members)
    ]
    assert len(dataset_warnings) == len(unexplained)


def test_shared_ids_and_the_suggested_extra_ones_are_present(processes):
    assert set(processes) >= SHARED_IDS | {"prague", "almaty", "igad"}


# --- Founding years -------------------------------------------------------------------------

FOUNDINGS = [
    # (id, year, source): the year the source gives
    ("apc", 1996, "slides-2005"),  # slide 13 « Création 1996 »
    ("bali", 2002, "slides-2005"),  # slide 14
    ("colombo", 2003, "slides-2005"),  # slide 15
    ("igc", 1985, "slides-2005"),  # slide 17
    ("berne", 2001, "slides-2005"),  # slide 21, Symposium international sur les migrations
    ("gcim", 2003, "slides-2005"),  # slide 25, « décembre 2003 »
    ("crm", 1996, "iom-processes-americas"),
    ("csm", 2000, "iom-processes-americas"),
    ("riam", 2012, "iom-processes-americas"),
    ("quito", 2018, "iom-processes-americas"),
    ("mirps", 2017, "iom-processes-americas"),
    ("gfmd", 2006, "sg-report-2008"),  # § 2 « créé en 2006 »
    ("hld-2006", 2006, "sg-report-2008"),  # § 4, 14 and 15 September 2006
    ("igad", 2008, "sg-report-2008"),  # § 58, May 2008
    ("abu-dhabi", 2008, "ilo-2008"),  # first meeting 21-22 January 2008
    ("prague", 2009, "pragueprocess-eu"),
    ("budapest", 1991, "icmpd-2023"),  # talks began in Berlin in 1991
]


@pytest.mark.parametrize(("process_id", "year", "source"), FOUNDINGS)
def test_founding_year_and_its_source(processes, process_id, year, source):
    founded = processes[process_id].founded
    assert founded is not None, f"{process_id} has no founding year"
    assert (founded.year, founded.source) == (year, source)


# (MTM left this list once the seeds gave its year: 2003 per IOM, 2002 per EMN Italy.)
@pytest.mark.parametrize("process_id", ["idm", "mercosur", "ue", "oea"])
def test_no_founding_year_where_no_source_gives_one(processes, process_id):
    assert processes[process_id].founded is None


def test_a_later_date_refines_the_course_year_without_replacing_it(processes):
    bali = processes["bali"].founded
    assert (bali.year, bali.source, bali.date) == (2002, "slides-2005", "2002-02-26")
    assert "baliprocess.net" in bali.note and "février 2002" in bali.note


def test_no_note_shows_an_internal_source_id(processes):
    # Notes are shown to learners (profiles, explorer): sources in words, never by id.
    for process in processes.values():
        notes = [f.note for f in [*process.memberships, process.founded] if f and f.note]
        for note in notes:
            assert "later-figures" not in note and "slides-2005" not in note, process.id


# --- Member lists ---------------------------------------------------------------------------

# Names as the sources write them where CLDR's French name differs.
ALIASES = {
    "brunei darussalam": "BN",
    "hong kong (ras de chine)": "HK",
    "myanmar": "MM",
    "nouvelle caledonie (france)": "NC",
    "france (nouvelle caledonie)": "NC",
    "republique de coree": "KR",
    "rpd coree": "KP",
    "palau": "PW",
    "iraq": "IQ",
    "timor leste": "TL",
    "vietnam": "VN",
    "etats unis d'amerique": "US",
    "guyane": "GY",  # the IOM page's « la Guyane » among South American states: Guyana
}


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("’", "'"))
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"^(le |la |les |l')", "", text.strip())
    return re.sub(r"[\s-]+", " ", text)


def code_for(name: str) -> str:
    """The ISO code of a country as a source names it (CLDR French name or a known alias)."""
    key = _fold(name)
    if key in ALIASES:
        return ALIASES[key]
    matches = [code for code in all_countries("fr") if _fold(cldr_name(code)) == key]
    assert len(matches) == 1, f"{name!r} matches {matches} in CLDR"
    return matches[0]


def codes_for(names: str) -> list[str]:
    """Codes for a source's list « A, B, C et D » (the deck also writes « and »)."""
    return [code_for(n) for n in re.split(r",\s*|\s+(?:et|and)\s+", names) if n.strip()]


MEMBER_LISTS = [
    # (id, source, as_of, stated count, the list as the source writes it)
    (
        "apc",
        "slides-2005",
        2005,
        33,  # « 32 Etats Hong Kong RAS »: 32 States (New Caledonia counted for France) + HK
        "Afghanistan, Australie, Bangladesh, Bhoutan, Brunei Darussalam, Cambodge, Chine, "
        "Fidji, Hong Kong (RAS de Chine), Inde, Indonésie, Japon, Kiribati, Laos, Malaisie, "
        "Micronésie, Mongolie, Myanmar, Nauru, Népal, Nouvelle Calédonie (France), Nouvelle "
        "Zélande, Pakistan, Papouasie Nouvelle Guinée, Philippines, République de Corée, "
        "Samoa, Singapour, Iles Salomon, Sri Lanka, Thailande, Timor Leste et Vietnam",
    ),
    (
        "bali",
        "slides-2005",
        2005,
        40,  # « 40 Etats »
        "Afghanistan, Australie, Bangladesh, Bhoutan, Brunei Darussalam, Cambodge, Chine, RPD "
        "Corée, Fidji, France (Nouvelle Calédonie), Inde, Indonésie, Iran, Iraq, Japon, "
        "Jordanie, Kiribati, Laos, Malaisie, Mongolie, Myanmar, Nauru, Népal, Nouvelle "
        "Zélande, Pakistan, Palau, Papouasie-Nouvelle-Guinée, Philippines, République de "
        "Corée, Samoa, Singapour, Iles Salomon, Sri Lanka, Syrie, Thaïlande, Timor Leste, "
        "Tonga, Turquie, Vanuatu and Vietnam",
    ),
    (
        "colombo",
        "slides-2005",
        2005,
        10,  # « 10 Etats »
        "Bangladesh, Chine, Inde, Indonésie, Népal, Pakistan, Philippines, Sri Lanka, "
        "Thaïlande et Vietnam",
    ),
    (
        "igc",
        "slides-2005",
        2005,
        16,  # « 16 Etats »
        "Australie, Autriche, Belgique, Canada, Danemark, Finlande, Allemagne, Irlande, "
        "Pays-Bas, Nouvelle Zélande, Norvège, Espagne, Suède, Suisse, Royaume-Uni et Etats-Unis",
    ),
    (
        "crm",
        "iom-processes-americas",
        2023,
        11,  # « 11 pays membres »
        "le Belize, le Canada, le Costa Rica, le Salvador, la République dominicaine, le "
        "Guatemala, le Honduras, le Mexique, le Nicaragua, Panama et les États-Unis d'Amérique",
    ),
    (
        "csm",
        "iom-processes-americas",
        2023,
        12,
        "l'Argentine, la Bolivie, le Brésil, le Chili, la Colombie, l'Équateur, la Guyane, le "
        "Paraguay, le Pérou, le Suriname, l'Uruguay et le Venezuela",
    ),
]


@pytest.mark.parametrize(
    ("process_id", "source", "as_of", "count", "names"),
    MEMBER_LISTS,
    ids=[row[0] for row in MEMBER_LISTS],
)
def test_reference_member_list_is_the_sources_list(
    processes, process_id, source, as_of, count, names
):
    expected = codes_for(names)
    assert len(expected) == len(set(expected)), "the transcription lists a country twice"
    figure = processes[process_id].member_list
    assert figure is not None
    assert (figure.source, figure.as_of, figure.count) == (source, as_of, count)
    assert set(figure.members) == set(expected), (
        f"missing {sorted(set(expected) - set(figure.members))}, "
        f"extra {sorted(set(figure.members) - set(expected))}"
    )


def test_apc_keeps_the_decks_wording_of_its_count(processes):
    figure = processes["apc"].member_list
    assert figure.count_label == "32 États + Hong Kong (RAS)"
    assert {"HK", "NC"} <= set(figure.members)
    assert "Nouvelle-Calédonie" in figure.note


def test_the_alias_table_is_needed_and_right():
    # Each alias stands for a name CLDR spells otherwise; the code's CLDR name says which.
    assert cldr_name("KP") == "Corée du Nord"
    assert cldr_name("GY") == "Guyana"
    for alias, code in ALIASES.items():
        assert _fold(cldr_name(code)) != alias, f"{alias!r} needs no alias"


# --- Every figure ---------------------------------------------------------------------------


def _figures(process: Process):
    yield from process.memberships
    if process.founded:
        yield process.founded
    if process.topics:
        yield process.topics
    if process.support:
        yield process.support


def test_every_code_is_known_to_cldr(processes):
    for process in processes.values():
        for figure in process.memberships:
            for code in figure.members:
                assert is_country_code(code), f"{process.id}: {code}"
                assert country_name(code)


def test_every_membership_has_a_known_source_and_a_year(processes):
    data, _ = read_yaml(SOURCES)
    known = {s.id for s in SourceList.model_validate(data).sources}
    for process in processes.values():
        assert set(process.sources) <= known, process.id
        for figure in _figures(process):
            assert figure.source in known, f"{process.id}: {figure.source}"
            assert figure.source in process.sources, f"{process.id} does not cite {figure.source}"
        for figure in process.memberships:
            assert figure.as_of is not None, f"{process.id}: a membership has no year"


def test_later_figures_cite_their_page_and_never_give_the_reference_list(processes):
    sources = {s["id"]: s for s in read_yaml(SOURCES)[0]["sources"]}
    assert len(LATER) >= 20
    for process in processes.values():
        for figure in _figures(process):
            if figure.source in LATER:
                page = sources[figure.source]
                assert page.get("publisher") and page.get("year"), f"{process.id}: {page['id']}"
        reference = process.member_list
        if reference is not None:
            # The course's own documents, or a public page the seeds quote (with its address):
            # never the compilation of later figures.
            assert reference.source in COURSE_SOURCES or sources[reference.source].get("url"), (
                process.id
            )


@pytest.mark.parametrize(
    ("process_id", "course_source"),
    [
        ("bali", "slides-2005"),
        ("colombo", "slides-2005"),
        ("igc", "slides-2005"),
        ("crm", "iom-processes-americas"),
        ("mirps", "iom-processes-americas"),
        ("gfmd", "sg-report-2008"),
    ],
)
def test_later_figures_stand_beside_the_courses_own(processes, process_id, course_source):
    sources = [figure.source for figure in processes[process_id].memberships]
    assert course_source in sources and LATER.intersection(sources)


def test_a_count_that_differs_from_its_list_is_explained(processes):
    for process in processes.values():
        for figure in process.memberships:
            if figure.count is not None and figure.members and figure.count != len(figure.members):
                assert figure.note, f"{process.id}: count {figure.count} vs list, unexplained"


# The deck's extraction lost every apostrophe and œ, and left one English word.
BROKEN_FORMS = ("main duvre", "en uvre", "dinformations", "dorigine", "lasile", "daide", "dune ")


def test_deck_topics_are_restored_french(processes):
    for process_id in ("apc", "bali", "colombo", "igc"):
        topics = processes[process_id].topics
        assert (topics.source, topics.as_of) == ("slides-2005", 2005)
        for item in topics.items:
            assert not any(form in item for form in BROKEN_FORMS), item
            assert "return" not in item.casefold(), item
    assert "Migration de main-d’œuvre" in processes["apc"].topics.items
    assert "Partage d’informations" in processes["bali"].topics.items
    assert "Mise en œuvre des lois" in processes["bali"].topics.items


# --- Export ---------------------------------------------------------------------------------

MINIMAL_MODULE = """\
id: theme-1
number: 1
title: Thème de test
duration_minutes: 10
objectives: [Tester l'export]
sources: [slides-2005]
sections:
  - id: s
    title: Section
    slides:
      - {id: profil-apc, process: apc}
"""


@pytest.fixture
def exported_course(shipped_course, tmp_path: Path) -> Course:
    """The shipped course when it loads; else a one-module course around the shipped dataset."""
    if shipped_course is not None:
        return shipped_course
    root = tmp_path / "course"
    (root / "modules").mkdir(parents=True)
    for name in ("sources.yaml", "processes.yaml"):
        (root / "modules" / name).write_bytes((ROOT / "modules" / name).read_bytes())
    (root / "modules" / "course.yaml").write_text(
        "id: test\ntitle: Test\nmodules: [theme-1]\n", encoding="utf-8"
    )
    (root / "modules" / "theme-1.yaml").write_text(MINIMAL_MODULE, encoding="utf-8")
    return load_course(root)


def test_json_export_round_trips_the_dataset(exported_course):
    result = CliRunner().invoke(
        main, ["export", "processes", "--format", "json", "--root", str(exported_course.root)]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    models = exported_course.processes
    assert [r["id"] for r in records] == list(models)
    for record in records:
        process = models[record["id"]]
        assert record["kind"] in {"bilateral", "regional", "interregional", "global"}
        assert record["founded"] == (process.founded.year if process.founded else None)
        assert record["members"] == process.members
        assert all(is_country_code(code) for code in record["members"])
        if process.memberships:
            reference = process.member_list or process.memberships[0]
            assert (record["source"], record["as_of"]) == (reference.source, reference.as_of)
    by_id = {r["id"]: r for r in records}
    assert by_id["crm"]["founded"] == 1996 and len(by_id["crm"]["members"]) == 11
    assert by_id["igc"]["as_of"] == 2005 and "NO" in by_id["igc"]["members"]


# --- Africa and the Mediterranean (seeds/african-processes.md) -------------------------------

# The public pages quoted in the seed file write countries in English; CLDR's English names
# turn them into codes, with these aliases where the page's spelling differs from CLDR's.
ALIASES_EN = {
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "drc": "CD",
    "congo": "CG",
    "the gambia": "GM",
    "cabo verde": "CV",
    "sao tome and principe": "ST",
    "czech republic": "CZ",
    "swaziland": "SZ",
    "turkey": "TR",
}


def code_for_en(name: str) -> str:
    """The ISO code of a country as an English page names it."""
    key = _fold(name)
    if key in ALIASES_EN:
        return ALIASES_EN[key]
    matches = [code for code, cldr in all_countries("en").items() if _fold(cldr) == key]
    assert len(matches) == 1, f"{name!r} matches {matches} in CLDR"
    return matches[0]


def codes_for_en(names: str) -> list[str]:
    # Commas only: « São Tomé and Príncipe » is one name.
    return [code_for_en(n) for n in re.split(r",\s*", names) if n.strip()]


AFRICA_MED_IDS = [
    "midsa", "midwa", "igad", "midcom", "midcas", "rabat", "khartoum", "dialogue-5-5", "mtm",
    "pafom", "arcp",
]  # fmt: skip

AFRICA_MED_LISTS = [
    # (id, source, as_of, stated count or None, the list as the seed's page writes it)
    (
        "midsa",
        "oim-midsa",
        2025,
        16,  # « Member States (16 States) »
        "Angola, Botswana, Comoros, Eswatini, Democratic Republic of the Congo, Lesotho, "
        "Madagascar, Malawi, Mauritius, Mozambique, Namibia, Seychelles, South Africa, "
        "Tanzania, Zambia, Zimbabwe",
    ),
    (
        "midwa",
        "niamey-midwa",
        2026,
        15,
        "Benin, Burkina Faso, Cabo Verde, Côte d'Ivoire, The Gambia, Ghana, Guinea, "
        "Guinea-Bissau, Liberia, Mali, Niger, Nigeria, Senegal, Sierra Leone, Togo",
    ),
    (
        "igad",
        "igad-a-propos",
        2026,
        8,  # « composed of 8 countries »
        "Djibouti, Eritrea, Ethiopia, Kenya, Somalia, Sudan, South Sudan, Uganda",
    ),
    (
        "midcom",
        "oim-midcom",
        2026,
        21,  # « Members States (21 States) »
        "Burundi, Comoros, Democratic Republic of the Congo, Djibouti, Egypt, Eritrea, "
        "Ethiopia, Eswatini, Kenya, Libya, Madagascar, Malawi, Mauritius, Rwanda, Seychelles, "
        "Somalia, Sudan, Tunisia, Uganda, Zambia, Zimbabwe",
    ),
    (
        "midcas",
        "midcas-projet-oim",
        2016,
        10,  # « 10 Members »
        "Angola, Burundi, Cameroon, Chad, Central African Republic, Congo, Democratic Republic "
        "of the Congo, Gabon, Equatorial Guinea, São Tomé and Príncipe",
    ),
    (
        "dialogue-5-5",
        "euneighbours-2020",
        2020,
        10,
        "Spain, France, Italy, Malta, Portugal, Algeria, Libya, Morocco, Mauritania, Tunisia",
    ),
    (
        "rabat",
        "rabat-partenaires",
        2026,
        57,  # « 28 African countries 29 European countries »
        "Algeria, Benin, Burkina Faso, Cameroon, Cabo Verde, Chad, Congo, Côte d'Ivoire, "
        "Gabon, Gambia, Ghana, Guinea, Equatorial Guinea, Guinea-Bissau, Liberia, Libya, Mali, "
        "Morocco, Mauritania, Niger, Nigeria, Central African Republic, DR Congo, Senegal, "
        "São Tomé and Príncipe, Sierra Leone, Togo, Tunisia, "
        "Austria, Belgium, Bulgaria, Croatia, Cyprus, Czech Republic, Denmark, Estonia, "
        "Finland, France, Germany, Greece, Hungary, Ireland, Italy, Latvia, Lithuania, "
        "Luxembourg, Malta, Netherlands, Norway, Poland, Portugal, Romania, Slovakia, Slovenia, "
        "Spain, Sweden, Switzerland",
    ),
    (
        "khartoum",
        "khartoum-acteurs",
        2019,
        None,  # the page states no total: 37 signatories, then four members named
        "Austria, Belgium, Bulgaria, Croatia, Cyprus, Czech Republic, Denmark, Djibouti, Egypt, "
        "Eritrea, Estonia, Ethiopia, Finland, France, Germany, Greece, Hungary, Ireland, Italy, "
        "Kenya, Latvia, Lithuania, Luxembourg, Malta, Netherlands, Poland, Portugal, Romania, "
        "Slovakia, Slovenia, Somalia, South Sudan, Spain, Sudan, Sweden, Tunisia, United "
        "Kingdom, Libya, Norway, Switzerland, Uganda",
    ),
    (
        "mtm",
        "oim-mtm",
        2026,
        None,  # « more than 40 Governments »: no exact count
        "Algeria, Cabo Verde, Egypt, Ethiopia, Ghana, Kenya, Lebanon, Libya, Mali, Morocco, "
        "Niger, Nigeria, Norway, Senegal, Syria, Switzerland, Tunisia, Turkey, "
        "Austria, Belgium, Bulgaria, Cyprus, Czechia, Denmark, Estonia, Finland, France, "
        "Germany, Greece, Hungary, Ireland, Italy, Latvia, Lithuania, Luxembourg, Malta, "
        "Netherlands, Poland, Portugal, Romania, Slovakia, Slovenia, Spain, Sweden, United "
        "Kingdom",
    ),
    (
        "arcp",
        "oim-arcp",
        2026,
        22,  # « Member States (22 States) »
        "Algeria, Bahrain, Comoros, Djibouti, Egypt, Iraq, Jordan, Kuwait, Lebanon, Libya, "
        "Mauritania, Morocco, Oman, Palestinian Territories, Qatar, Saudi Arabia, Somalia, "
        "Sudan, Syria, Tunisia, United Arab Emirates, Yemen",
    ),
]


@pytest.mark.parametrize(
    ("process_id", "source", "as_of", "count", "names"),
    AFRICA_MED_LISTS,
    ids=[row[0] for row in AFRICA_MED_LISTS],
)
def test_africa_med_member_list_is_the_pages_list(
    processes, process_id, source, as_of, count, names
):
    expected = codes_for_en(names)
    assert len(expected) == len(set(expected)), "the transcription lists a country twice"
    figure = processes[process_id].member_list
    assert figure is not None
    assert (figure.source, figure.as_of, figure.count) == (source, as_of, count)
    assert set(figure.members) == set(expected), (
        f"missing {sorted(set(expected) - set(figure.members))}, "
        f"extra {sorted(set(figure.members) - set(expected))}"
    )
    if count is not None:  # these pages' counts and lists agree: no unexplained gap here
        assert len(figure.members) == count


def test_code_for_en_reads_cldr_and_aliases():
    assert code_for_en("Eswatini") == "SZ" and code_for_en("Swaziland") == "SZ"
    assert code_for_en("DR Congo") == "CD" and code_for_en("Congo") == "CG"
    assert code_for_en("Niger") == "NE" and code_for_en("Nigeria") == "NG"
    for alias, code in ALIASES_EN.items():
        assert _fold(country_name(code, "en")) != alias, f"{alias!r} needs no alias"


AFRICA_MED_FOUNDINGS = [
    # (id, year, source, the other year a source gives, or None)
    ("midsa", 2000, "midsa-rapport-2013", None),  # « Founded in November 2000 »
    ("midwa", 2000, "midwa-lettre-2020", 2001),  # IOM profile: « Established: 2001 »
    ("igad", 2008, "sg-report-2008", 2010),  # IGAD: roll-out meeting in 2010
    ("midcom", 2013, "comesa-lancement-2013", 2017),  # IOM 2017: the « first » meeting
    ("midcas", 2012, "oim-midcas-2013", 2015),  # endorsed 2014, adopted by ECCAS 2015
    ("rabat", 2006, "sg-report-2008", None),
    ("khartoum", 2014, "informe-ue-2015", None),
    ("dialogue-5-5", 2002, "oim-5-5-2016", 1990),  # the wider 5+5 forum: Rome 1990
    ("mtm", 2003, "oim-mtm", 2002),  # EMN Italy: « iniziato nel 2002 »
    ("pafom", 2015, "oit-accra-2015", None),
    ("arcp", 2015, "oim-arcp-2015", 2014),  # LAS Council decision, 2014
]


@pytest.mark.parametrize(
    ("process_id", "year", "source", "other_year"),
    AFRICA_MED_FOUNDINGS,
    ids=[row[0] for row in AFRICA_MED_FOUNDINGS],
)
def test_africa_med_founding_keeps_both_years_where_sources_disagree(
    processes, process_id, year, source, other_year
):
    founded = processes[process_id].founded
    assert founded is not None
    assert (founded.year, founded.source) == (year, source)
    if other_year is not None:
        assert founded.note and str(other_year) in founded.note


@pytest.mark.parametrize(
    ("process_id", "dated_counts"),
    [
        ("midsa", {2015: 15, 2025: 16}),  # Comoros is on the later list only
        ("rabat", {2006: 57, 2014: 58, 2026: 57}),
        ("khartoum", {2014: 37, 2024: 36, 2025: 40}),
        ("midcom", {2013: 17, 2026: 21}),
        ("arcp", {2015: 22, 2026: 22}),
    ],
)
def test_africa_med_dated_counts_stand_side_by_side(processes, process_id, dated_counts):
    counts = {m.as_of: m.count for m in processes[process_id].memberships if m.count}
    assert counts == dated_counts


def test_africa_med_profiles_are_complete(shipped_course, processes):
    sources = (shipped_course or load_course(ROOT)).sources
    for process_id in AFRICA_MED_IDS:
        process = processes[process_id]
        assert process.founded and process.topics and process.support, process_id
        for figure in _figures(process):
            source = sources[figure.source]
            if source.undated:  # an undated page: the figure says which year it describes
                assert figure.as_of is not None, f"{process_id}: {figure.source}"
    assert not processes["pafom"].memberships  # « all AU member states »: no count, no list


def test_web_sources_show_a_publisher_a_year_and_their_address(shipped_course):
    course = shipped_course or load_course(ROOT)
    pages = [s for s in course.sources.values() if s.url]
    assert len(pages) >= 50
    for source in pages:
        assert source.publisher and source.label and source.accessed, source.id
        assert not source.undated or source.date is None, source.id
        assert source.label != source.id


# Facts the seed file lists as unsourced (its section 16): none may reach the course.
UNSOURCED = [
    "Mbabane",  # MIDSA's first meeting
    "16-17 octobre 2002",  # the first 5+5 conference's days
    "16 et 17 octobre 2002",
    "25 novembre 2008",  # Rabat Process, Paris conference
    "réadmise",  # Syria's readmission to the Arab League
]


def test_nothing_the_seed_marks_unsourced_is_used():
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "modules").glob("*.yaml")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "quizzes").glob("*.yaml")]
    for fact in UNSOURCED:
        assert not any(fact in text for text in texts), fact


def test_the_suspended_arcp_member_stays_unnamed(processes):
    (other_version,) = [m for m in processes["arcp"].memberships if m.note]
    assert "suspendu, qu’elle ne nomme pas" in other_version.note
    assert "Syrie" not in other_version.note


def test_a_list_without_a_stated_count_never_shows_another_number(processes):
    # Profiles print the first number of count_label; for a list with no stated count it must
    # be the list's own length (Khartoum's page names 41 states: 37 signatories, then 4).
    from course.presenting import member_count

    for process_id in AFRICA_MED_IDS:
        for figure in processes[process_id].memberships:
            if figure.count is None and figure.members:
                shown = member_count(figure)
                assert shown == str(len(figure.members)) or shown.startswith("plus de"), (
                    process_id,
                    shown,
                )
