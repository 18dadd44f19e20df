"""The content model: what a course is, as typed, validated pydantic models.

Every renderer (decks, guides, LMS exports, web app) reads these objects and
never the YAML. Models forbid unknown keys so that a typo fails loudly, and
every text goes through French typography when it is loaded.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from course.countries import is_country_code
from course.typography import french

# --- Scalars ---------------------------------------------------------------


def _check_country(code: str) -> str:
    if not is_country_code(code):
        raise ValueError(
            f"'{code}' is not an ISO 3166-1 alpha-2 code (use two capital letters, e.g. FR, HK)"
        )
    return code


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(french)
]
Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64),
    Field(description="lower-case letters, digits and hyphens, e.g. theme-2 or apc"),
]
Year = Annotated[int, Field(ge=1800, le=2100)]
CountryCode = Annotated[str, AfterValidator(_check_country)]
Minutes = Annotated[int, Field(ge=1, le=24 * 60)]
ProcessKind = Literal["bilateral", "regional", "interregional", "global"]

PROCESS_KIND_LABELS: dict[str, str] = {
    "bilateral": "bilatéral",
    "regional": "régional",
    "interregional": "interrégional",
    "global": "mondial",
}


class Model(BaseModel):
    """Base of every content model: unknown keys are errors; objects are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Sources and the processes dataset ---------------------------------------


class Source(Model):
    """A document the course is written from, cited by its id."""

    id: Id
    title: Text
    publisher: Text | None = None
    year: Year
    date: str | None = Field(None, description="ISO date when known, e.g. 2008-08-11")
    language: Literal["fr", "en", "es", "it", "mixed"] = "fr"
    file: str | None = Field(None, description="file name in the seeds folder")
    description: Text | None = None
    # A public web page the course cites (the seeds quote it): where it is, when it was
    # read, and how a citation names it, so a learner sees a publisher and a page.
    url: str | None = Field(None, pattern=r"^https?://", description="the page's address")
    accessed: str | None = Field(None, description="ISO date the page was consulted")
    undated: bool = Field(
        False, description="the page shows no date: `year` is then the year it was consulted"
    )
    label: Text | None = Field(
        None, description="how citations name the source, e.g. « OIM, fiche du MIDSA »"
    )


class Figure(Model):
    """Where a dated figure comes from: a source id, the year it holds for, a detail."""

    source: Id
    as_of: Year | None = Field(None, description="the year the figure describes")
    citation: Text | None = Field(
        None, description="the precise origin inside the source, e.g. a web page and its date"
    )


class Founding(Figure):
    """When a process began."""

    year: Year
    date: str | None = Field(None, description="ISO date or month when known")
    note: Text | None = None


class Membership(Figure):
    """A membership figure: a stated count and/or a list, as of a year."""

    count: int | None = Field(None, ge=1, description="the number the source states")
    count_label: Text | None = Field(
        None, description="the count as the source words it, e.g. « 32 États + Hong Kong (RAS) »"
    )
    members: list[CountryCode] = Field(default_factory=list)
    note: Text | None = None

    @model_validator(mode="after")
    def _count_or_members(self) -> Membership:
        if self.count is None and not self.members:
            raise ValueError("a membership needs a 'count', a 'members' list or both")
        if len(set(self.members)) != len(self.members):
            dupes = sorted({c for c in self.members if self.members.count(c) > 1})
            raise ValueError(f"members listed twice: {', '.join(dupes)}")
        return self


class TopicList(Figure):
    """Topics a process covers, as a source lists them."""

    items: list[Text] = Field(min_length=1)


class Support(Figure):
    """Who runs or supports a process (its secretariat, technical support), as a source says."""

    text: Text


class Process(Model):
    """An intergovernmental process or mechanism of cooperation on migration."""

    id: Id
    acronym: str = Field(min_length=1, max_length=30)
    name: Text
    name_en: str | None = None
    kind: ProcessKind
    region: Text
    summary: Text | None = None
    founded: Founding | None = None
    memberships: list[Membership] = Field(default_factory=list)
    topics: TopicList | None = None
    support: Support | None = Field(None, description="its secretariat and who supports it")
    sources: list[Id] = Field(min_length=1)

    @property
    def kind_label(self) -> str:
        """The kind in French (régional, mondial…)."""
        return PROCESS_KIND_LABELS[self.kind]

    @property
    def member_list(self) -> Membership | None:
        """The earliest figure that lists members: the course's reference list."""
        listed = [m for m in self.memberships if m.members]
        return min(listed, key=lambda m: m.as_of or 0) if listed else None

    @property
    def members(self) -> list[str]:
        """Member codes of the reference list (empty when no source lists them)."""
        figure = self.member_list
        return list(figure.members) if figure else []


# --- Slides -------------------------------------------------------------------


def _bullet_from_string(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Bullet(Model):
    """A bullet point, with optional sub-bullets."""

    text: Text
    sub: list[Text] = Field(default_factory=list)


BulletItem = Annotated[Bullet, BeforeValidator(_bullet_from_string)]


class RoomQuestion(Model):
    """A question the facilitator puts to the room, and the answer to listen for."""

    question: Text
    essential: bool = Field(
        description="true: always asked; false: optional, asked when time allows"
    )
    expected: Text = Field(description="the answer to expect, or the points to draw out")
    caution: Text | None = Field(
        None, description="how to handle the question where it is politically sensitive"
    )


class SlideBase(Model):
    """What every slide has: an id, notes for the facilitator and for learners."""

    id: Id
    notes: Text | None = Field(None, description="facilitator notes (speaker notes in the deck)")
    learner_notes: Text | None = Field(None, description="shown to self-paced learners")
    room_questions: list[RoomQuestion] = Field(
        default_factory=list,
        description="questions to the room, shown to the facilitator after the notes",
    )
    sources: list[Id] = Field(default_factory=list)


class ContentSlide(SlideBase):
    """A title, an optional subtitle and bullets."""

    title: Text
    subtitle: Text | None = None
    bullets: list[BulletItem] = Field(min_length=1)


class ProcessSlide(SlideBase):
    """A profile of one process drawn from the dataset."""

    process: Id
    title: Text | None = Field(None, description="defaults to the process name")


class TimelineSlide(SlideBase):
    """The founding years of several processes on a time axis."""

    title: Text
    timeline: list[Id] = Field(min_length=2)


class Quote(Model):
    """A quotation and who said or wrote it."""

    text: Text
    author: Text | None = None
    source: Id


class QuoteSlide(SlideBase):
    """A quotation from a source."""

    title: Text
    quote: Quote


class Table(Model):
    """A small table: column headings and rows of cells."""

    columns: list[Text] = Field(min_length=1, max_length=6)
    rows: list[list[Text]] = Field(min_length=1)

    @model_validator(mode="after")
    def _rows_match_columns(self) -> Table:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells but there are {len(self.columns)} columns"
                )
        return self


class TableSlide(SlideBase):
    """A table of facts."""

    title: Text
    table: Table


# Visual slides (drawn as shapes in the decks, as HTML/SVG on the web).


class FormStep(Model):
    """One form of cooperation in the forms diagram and what characterises it."""

    kind: ProcessKind
    text: Text | None = Field(None, description="a few words under the form's name")


class FormsSlide(SlideBase):
    """The forms of cooperation as steps (bilateral → regional → interregional → global),
    each with the dataset's processes of that form as examples."""

    title: Text
    forms: list[FormStep] = Field(min_length=2, max_length=4)


class Card(Model):
    """One card of a grid: a short title, an optional line, an optional group."""

    title: Text
    text: Text | None = None
    group: Text | None = Field(None, description="cards of one group share a colour")


class GridSlide(SlideBase):
    """Short items as a grid of numbered cards (the eight foundations)."""

    title: Text
    cards: list[Card] = Field(min_length=2, max_length=12)
    numbered: bool = Field(True, description="a number on each card (an order to remember)")

    @model_validator(mode="after")
    def _few_groups(self) -> GridSlide:
        groups = {c.group for c in self.cards if c.group}
        if len(groups) > 4:
            raise ValueError(f"at most 4 groups of cards (one colour each), not {len(groups)}")
        return self


class Event(Model):
    """A dated event on a chronology."""

    year: Year
    label: Text


class ChronologySlide(SlideBase):
    """Dated events on a time axis (« Repères 1990–2008 »)."""

    title: Text
    events: list[Event] = Field(min_length=2)


class MembershipChart(Model):
    """Member counts over time of some processes, from their dated memberships."""

    processes: list[Id] = Field(min_length=1, max_length=6)


class ChartSlide(SlideBase):
    """A chart drawn from the processes dataset."""

    title: Text
    chart: MembershipChart


VISUAL_SLIDES = {
    "forms": FormsSlide,
    "cards": GridSlide,
    "events": ChronologySlide,
    "chart": ChartSlide,
}


def _slide_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in VISUAL_SLIDES:
            if key in value:
                return f"{key}-slide"
        for key in ("process", "timeline", "quote", "table"):
            if key in value:
                return f"{key}-slide"
        return "content-slide"
    return {
        ProcessSlide: "process-slide",
        TimelineSlide: "timeline-slide",
        QuoteSlide: "quote-slide",
        TableSlide: "table-slide",
        **{cls: f"{key}-slide" for key, cls in VISUAL_SLIDES.items()},
    }.get(type(value), "content-slide")


Slide = Annotated[
    Annotated[ContentSlide, Tag("content-slide")]
    | Annotated[ProcessSlide, Tag("process-slide")]
    | Annotated[TimelineSlide, Tag("timeline-slide")]
    | Annotated[QuoteSlide, Tag("quote-slide")]
    | Annotated[TableSlide, Tag("table-slide")]
    | Annotated[FormsSlide, Tag("forms-slide")]
    | Annotated[GridSlide, Tag("cards-slide")]
    | Annotated[ChronologySlide, Tag("events-slide")]
    | Annotated[ChartSlide, Tag("chart-slide")],
    Discriminator(_slide_kind),
]
UNION_TAGS = frozenset(
    {"content-slide", "process-slide", "timeline-slide", "quote-slide", "table-slide"}
    | {f"{key}-slide" for key in VISUAL_SLIDES}
)


# --- Participant handouts -----------------------------------------------------


def _clock_from_yaml(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 10:30 as the base-60 integer 630, i.e. minutes.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


Clock = Annotated[
    str,
    BeforeValidator(_clock_from_yaml),
    StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$"),
    Field(description='a time of day, HH:MM (quote it in YAML: "10:30")'),
]
Cell = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(french)]


class HeadingBlock(Model):
    """A heading inside a handout."""

    heading: Text


class ParagraphBlock(Model):
    """A paragraph of text."""

    paragraph: Text


class BulletsBlock(Model):
    """A bulleted list (a role's interests, a case's facts)."""

    bullets: list[Text] = Field(min_length=1)


class PromptsBlock(Model):
    """Questions or prompts, each followed by ``lines`` blank lines to write on."""

    prompts: list[Text] = Field(min_length=1)
    lines: int = Field(3, ge=0, le=20, description="blank lines to write on after each prompt")


class HandoutTable(Model):
    """A table to read or fill in: empty cells (\"\") and ``blank_rows`` are to write in."""

    columns: list[Text] = Field(min_length=1, max_length=8)
    rows: list[list[Cell]] = Field(default_factory=list)
    blank_rows: int = Field(0, ge=0, le=30, description="empty rows added after ``rows``")

    @model_validator(mode="after")
    def _shape(self) -> HandoutTable:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells but there are {len(self.columns)} columns"
                )
        if not self.rows and not self.blank_rows:
            raise ValueError("a table needs 'rows', 'blank_rows' or both")
        return self


class TableBlock(Model):
    """A table (to read, or to fill in)."""

    table: HandoutTable


class RatingsBlock(Model):
    """Statements rated on a scale, one box to tick per level (evaluation forms)."""

    ratings: list[Text] = Field(min_length=1)
    scale: list[Text] = Field(min_length=2, max_length=7, description="the levels, low to high")


class QuizBlock(Model):
    """Every question of a fixed quiz bank, printed with boxes to tick (the pre/post test)."""

    quiz: Id


_BLOCK_KEYS = ("heading", "bullets", "prompts", "table", "ratings", "quiz", "paragraph")
BLOCK_TAGS = frozenset(f"{key}-block" for key in _BLOCK_KEYS)


def _block_kind(value: Any) -> str:
    if isinstance(value, dict):
        return next((f"{key}-block" for key in _BLOCK_KEYS if key in value), "paragraph-block")
    return {
        HeadingBlock: "heading-block",
        BulletsBlock: "bullets-block",
        PromptsBlock: "prompts-block",
        TableBlock: "table-block",
        RatingsBlock: "ratings-block",
        QuizBlock: "quiz-block",
    }.get(type(value), "paragraph-block")


HandoutBlock = Annotated[
    Annotated[HeadingBlock, Tag("heading-block")]
    | Annotated[ParagraphBlock, Tag("paragraph-block")]
    | Annotated[BulletsBlock, Tag("bullets-block")]
    | Annotated[PromptsBlock, Tag("prompts-block")]
    | Annotated[TableBlock, Tag("table-block")]
    | Annotated[RatingsBlock, Tag("ratings-block")]
    | Annotated[QuizBlock, Tag("quiz-block")],
    Discriminator(_block_kind),
]
HandoutKind = Literal["role-card", "case-sheet", "worksheet", "form"]


class Handout(Model):
    """A sheet given to participants: a role card, a case sheet, a worksheet or a form.

    ``copies`` says how many to print: one per participant, per group, or (role
    cards) one per participant holding that role.
    """

    id: Id
    kind: HandoutKind
    title: Text
    copies: Literal["participant", "group", "role"] = "participant"
    holders: int = Field(
        1, ge=1, le=10, description="role cards: how many participants of a group share the role"
    )
    optional: bool = Field(
        False, description="role cards: a role given only when the group is larger than its minimum"
    )
    intro: Text | None = None
    blocks: list[HandoutBlock] = Field(min_length=1)


# --- Modules ------------------------------------------------------------------


class Section(Model):
    """A group of slides within a module (a part of the agenda)."""

    id: Id
    title: Text
    duration_minutes: Minutes | None = None
    slides: list[Slide] = Field(min_length=1)


class GroupSize(Model):
    """How many participants work together in one group of an activity."""

    min: int = Field(ge=1, le=40)
    max: int = Field(ge=1, le=40)

    @model_validator(mode="after")
    def _ordered(self) -> GroupSize:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class Activity(Model):
    """A workshop exercise: what participants do, how long, and how to debrief."""

    id: Id
    title: Text
    format: Text = Field(description="e.g. « travail en petits groupes », « plénière »")
    duration_minutes: Minutes
    goal: Text
    instructions: list[Text] = Field(min_length=1)
    materials: list[Text] = Field(default_factory=list)
    debrief: list[Text] = Field(min_length=1)
    after_slide: Id | None = Field(None, description="the slide after which it is run")
    group_size: GroupSize | None = Field(
        None, description="participants per group (role plays: the roles' holders add up to it)"
    )
    grouping: Text | None = Field(
        None,
        description="how to split the room for 10, 20 and 30 participants (for the "
        "facilitator: guide and notes, not the projected steps)",
    )
    handouts: list[Handout] = Field(
        default_factory=list, description="role cards, case sheets, worksheets to print"
    )


class GlossaryEntry(Model):
    """A term or acronym and what it means."""

    term: Text
    expansion: Text | None = Field(None, description="what the acronym stands for")
    definition: Text
    english: str | None = None


class Module(Model):
    """A theme of the course."""

    id: Id
    number: int = Field(ge=1, le=99)
    title: Text
    subtitle: Text | None = None
    duration_minutes: Minutes
    summary: Text | None = None
    objectives: list[Text] = Field(min_length=1)
    sources: list[Id] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    activities: list[Activity] = Field(default_factory=list)
    key_points: list[Text] = Field(default_factory=list, description="the closing summary")
    glossary: list[GlossaryEntry] = Field(default_factory=list)

    @property
    def slides(self) -> list[Any]:
        """All slides in order."""
        return [slide for section in self.sections for slide in section.slides]


# --- The two-day programme -------------------------------------------------------

ProgrammeKind = Literal[
    "opening", "module", "activity", "quiz", "break", "lunch", "test", "evaluation", "close"
]


def _clock_minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def clock_text(minutes: int) -> str:
    """Minutes since midnight as HH:MM."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ProgrammeItem(Model):
    """One slot of a workshop day.

    A ``module`` item presents a theme's ``sections`` (when empty: those no other slot of
    the theme lists) with the
    activities run after their slides; an ``activity`` item runs one ``activity`` of a
    ``module`` on its own; a ``quiz`` item a theme's quiz (``module``) or a named
    ``quiz``; a ``test`` item a fixed quiz bank (the pre/post test).
    """

    start: Clock
    minutes: Minutes
    kind: ProgrammeKind
    title: Text
    module: Id | None = Field(None, description="the theme (module, activity and quiz items)")
    sections: list[Id] = Field(
        default_factory=list,
        description="module items: the sections covered (if empty: those no other slot lists)",
    )
    activity: Id | None = Field(None, description="activity items: the activity run")
    quiz: Id | None = Field(None, description="quiz and test items: the quiz bank")
    notes: Text | None = None

    @property
    def start_minutes(self) -> int:
        """The start as minutes since midnight."""
        return _clock_minutes(self.start)

    @property
    def end_minutes(self) -> int:
        """The end as minutes since midnight."""
        return self.start_minutes + self.minutes

    @property
    def end(self) -> str:
        """The end as HH:MM."""
        return clock_text(self.end_minutes)

    @model_validator(mode="after")
    def _references_fit_kind(self) -> ProgrammeItem:
        if self.kind in ("module", "activity") and self.module is None:
            raise ValueError(f"a '{self.kind}' item needs 'module'")
        if self.kind == "activity" and self.activity is None:
            raise ValueError("an 'activity' item needs 'activity'")
        if self.kind == "quiz" and self.module is None and self.quiz is None:
            raise ValueError("a 'quiz' item needs 'module' (its theme quiz) or 'quiz'")
        if self.kind == "test" and self.quiz is None:
            raise ValueError("a 'test' item needs 'quiz' (a fixed bank, e.g. pre-post)")
        if self.sections and self.kind != "module":
            raise ValueError("only 'module' items list 'sections'")
        if self.activity and self.kind != "activity":
            raise ValueError("only 'activity' items name an 'activity'")
        if self.quiz and self.kind not in ("quiz", "test"):
            raise ValueError("only 'quiz' and 'test' items name a 'quiz'")
        return self


class ProgrammeDay(Model):
    """A day of the workshop: its slots, back to back (breaks and lunch are slots too)."""

    title: Text
    items: list[ProgrammeItem] = Field(min_length=1)

    @property
    def start(self) -> str:
        """When the day starts, HH:MM."""
        return self.items[0].start

    @property
    def end(self) -> str:
        """When the day ends, HH:MM."""
        return self.items[-1].end

    @property
    def minutes(self) -> int:
        """From the first slot's start to the last one's end."""
        return self.items[-1].end_minutes - self.items[0].start_minutes


class CourseInfo(Model):
    """The course's own file (``modules/course.yaml``): title, module order, the
    workshop programme and the course-level handouts (evaluation form, action plan,
    pre/post test sheet)."""

    id: Id
    title: Text
    subtitle: Text | None = None
    organisation: Text | None = None
    footer: Text | None = None
    language: Literal["fr"] = "fr"
    modules: list[Id] = Field(min_length=1)
    programme: list[ProgrammeDay] = Field(
        default_factory=list, description="the workshop, day by day (checked when loaded)"
    )
    handouts: list[Handout] = Field(default_factory=list)


class SourceList(Model):
    """The ``modules/sources.yaml`` file."""

    sources: list[Source] = Field(min_length=1)


class ProcessList(Model):
    """The ``modules/processes.yaml`` file."""

    processes: list[Process] = Field(min_length=1)


# --- Quizzes ------------------------------------------------------------------


class Choice(Model):
    """An option of a choice question."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,20}$")]
    text: Text


class QuestionBase(Model):
    """What every question has: a prompt, an explanation and the slide that teaches it."""

    id: Id
    prompt: Text
    explanation: Text
    slide: Id = Field(description="id of the slide that teaches the answer")
    tags: list[Id] = Field(default_factory=list)
    points: float = Field(1.0, gt=0, le=100)


def _check_choice_ids(choices: list[Choice]) -> list[Choice]:
    ids = [c.id for c in choices]
    if len(set(ids)) != len(ids):
        raise ValueError("two choices have the same id")
    return choices


Choices = Annotated[
    list[Choice], Field(min_length=2, max_length=10), AfterValidator(_check_choice_ids)
]


def _known_choice(value: str, info: ValidationInfo) -> str:
    choices = info.data.get("choices") or []
    ids = [c.id for c in choices]
    if ids and value not in ids:
        raise ValueError(f"answer '{value}' is not one of the choices ({', '.join(ids)})")
    return value


class SingleChoice(QuestionBase):
    """One right choice among several."""

    type: Literal["single"]
    choices: Choices
    answer: str

    _answer_known = field_validator("answer")(_known_choice)


class MultipleChoice(QuestionBase):
    """Several right choices; wrong picks cost (partial credit)."""

    type: Literal["multiple"]
    choices: Choices
    answers: list[str] = Field(min_length=1)

    @field_validator("answers")
    @classmethod
    def _answers_known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for answer in value:
            _known_choice(answer, info)
        if len(set(value)) != len(value):
            raise ValueError("an answer is listed twice")
        return value


class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    answer: bool


class Pair(Model):
    """A left item and the right item it matches."""

    left: Text
    right: Text


class Matching(QuestionBase):
    """Match each left item to its right item (per-pair credit)."""

    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=3, max_length=12)
    distractors: list[Text] = Field(default_factory=list, description="extra wrong right items")

    @model_validator(mode="after")
    def _distinct(self) -> Matching:
        lefts = [p.left for p in self.pairs]
        if len(set(lefts)) != len(lefts):
            raise ValueError("two pairs have the same left item")
        rights = {p.right for p in self.pairs}
        clash = rights.intersection(self.distractors)
        if clash:
            raise ValueError(f"a distractor is also a right answer: {', '.join(sorted(clash))}")
        return self


class Ordering(QuestionBase):
    """Put items in order (credit for pairs in the right relative order)."""

    type: Literal["ordering"]
    items: list[Text] = Field(min_length=3, max_length=10, description="in the right order")

    @field_validator("items")
    @classmethod
    def _distinct_items(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("an item is listed twice")
        return value


class Numeric(QuestionBase):
    """A number, right within a tolerance."""

    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(0, ge=0)
    unit: Text | None = None


class ShortText(QuestionBase):
    """A short typed answer, compared without case, accents or extra spaces."""

    type: Literal["short_text"]
    accepted: list[Text] = Field(min_length=1)


GeneratorKind = Literal["founding_year", "members", "member_of", "chronology", "region", "kind"]


class Generated(Model):
    """Questions made from the processes dataset, so quizzes and data never disagree."""

    id: Id
    type: Literal["generated"]
    generator: GeneratorKind
    processes: list[Id] = Field(
        default_factory=list, description="the processes to draw from (all with data if empty)"
    )
    items: int = Field(4, ge=2, le=8, description="pairs, items or choices per question")
    variants: int = Field(1, ge=1, le=20, description="how many questions to make")
    slide: Id
    tags: list[Id] = Field(default_factory=list)
    points: float = Field(1.0, gt=0, le=100)


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Matching | Ordering | Numeric | ShortText,
    Field(discriminator="type"),
]
QuestionOrGenerated = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | Matching
    | Ordering
    | Numeric
    | ShortText
    | Generated,
    Field(discriminator="type"),
]


class DrawFrom(Model):
    """Part of a quiz drawn from another quiz's bank."""

    quiz: Id
    count: int = Field(ge=1)


class Quiz(Model):
    """A quiz bank: its questions, how many an attempt draws and the pass mark."""

    id: Id
    title: Text
    module: Id | None = Field(None, description="the theme it tests (none for the final quiz)")
    description: Text | None = None
    pass_percent: int = Field(70, ge=0, le=100)
    draw: int | None = Field(None, ge=1, description="questions per attempt (all if omitted)")
    fixed: bool = Field(
        False,
        description="every attempt asks the same written questions (a pre/post test): "
        "no recipes, no draw_from, no draw smaller than the bank",
    )
    questions: list[QuestionOrGenerated] = Field(default_factory=list)
    draw_from: list[DrawFrom] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_questions(self) -> Quiz:
        if not self.questions and not self.draw_from:
            raise ValueError("a quiz needs 'questions' or 'draw_from'")
        if self.fixed:
            if self.draw_from:
                raise ValueError("a fixed quiz asks its own questions: no 'draw_from'")
            if any(isinstance(q, Generated) for q in self.questions):
                raise ValueError("a fixed quiz asks the same questions: no generated recipes")
            if self.draw is not None and self.draw != len(self.questions):
                raise ValueError(
                    f"a fixed quiz asks all its {len(self.questions)} questions; "
                    f"drop 'draw' (it is {self.draw})"
                )
        return self


QUESTION_TYPES = frozenset(
    {
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "short_text",
        "generated",
    }
)
