"""The questions of a quiz attempt as HTML form fields, written directly from the attempt.

Each learner's first view of an attempt is a new page (a new seed draws new questions
in a new order), so it cannot come from a cache; the fields of a question shown in a
given order can (``KeptFields``). Rendering the fields through WTForms
widgets and Jinja macros took about 2 ms a page; writing them here, with each text
escaped once, takes a tenth of that. WTForms still checks what comes back
(``webapp.quizzes.forms``); the names, ids and values written here are the ones those
forms read, and the tests submit what this page offers.

``values`` are the learner's submitted answers (a form shown again with a mistake to
fix keeps them); ``mistake`` is the message for this question, if any.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from markupsafe import Markup
from markupsafe import escape as escape_value
from werkzeug.datastructures import MultiDict

from course import models
from course.attempts import Item
from course.course import Course
from webapp.pagecache import Lru
from webapp.quizzes.forms import MAX_TEXT, field_names

NO_VALUES: MultiDict[str, str] = MultiDict()
# The course's texts come back again and again; a learner's own answers are escaped as
# they come (escape_value), never kept.
escape = lru_cache(maxsize=8192)(escape_value)
MULTIPLE_HINT = "Plusieurs réponses possibles\u00a0; une case cochée à tort enlève des points."
ORDERING_HINT = (
    'Donnez à chaque élément sa position (1 = le premier).<span class="js-only"> '
    "Vous pouvez aussi faire glisser les éléments.</span>"
)


KEPT_FIELDS = 2048  # (question, order) pairs per worker: 7 MB with the shipped quizzes
_KEY = "<KEY>"  # stands for an item's key in kept fields; escaped course text has no "<"


class KeptFields:
    """The fields of a course's written questions, kept per question and order.

    A new attempt's page is new, but its questions are not: a question with four
    choices has 24 orders, shown again and again to other learners. Kept with a marker
    in place of the item's key (its position in the attempt), the fields serve every
    position: a quiz page with a new seed took 311 µs instead of 402. Generated questions
    change with the seed and are written each time.
    """

    def __init__(self, course: Course, size: int = KEPT_FIELDS) -> None:
        self.written = {
            question.id: question
            for quiz in course.quizzes.values()
            for question in quiz.questions
            if not isinstance(question, models.Generated)
        }
        self.fields = Lru(size)

    def fields_of(self, item: Item) -> str:
        """The fields of ``item`` with nothing answered yet."""
        question = item.question
        if self.written.get(question.id) is not question:  # generated for this attempt
            return _fields(item, question, NO_VALUES)
        key = (question.id, item.order)
        fields = self.fields.get(key)
        if fields is None:
            fields = _fields(replace(item, key=_KEY), question, NO_VALUES)
            self.fields.put(key, fields)
        return fields.replace(_KEY, item.key)


def questions_html(
    items: tuple[Item, ...],
    values: MultiDict[str, str] = NO_VALUES,
    mistakes: dict[str, str] | None = None,
    kept: KeptFields | None = None,
) -> Markup:
    """Every question of an attempt, one ``<fieldset>`` each (``kept``: fields already
    written, used when nothing has been answered)."""
    mistakes = mistakes or {}
    total = len(items)
    kept = kept if not values else None
    return Markup(
        "\n".join(
            question_fieldset(item, number, total, values, mistakes.get(item.key), kept)
            for number, item in enumerate(items, start=1)
        )
    )


def question_fieldset(
    item: Item,
    number: int,
    total: int,
    values: MultiDict[str, str] = NO_VALUES,
    mistake: str | None = None,
    kept: KeptFields | None = None,
) -> Markup:
    """The ``<fieldset>`` of one question: prompt, fields, and the mistake to fix if any."""
    key = item.key
    question = item.question
    error = f' aria-describedby="{key}-error"' if mistake else ""
    parts = [
        f'<fieldset class="question card{" has-error" if mistake else ""}" '
        f'id="{key}-question"{error}>',
        f'<legend><span class="q-number">Question {number} sur {total}</span> '
        f'<span class="q-prompt">{escape(question.prompt)}</span></legend>',
    ]
    if mistake:
        parts.append(f'<p class="error" id="{key}-error">{escape_value(mistake)}</p>')
    parts.append(kept.fields_of(item) if kept else _fields(item, question, values))
    parts.append("</fieldset>")
    return Markup("\n".join(parts))


def _fields(item: Item, question, values: MultiDict[str, str]) -> str:
    key = item.key
    if isinstance(question, models.SingleChoice | models.MultipleChoice):
        texts = {choice.id: choice.text for choice in question.choices}
        choices = [(cid, texts[cid]) for cid in item.order]
        if isinstance(question, models.MultipleChoice):
            boxes = _options(key, choices, "checkbox", values.getlist(key))
            return f'<p class="hint">{MULTIPLE_HINT}</p>\n{boxes}'
        return _options(key, choices, "radio", values.getlist(key)[:1])
    if isinstance(question, models.TrueFalse):
        choices = [("vrai", "Vrai"), ("faux", "Faux")]
        return _options(key, choices, "radio", values.getlist(key)[:1])
    if isinstance(question, models.Matching):
        options = (("", "— choisir —"), *((text, text) for text in item.order))
        rows = [
            f'<div class="pair"><label for="{name}">{escape(pair.left)}</label> '
            f"{_select(name, options, _first(values, name))}</div>"
            for name, pair in zip(field_names(item), question.pairs, strict=True)
        ]
        distractors = " (certaines réponses proposées ne correspondent à rien)"
        hint = (
            "Choisissez, pour chaque élément, la réponse qui lui correspond"
            f"{distractors if question.distractors else ''}."
        )
        return f'<p class="hint">{hint}</p>\n<div class="pairs">\n' + "\n".join(rows) + "\n</div>"
    if isinstance(question, models.Ordering):
        positions = (("", "—"), *((str(n), str(n)) for n in range(1, len(item.order) + 1)))
        rows = [
            f'<li class="order-item">'
            f"{_select(name, positions, _first(values, name), f'{key}-hint')} "
            f'<label for="{name}">{escape(text)}</label></li>'
            for name, text in zip(field_names(item), item.order, strict=True)
        ]
        return (
            f'<p class="hint" id="{key}-hint">{ORDERING_HINT}</p>\n'
            '<ol class="ordering" data-ordering>\n' + "\n".join(rows) + "\n</ol>"
        )
    if isinstance(question, models.Numeric):
        unit = f" (en {escape(question.unit)})" if question.unit else ""
        field = _text_input(key, _first(values, key), ' inputmode="decimal"')
        return (
            f'<div class="field short"><label for="{key}">Votre réponse{unit}</label> {field}</div>'
        )
    if isinstance(question, models.ShortText):
        field = _text_input(key, _first(values, key), ' spellcheck="false"')
        return f'<div class="field"><label for="{key}">Votre réponse</label> {field}</div>'
    raise TypeError(f"no form field for {type(question).__name__}")  # pragma: no cover


def _first(values: MultiDict[str, str], name: str) -> str:
    # ``in`` first: MultiDict.get builds an HTTP exception for every missing key.
    return values.get(name, "") if name in values else ""


def _options(key: str, choices: list[tuple[str, str]], kind: str, checked: list[str]) -> str:
    """Radio buttons or check boxes, one ``<div class="option">`` each."""
    rows = [
        f'<div class="option"><input {"checked " if value in checked else ""}'
        f'id="{key}-{index}" name="{key}" type="{kind}" value="{escape(value)}"> '
        f'<label for="{key}-{index}">{escape(label)}</label></div>'
        for index, (value, label) in enumerate(choices)
    ]
    return '<div class="options">\n' + "\n".join(rows) + "\n</div>"


def _select(name: str, options: Options, chosen: str, describedby="") -> str:
    described = f'aria-describedby="{describedby}" ' if describedby else ""
    # Nothing chosen (a new attempt): the same options for every select of a question.
    rendered = _unchosen_options(options) if not chosen else _option_tags(options, chosen)
    return f'<select {described}id="{name}" name="{name}">{rendered}</select>'


Options = tuple[tuple[str, str], ...]  # (value, label) pairs


def _option_tags(options: Options, chosen: str) -> str:
    return "".join(
        f'<option {"selected " if value == chosen else ""}value="{escape(value)}">'
        f"{escape(label)}</option>"
        for value, label in options
    )


@lru_cache(maxsize=4096)
def _unchosen_options(options: Options) -> str:
    return _option_tags(options, "")


def _text_input(key: str, value: str, extra: str) -> str:
    return (
        f'<input autocomplete="off"{extra} id="{key}" maxlength="{MAX_TEXT}" name="{key}" '
        f'type="text" value="{escape_value(value)}">'
    )
