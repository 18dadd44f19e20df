"""Questions generated from the processes dataset, so that quizzes and data never disagree.

A ``Generated`` recipe names a generator and the processes to draw from; ``generate``
turns it into concrete questions (ids ``<recipe id>-<n>``), the same ones for the same
seed. Each generator builds its question so that every item has exactly one right
answer and no distractor is another right answer:

- ``founding_year``: match processes (distinct founding years) to their years; the
  distractor is a year of the same decade that no listed process was founded in.
- ``chronology``: put processes (distinct founding years) in order of creation.
- ``members``: match processes to three of their members that belong to none of the
  other listed processes; the distractor lists countries of none of them, taken from
  processes of the same region first.
- ``member_of``: which of these countries belongs to a process? One member; the other
  choices appear in none of its membership lists (same region's processes first).
- ``region`` / ``kind``: match processes to their region or form of cooperation; the
  distractor is a region or form none of them has. Regions that overlap (« Asie » and
  « Asie-Pacifique ») never appear in the same question.

Membership questions use each process's reference list (its earliest listed members)
and say its year and source, since memberships change.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Sequence
from functools import cache
from itertools import combinations, cycle

from course import models
from course.countries import country_name
from course.course import Course, sort_key
from course.grading import ConcreteQuestion

MEMBERS_SHOWN = 3  # members per list in a ``members`` matching
_MAX_TRIES = 50_000  # sets of processes a ``members`` question may try


class GenerationError(ValueError):
    """The dataset cannot supply what a recipe asks for."""


def generate(course: Course, recipe: models.Generated, seed: int) -> list[ConcreteQuestion]:
    """The recipe's ``variants`` concrete questions, deterministic for ``seed``."""
    maker = _MAKERS[recipe.generator]
    if recipe.generator in _LISTS_OF_THREE and recipe.items < 3:
        raise GenerationError(
            f"generated question '{recipe.id}': a {recipe.generator} question needs "
            f"items: 3 or more (matchings and orderings have 3 at least), not {recipe.items}"
        )
    rng = random.Random(seed)
    pool = _pool(course, recipe)
    questions = []
    for number in range(1, recipe.variants + 1):
        body = maker(_Context(course, recipe, pool, rng))
        common = {
            "id": f"{recipe.id}-{number}",
            "slide": recipe.slide,
            "tags": list(recipe.tags),
            "points": recipe.points,
        }
        questions.append(_QUESTION_MODELS[body["type"]].model_validate(body | common))
    return questions


def process_label(process: models.Process, asked: str | None = None) -> str:
    """How a question names a process: its short name (« Processus de Bali ») as is,
    an acronym with the full name (« IGC – Consultations intergouvernementales … »).

    ``asked`` is what the question asks about the process (its region, its form of
    cooperation): where the full name says it (« Conférence sud-américaine… » for
    Amérique du Sud, « Conférence régionale… » for régional), the acronym stands alone.
    """
    if not process.acronym.isupper():
        return process.acronym
    if asked is not None and name_tells(process.name, asked):
        return process.acronym
    if process.acronym.casefold() in process.name.casefold():
        return process.name
    return f"{process.acronym} – {process.name}"


def name_tells(name: str, answer: str) -> bool:
    """Whether a process's name says ``answer`` (a region or a form of cooperation): a
    significant word of the answer begins a word of the name (« régional » and
    « régionale », but not « interrégionale »), or the two differ only by their ending
    (« Amérique » and « américaine », « Afrique » and « africaine »; not « interrégional »
    and « intergouvernemental »)."""
    return any(
        _same_stem(word, said) for word in region_words(answer) for said in region_words(name)
    )


def _same_stem(word: str, said: str) -> bool:
    word, said = word.replace("qu", "c"), said.replace("qu", "c")
    if said.startswith(word):
        return True
    shared = next(
        (i for i, (a, b) in enumerate(zip(word, said, strict=False)) if a != b),
        min(len(word), len(said)),
    )
    return shared >= max(5, min(len(word), len(said)) - 3)


_MINOR_WORDS = frozenset({"et", "de", "du", "des", "la", "le", "les", "l", "d", "pays"})


@cache  # asked thousands of times per load about a few dozen regions
def region_words(region: str) -> frozenset[str]:
    """The significant words of a region name (« Asie-Pacifique » → asie, pacifique)."""
    words = re.findall(r"[^\W\d_]+", sort_key(region))
    # Singular forms, so that « Amériques » and « Amérique du Nord » overlap.
    return frozenset(w.removesuffix("s") for w in words if w not in _MINOR_WORDS)


def regions_clash(first: str, second: str) -> bool:
    """Two different regions that overlap (« Asie » and « Asie-Pacifique »): a learner
    could defend either, so one question never offers both."""
    return first != second and bool(region_words(first) & region_words(second))


class _Context:
    """What a generator works with: the course, the recipe, its processes and the RNG."""

    def __init__(self, course, recipe, pool, rng) -> None:
        self.course: Course = course
        self.recipe: models.Generated = recipe
        self.pool: list[models.Process] = pool
        self.rng: random.Random = rng

    def fail(self, message: str) -> GenerationError:
        return GenerationError(f"generated question '{self.recipe.id}': {message}")

    def source_title(self, source_id: str) -> str:
        source = self.course.sources.get(source_id)
        # A web page's label names its publisher (« OIM, fiche du MIDSA »); a document, its title.
        return (source.label or source.title) if source else source_id


def _pool(course: Course, recipe: models.Generated) -> list[models.Process]:
    """The recipe's processes in a stable order (every process when it lists none)."""
    if recipe.processes:
        missing = [p for p in recipe.processes if p not in course.processes]
        if missing:
            raise GenerationError(
                f"generated question '{recipe.id}': unknown processes {', '.join(missing)}"
            )
        return [course.processes[p] for p in dict.fromkeys(recipe.processes)]
    return list(course.processes.values())


# --- Picking ---------------------------------------------------------------------


def _distinct_years(ctx: _Context, minimum: int) -> list[models.Process]:
    """``items`` processes with different founding years, in chronological order."""
    by_year: dict[int, list[models.Process]] = {}
    for process in ctx.pool:
        if process.founded:
            by_year.setdefault(process.founded.year, []).append(process)
    wanted = ctx.recipe.items
    if len(by_year) < max(wanted, minimum):
        raise ctx.fail(
            f"asks for {wanted} processes with different founding years; "
            f"its processes have {len(by_year)}"
        )
    years = sorted(ctx.rng.sample(sorted(by_year), wanted))
    return [ctx.rng.choice(by_year[year]) for year in years]


def _spread(
    ctx: _Context,
    key: Callable[[models.Process], str],
    clash: Callable[[str, str], bool],
) -> list[models.Process]:
    """``items`` processes covering as many values of ``key`` as possible, no two values
    clashing, shuffled."""
    groups: dict[str, list[models.Process]] = {}
    for process in ctx.pool:
        groups.setdefault(key(process), []).append(process)
    wanted = max(ctx.recipe.items, 3)
    values = sorted(groups)
    # Greedy picks depend on the order tried: try several before giving up.
    for _ in range(100):
        ctx.rng.shuffle(values)
        kept: list[str] = []
        for value in values:
            if not any(clash(value, other) for other in kept):
                kept.append(value)
        available = sum(len(groups[value]) for value in kept)
        if available >= wanted:
            break
    else:
        raise ctx.fail(
            f"asks for {ctx.recipe.items} processes; at most {available} have values "
            "that do not overlap"
        )
    for value in kept:
        ctx.rng.shuffle(groups[value])
    chosen: list[models.Process] = []
    for value in cycle(kept):
        if len(chosen) == ctx.recipe.items:
            break
        if groups[value]:
            chosen.append(groups[value].pop())
    ctx.rng.shuffle(chosen)
    return chosen


def _all_listed(process: models.Process) -> set[str]:
    """Every country any membership figure of the process lists."""
    return {code for figure in process.memberships for code in figure.members}


def _sorted_names(codes: Sequence[str]) -> list[str]:
    return sorted((country_name(c) for c in codes), key=sort_key)


def _list_year(ctx: _Context, process: models.Process) -> str:
    """« de 2005 » for a reference member list dated 2005 (empty when undated); « consultée
    en 2026 (page non datée) » when the year is only the year an undated page was read."""
    figure = process.member_list
    source = ctx.course.sources.get(figure.source) if figure else None
    if figure and source and source.undated and figure.as_of in (None, source.year):
        return f" consultée en {source.year} (page non datée)"
    return f" de {figure.as_of}" if figure and figure.as_of else ""


def _list_origin(ctx: _Context, process: models.Process) -> str:
    """« liste de 2005, source : <title> »: where a reference member list comes from."""
    source = ctx.source_title(process.member_list.source)
    return f"liste{_list_year(ctx, process)}, source : {source}"


def _since(ctx: _Context, process: models.Process) -> str:
    """« Effectif plus récent : 12 membres en 2026 (source : …). » when a later figure differs."""
    reference = process.member_list
    later = [
        m
        for m in process.memberships
        if m.as_of and reference.as_of and m.as_of > reference.as_of and m.count
    ]
    if not later:
        return ""
    latest = max(later, key=lambda m: m.as_of)
    if latest.count == len(reference.members):
        return ""
    return (
        f" Effectif plus récent : {latest.count} membres en {latest.as_of} "
        f"(source : {ctx.source_title(latest.source)})."
    )


def _plausible_countries(
    ctx: _Context, near: Sequence[models.Process], excluded: set[str]
) -> list[str]:
    """Countries in none of ``excluded``: members of processes of the same or an overlapping
    region first (shuffled), then the others."""
    regions = {p.region for p in near}

    def nearby(process: models.Process) -> bool:
        return any(process.region == r or regions_clash(process.region, r) for r in regions)

    ranked: list[str] = []
    taken = set(excluded)
    listed = ctx.course.listed_countries  # worked out once per course: drawing asks often
    for same_region in (True, False):
        for process_id, countries in listed.items():
            if nearby(ctx.course.processes[process_id]) == same_region:
                codes = sorted(countries - taken)
                ctx.rng.shuffle(codes)
                ranked += codes
                taken.update(codes)
    return ranked


def _letters(count: int) -> list[str]:
    return list(string.ascii_lowercase[:count])


# --- Generators: each returns the fields of one concrete question -----------------


def _founding_year(ctx: _Context) -> dict:
    chosen = _distinct_years(ctx, minimum=3)
    ctx.rng.shuffle(chosen)
    years = {p.founded.year for p in chosen}
    newest = max(p.founded.year for p in ctx.course.processes.values() if p.founded)
    decades = sorted({y // 10 * 10 for y in years})
    near = [y for d in decades for y in range(d, d + 10) if y not in years and y <= newest]
    distractors = [str(ctx.rng.choice(near))] if near else []
    return {
        "type": "matching",
        "prompt": "Associez chaque processus à l'année de sa création.",
        "pairs": [{"left": process_label(p), "right": str(p.founded.year)} for p in chosen],
        "distractors": distractors,
        "explanation": _years_explained(ctx, chosen),
    }


def _chronology(ctx: _Context) -> dict:
    chosen = _distinct_years(ctx, minimum=3)
    return {
        "type": "ordering",
        "prompt": "Classez ces processus du plus ancien au plus récent (année de création).",
        "items": [process_label(p) for p in chosen],
        "explanation": _years_explained(ctx, sorted(chosen, key=lambda p: p.founded.year)),
    }


def _years_explained(ctx: _Context, processes: list[models.Process]) -> str:
    facts = " ; ".join(f"{p.acronym} : {p.founded.year}" for p in processes)
    sources = dict.fromkeys(ctx.source_title(p.founded.source) for p in processes)
    return f"Années de création : {facts} (sources : {' ; '.join(sources)})."


def _members(ctx: _Context) -> dict:
    listed = [p for p in ctx.pool if p.members]
    wanted = ctx.recipe.items
    if len(listed) < max(wanted, 3):
        raise ctx.fail(f"asks for {wanted} processes with member lists; there are {len(listed)}")
    ctx.rng.shuffle(listed)
    # Try sets in a random order; stop at the first where every list stays distinctive.
    for tried, chosen in enumerate(combinations(listed, wanted)):
        own = {
            p.id: sorted(set(p.members) - set().union(*(_all_listed(o) for o in chosen if o != p)))
            for p in chosen
        }
        if all(len(codes) >= MEMBERS_SHOWN for codes in own.values()):
            chosen = list(chosen)
            ctx.rng.shuffle(chosen)
            break
        if tried == _MAX_TRIES:
            raise ctx.fail(f"found no {wanted} processes with distinctive members in {tried} tries")
    else:
        raise ctx.fail(
            f"cannot find {wanted} processes that each have {MEMBERS_SHOWN} members "
            "belonging to none of the others"
        )
    shown = {p.id: ctx.rng.sample(own[p.id], MEMBERS_SHOWN) for p in chosen}
    excluded = set().union(*(_all_listed(p) for p in chosen))
    others = _plausible_countries(ctx, chosen, excluded)
    distractors = (
        [", ".join(_sorted_names(others[:MEMBERS_SHOWN]))] if len(others) >= MEMBERS_SHOWN else []
    )
    facts = " ; ".join(
        f"{p.acronym} : {', '.join(_sorted_names(shown[p.id]))} ({_list_origin(ctx, p)})"
        for p in chosen
    )
    return {
        "type": "matching",
        "prompt": "Associez chaque processus à trois de ses membres "
        "(d'après la liste de référence du cours).",
        "pairs": [
            {"left": process_label(p), "right": ", ".join(_sorted_names(shown[p.id]))}
            for p in chosen
        ],
        "distractors": distractors,
        "explanation": f"Chaque liste ne contient que des membres de son processus : {facts}.",
    }


def _member_of(ctx: _Context) -> dict:
    listed = [p for p in ctx.pool if p.members]
    if not listed:
        raise ctx.fail("none of its processes has a member list")
    process = ctx.rng.choice(listed)
    # A member on every list the sources give, so a later list cannot make it wrong.
    lists = [set(f.members) for f in process.memberships if f.members]
    steady = sorted(set.intersection(*lists)) or sorted(process.members)
    member = ctx.rng.choice(steady)
    others = _plausible_countries(ctx, [process], _all_listed(process))
    wanted = ctx.recipe.items - 1
    if len(others) < wanted:
        raise ctx.fail(
            f"asks for {wanted} countries outside {process.acronym}; the dataset has {len(others)}"
        )
    codes = [member, *others[:wanted]]
    ctx.rng.shuffle(codes)
    ids = _letters(len(codes))
    year = _list_year(ctx, process) or " de référence du cours"
    return {
        "type": "single",
        "prompt": f"{process_label(process)} : lequel de ces pays en est membre, "
        f"d'après la liste{year} ?",
        "choices": [{"id": i, "text": country_name(c)} for i, c in zip(ids, codes, strict=True)],
        "answer": ids[codes.index(member)],
        "explanation": f"{process_label(process)} : {country_name(member)} figure sur sa liste "
        f"de membres{_list_year(ctx, process)} (source : "
        f"{ctx.source_title(process.member_list.source)}) ; les autres pays proposés n'y "
        f"figurent pas, ni sur aucune autre liste du processus.{_since(ctx, process)}",
    }


def _attribute_matching(
    ctx: _Context,
    key: Callable[[models.Process], str],
    vocabulary: list[str],
    clash: Callable[[str, str], bool],
    prompt: str,
    what: str,
) -> dict:
    # A process whose only name says its answer (« Ligue arabe », Région arabe) is not asked.
    fair = [p for p in ctx.pool if not name_tells(process_label(p, asked=key(p)), key(p))]
    chosen = _spread(_Context(ctx.course, ctx.recipe, fair, ctx.rng), key, clash)
    rights = {key(p) for p in chosen}
    spare = [v for v in vocabulary if v not in rights and not any(clash(v, r) for r in rights)]
    facts = " ; ".join(f"{p.acronym} : {key(p)}" for p in chosen)
    return {
        "type": "matching",
        "prompt": prompt,
        "pairs": [{"left": process_label(p, asked=key(p)), "right": key(p)} for p in chosen],
        "distractors": [ctx.rng.choice(spare)] if spare else [],
        "explanation": f"{what} : {facts}.",
    }


def _region(ctx: _Context) -> dict:
    regions = sorted({p.region for p in ctx.course.processes.values()}, key=sort_key)
    return _attribute_matching(
        ctx,
        lambda p: p.region,
        regions,
        regions_clash,
        "Associez chaque processus à sa région.",
        "Régions",
    )


def _kind(ctx: _Context) -> dict:
    return _attribute_matching(
        ctx,
        lambda p: p.kind_label,
        list(models.PROCESS_KIND_LABELS.values()),
        lambda first, second: False,
        "Associez chaque processus à sa forme de coopération.",
        "Formes de coopération",
    )


_MAKERS: dict[str, Callable[[_Context], dict]] = {
    "founding_year": _founding_year,
    "chronology": _chronology,
    "members": _members,
    "member_of": _member_of,
    "region": _region,
    "kind": _kind,
}
QUESTION_TYPE = {
    "founding_year": "matching",
    "chronology": "ordering",
    "members": "matching",
    "member_of": "single",
    "region": "matching",
    "kind": "matching",
}  # the concrete type each generator makes
_LISTS_OF_THREE = frozenset(g for g, kind in QUESTION_TYPE.items() if kind != "single")
_QUESTION_MODELS = {
    "matching": models.Matching,
    "ordering": models.Ordering,
    "single": models.SingleChoice,
}
