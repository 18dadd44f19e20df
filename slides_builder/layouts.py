"""Which layout of a template makes which kind of slide, and the template's fonts and colours.

Organisations name their layouts as they like (« Titre et contenu », « ORG – Texte »), so a
layout is chosen by the placeholders it holds — a title, a body (a subtitle is not a
body), nothing else that asks to be filled — and its name is only a hint between layouts
that hold the same. ``--layout-map ROLE=NAME`` settles an odd template. The text, tables
and timelines then take the template theme's fonts and colours (``Look``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.slide import SlideLayout

from slides_builder import theme

ROLES = ("cover", "section", "content", "title_only")
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FURNITURE = (
    PP_PLACEHOLDER.DATE,
    PP_PLACEHOLDER.FOOTER,
    PP_PLACEHOLDER.SLIDE_NUMBER,
    PP_PLACEHOLDER.HEADER,
)
# Names a role's layout has in PowerPoint's and LibreOffice's English and French
# templates (an exact match), then words an organisation's names tend to hold.
KNOWN_NAMES = {
    "cover": ("title slide", "diapositive de titre", "titre"),
    "section": ("section header", "en-tête de section", "titre de section"),
    "content": ("title and content", "titre et contenu"),
    "title_only": ("title only", "titre seul"),
}
HINT_WORDS = {
    "cover": ("titre", "title", "couverture", "cover", "accueil"),
    "section": ("section", "intercalaire", "chapitre", "partie", "divider", "séparateur"),
    "content": ("contenu", "content", "texte", "text", "corps", "body", "puces", "bullet"),
    "title_only": ("seul", "only", "titre uniquement"),
}
_KIND_NAMES = {
    PP_PLACEHOLDER.TITLE: "title",
    PP_PLACEHOLDER.CENTER_TITLE: "title",
    PP_PLACEHOLDER.SUBTITLE: "subtitle",
    PP_PLACEHOLDER.BODY: "body",
    PP_PLACEHOLDER.OBJECT: "body",
    PP_PLACEHOLDER.PICTURE: "picture",
}


class TemplateError(ValueError):
    """A template lacks what the builder needs (a layout with a title and a body)."""


@dataclass(frozen=True)
class LayoutParts:
    """A layout's placeholders sorted by what they are for."""

    layout: SlideLayout
    titles: list
    bodies: list  # horizontal body or content placeholders
    subtitles: list
    others: list  # pictures, charts, tables, vertical text…: what the builder cannot fill

    @classmethod
    def of(cls, layout: SlideLayout) -> LayoutParts:
        """Sort a layout's placeholders."""
        titles, bodies, subtitles, others = [], [], [], []
        for placeholder in layout.placeholders:
            kind = placeholder.placeholder_format.type
            if kind in FURNITURE:
                continue
            if _vertical(placeholder):
                others.append(placeholder)
            elif kind in TITLE_TYPES:
                titles.append(placeholder)
            elif kind in BODY_TYPES:
                bodies.append(placeholder)
            elif kind == PP_PLACEHOLDER.SUBTITLE:
                subtitles.append(placeholder)
            else:
                others.append(placeholder)
        return cls(layout, titles, bodies, subtitles, others)

    def fits(self, role: str) -> bool:
        """Whether the layout can make slides of ``role``."""
        if len(self.titles) != 1:
            return False
        if role == "content":
            return len(self.bodies) == 1 and not self.subtitles and not self.others
        if role == "title_only":
            return not (self.bodies or self.subtitles or self.others)
        if role == "cover":
            return len(self.subtitles) == 1 and not self.bodies and not self.others
        return len(self.bodies) + len(self.subtitles) == 1 and not self.others  # section

    def describe(self) -> str:
        """« name » (title, body, …): what a layout holds, for error messages."""
        kinds = [
            _KIND_NAMES.get(p.placeholder_format.type, "other")
            if not _vertical(p)
            else "vertical text"
            for p in self.layout.placeholders
            if p.placeholder_format.type not in FURNITURE
        ]
        return f"« {self.layout.name} » ({', '.join(kinds) or 'no placeholder'})"


def _vertical(placeholder) -> bool:
    body_pr = placeholder._element.find(f".//{qn('a:bodyPr')}")
    return body_pr is not None and body_pr.get("vert", "horz") != "horz"


def _hint(role: str, name: str) -> int:
    name = name.casefold()
    if name in KNOWN_NAMES[role]:
        return 2
    return 1 if any(word in name for word in HINT_WORDS[role]) else 0


def _area(placeholder) -> int:
    return int(placeholder.width or 0) * int(placeholder.height or 0)


def pick_layouts(prs, layout_map: dict[str, str] | None = None) -> dict[str, SlideLayout]:
    """The layout of each role (cover, section, content, title_only) in a presentation.

    A role in ``layout_map`` gets the layout of that name (checked to hold what the role
    needs); the others the layout whose placeholders fit the role, the name breaking ties.
    """
    parts = [LayoutParts.of(layout) for layout in prs.slide_layouts]
    chosen: dict[str, LayoutParts] = {}
    for role, name in (layout_map or {}).items():
        chosen[role] = _mapped(parts, role, name)

    def best(role: str, key) -> LayoutParts | None:
        fitting = [p for p in parts if p.fits(role) and p not in chosen.values()]
        fitting = fitting or [p for p in parts if p.fits(role)]
        return max(fitting, key=key, default=None)

    if "content" not in chosen:
        # The largest body wins between equally named layouts (a section header's is small).
        content = best("content", lambda p: (_hint("content", p.layout.name), _area(p.bodies[0])))
        if content is None:
            layouts = "; ".join(p.describe() for p in parts) or "none"
            raise TemplateError(
                "no layout with a title and a body placeholder (a subtitle is not a body) "
                f"and nothing else to fill; its layouts: {layouts}; name one with "
                "--layout-map content=NAME"
            )
        chosen["content"] = content
    if "title_only" not in chosen:
        chosen["title_only"] = best("title_only", lambda p: _hint("title_only", p.layout.name))
    if "cover" not in chosen:
        chosen["cover"] = best("cover", lambda p: _hint("cover", p.layout.name))
    if "section" not in chosen:
        # A section header's text box is smaller than a content slide's body.
        chosen["section"] = best(
            "section",
            lambda p: (
                _hint("section", p.layout.name),
                p is not chosen["content"] and p is not chosen["cover"],
                -_area((p.bodies or p.subtitles)[0]),
            ),
        )
    fallback = {"title_only": "content", "cover": "section", "section": "cover"}
    for role, other in fallback.items():
        chosen[role] = chosen[role] or chosen[other] or chosen["content"]
    return {role: chosen[role].layout for role in ROLES}


def _mapped(parts: list[LayoutParts], role: str, name: str) -> LayoutParts:
    if role not in ROLES:
        raise TemplateError(f"--layout-map: unknown role « {role} » (roles: {', '.join(ROLES)})")
    found = [p for p in parts if p.layout.name.casefold() == name.casefold()]
    if not found:
        names = ", ".join(f"« {p.layout.name} »" for p in parts)
        raise TemplateError(f"--layout-map {role}: no layout named « {name} » (it has {names})")
    layout = found[0]
    needs = {"content": "a title and a body", "title_only": "a title"}.get(role, "a title")
    if len(layout.titles) != 1 or (role == "content" and len(layout.bodies) != 1):
        raise TemplateError(
            f"--layout-map {role}: layout {layout.describe()} does not hold {needs} placeholder"
            + (" (a subtitle is not a body)" if role == "content" else "")
        )
    return layout


# --- the template's theme --------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """Fonts and colours of a deck's text, tables and timelines."""

    heading_font: str
    body_font: str
    ink: RGBColor  # text on the slide's background
    muted: RGBColor  # captions and the footer
    accent: RGBColor  # bullets, markers and rules
    header_fill: RGBColor  # a table's header row
    header_text: RGBColor
    label_fill: RGBColor  # a table's label column
    label_text: RGBColor
    background: RGBColor  # the slides' background (for contrast checks)


BUILTIN_LOOK = Look(
    heading_font=theme.FONT,
    body_font=theme.FONT,
    ink=theme.INK,
    muted=theme.MUTED,
    accent=theme.ACCENT,
    header_fill=theme.NAVY,
    header_text=theme.WHITE,
    label_fill=theme.PALE,
    label_text=theme.INK,
    background=theme.WHITE,
)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT_CONTRAST = 4.5  # WCAG AA for text
GRAPHIC_CONTRAST = 3.0  # WCAG AA for graphics (markers)


def template_look(prs) -> Look:
    """The fonts and colours of a template's theme (its first slide master's), each text
    colour chosen among the theme's so that it reaches 4.5:1 on its background."""
    master = prs.slide_masters[0]
    xml = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme = {
        slot.tag.split("}")[1]: _colour(slot)
        for slot in xml.find(f".//{{{_A}}}clrScheme")
        if _colour(slot) is not None
    }
    mapping = master._element.find(qn("p:clrMap"))

    def mapped(key: str, default: str) -> RGBColor | None:
        """The colour a master's role (tx1, bg1…) maps to."""
        return scheme.get(mapping.get(key, default) if mapping is not None else default)

    text = mapped("tx1", "dk1") or theme.INK
    background = mapped("bg1", "lt1") or theme.WHITE
    text2 = mapped("tx2", "dk2") or text
    background2 = mapped("bg2", "lt2") or background
    accents = [scheme[f"accent{n}"] for n in range(1, 7) if f"accent{n}" in scheme]

    def readable(candidates, on, ratio=TEXT_CONTRAST, default=text):
        return next((c for c in candidates if theme.contrast_ratio(c, on) >= ratio), default)

    header_fill = readable([*accents, text2, text], background)
    return Look(
        heading_font=_font(xml, "majorFont") or theme.FONT,
        body_font=_font(xml, "minorFont") or theme.FONT,
        ink=text,
        muted=readable([text2], background),
        accent=readable([*accents, text2], background, GRAPHIC_CONTRAST),
        header_fill=header_fill,
        header_text=readable([background, theme.WHITE, text], header_fill),
        label_fill=background2 if theme.contrast_ratio(text, background2) >= 4.5 else background,
        label_text=text,
        background=background,
    )


def _colour(slot) -> RGBColor | None:
    srgb = slot.find(f"{{{_A}}}srgbClr")
    if srgb is not None:
        return RGBColor.from_string(srgb.get("val"))
    system = slot.find(f"{{{_A}}}sysClr")
    if system is not None and system.get("lastClr"):
        return RGBColor.from_string(system.get("lastClr"))
    return None


def _font(xml, which: str) -> str | None:
    latin = xml.find(f".//{{{_A}}}{which}/{{{_A}}}latin")
    typeface = latin.get("typeface") if latin is not None else None
    return typeface or None
