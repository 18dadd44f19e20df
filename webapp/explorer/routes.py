"""Explorer of the processes: table, profile pages, timeline, countries and membership matrix."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from wtforms import SelectChoice

from course.countries import country_name, is_country_code
from course.course import sort_key
from course.models import PROCESS_KIND_LABELS, Process
from webapp.content import current_course
from webapp.errors import BadSubmission
from webapp.explorer.forms import SORTS, ProcessFilterForm
from webapp.timeline import timeline_svg

bp = Blueprint("explorer", __name__)


def decade(process: Process) -> str:
    """The founding decade as a filter value (« 1990 »), or empty when unknown."""
    return str(process.founded.year // 10 * 10) if process.founded else ""


def member_count(process: Process) -> int | None:
    """The count of the reference list, else the latest stated count."""
    if process.member_list:
        return len(process.member_list.members)
    counts = [m for m in process.memberships if m.count]
    return max(counts, key=lambda m: m.as_of or 0).count if counts else None


SORT_KEYS = {
    "annee": lambda p: (p.founded is None, p.founded.year if p.founded else 0, sort_key(p.acronym)),
    "sigle": lambda p: sort_key(p.acronym),
    "nom": lambda p: sort_key(p.name),
    "type": lambda p: (p.kind_label, sort_key(p.acronym)),
    "region": lambda p: (sort_key(p.region), sort_key(p.acronym)),
    "membres": lambda p: (member_count(p) is None, member_count(p) or 0, sort_key(p.acronym)),
}


def filter_form() -> ProcessFilterForm:
    """The filter form read from the query string, its choices taken from the dataset."""
    processes = list(current_course().processes.values())
    form = ProcessFilterForm(formdata=request.args if request.args else None)
    form.region.choices = [SelectChoice("", "Toutes")] + [
        SelectChoice(r) for r in sorted({p.region for p in processes}, key=sort_key)
    ]
    form.kind.choices = [SelectChoice("", "Tous")] + [
        SelectChoice(kind, label)
        for kind, label in PROCESS_KIND_LABELS.items()
        if any(p.kind == kind for p in processes)
    ]
    form.decade.choices = [SelectChoice("", "Toutes")] + [
        SelectChoice(d, f"années {d}") for d in sorted({decade(p) for p in processes} - {""})
    ]
    return form


@bp.get("/")
def index():
    """The processes as a table, filtered by region, kind and decade, sortable by column."""
    form = filter_form()
    if request.args and not form.validate():
        raise BadSubmission("Ce filtre ne correspond à aucune option proposée.")
    rows = [
        p
        for p in current_course().processes.values()
        if (not form.region.data or p.region == form.region.data)
        and (not form.kind.data or p.kind == form.kind.data)
        and (not form.decade.data or decade(p) == form.decade.data)
    ]
    rows.sort(key=SORT_KEYS[form.sort.data], reverse=form.order.data == "desc")

    def sort_url(column: str) -> str:
        flip = form.sort.data == column and form.order.data == "asc"
        args = {k: v for k, v in request.args.items() if k not in {"sort", "order", "submit"}}
        return url_for("explorer.index", **args, sort=column, order="desc" if flip else "asc")

    return render_template(
        "explorer/index.html",
        form=form,
        rows=rows,
        total=len(current_course().processes),
        sort_url=sort_url,
        sorts=SORTS,
        member_count=member_count,
    )


@bp.get("/<process_id>")
def process(process_id: str):
    """One process: founding, members with French names, topics, each figure with its source."""
    course = current_course()
    process = course.processes.get(process_id)
    if process is None:
        abort(404)
    slides = [
        place
        for place in course.slides.values()
        if getattr(place.slide, "process", None) == process.id
        or process.id in getattr(place.slide, "timeline", [])
    ]
    return render_template("explorer/process.html", process=process, slides=slides)


@bp.get("/chronologie")
def timeline():
    """Every dated process on one time axis, with a text version."""
    processes = current_course().processes_sorted()
    svg = timeline_svg(processes, "Chronologie des processus de coopération")
    return render_template("explorer/timeline.html", svg=svg, processes=processes)


def memberships_by_country() -> dict[str, list[Process]]:
    """Each country code and the processes whose reference list names it."""
    countries: dict[str, list[Process]] = {}
    for process in current_course().processes_sorted():
        for code in process.members:
            countries.setdefault(code, []).append(process)
    return countries


@bp.get("/pays/")
def countries():
    """Every country named in a member list, with its number of processes."""
    by_country = memberships_by_country()
    codes = sorted(by_country, key=lambda c: sort_key(country_name(c)))
    return render_template("explorer/countries.html", codes=codes, by_country=by_country)


@bp.get("/pays/<code>")
def country(code: str):
    """The processes a country belongs to (according to each process's reference list)."""
    if not is_country_code(code):
        abort(404)
    processes = memberships_by_country().get(code, [])
    return render_template("explorer/country.html", code=code, processes=processes)


@bp.get("/matrice")
def matrix():
    """Countries × processes: who belongs to what, per the dated reference lists."""
    by_country = memberships_by_country()
    processes = [p for p in current_course().processes_sorted() if p.members]
    codes = sorted(by_country, key=lambda c: sort_key(country_name(c)))
    return render_template(
        "explorer/matrix.html", processes=processes, codes=codes, by_country=by_country
    )
