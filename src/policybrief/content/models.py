"""Typed records for the thesis data. Every model forbids unknown fields and never coerces types."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

import regex
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
)

from policybrief.core.names import ID_PATTERN

# Chapter and section ids as a study numbers them (I, 3, C.2, -); which exist is the study's own
# structure.yaml, checked across files.
PART_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.]{0,11}$|^-$"
Part = Annotated[str, Field(pattern=PART_PATTERN)]
PAGES_PATTERN = r"^[0-9]{1,4}(-[0-9]{1,4})?$"
MAX_ANCHOR_WORDS = 12
MAX_TEXT_CHARS = 4000
MAX_WORD_CHARS = 60

# Characters a reader would not see as written: Unicode's "other" categories (\p{C}): controls (Cc,
# except tab and line feed, which are folded into spaces), format characters (Cf: zero-width, bidi
# controls, U+2060 word joiner, U+061C Arabic letter mark, U+E0001-E007F tag characters, soft
# hyphen, BOM), surrogates (Cs), private use (Co) and unassigned code points (Cn).
# And emoji: drawn as colour pictures, which no bundled font (nor the PDF's embedded fonts) can draw.
# Emoji_Presentation covers faces, flags (regional indicators) and skin tones; variation selectors
# (U+FE0F turns a plain symbol into an emoji) and U+20E3 make the rest. Symbols a font has as text
# (©, ™, ✓) pass.
_INVISIBLE = regex.compile(r"(?![\t\n])\p{C}")
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|[\uFE00-\uFE0F\u20E3\U000E0100-\U000E01EF]")


_BAD_CHARACTERS = {_INVISIBLE: "an invisible or control character; remove it",
                   _EMOJI: "an emoji the bundled fonts cannot draw; remove it or say it in words"}


def check_characters(value: str) -> None:
    """Refuse a character that would not print as written: invisible, control, private or emoji.
    The message names the first one in the text."""
    found = [(match.start(), match.group(), what) for pattern, what in _BAD_CHARACTERS.items() if (match := pattern.search(value))]
    if found:
        position, char, what = min(found)
        raise ValueError(f"contains U+{ord(char):04X} ({unicodedata.name(char, 'no name')}) at position {position + 1}, {what}")


def clean_text(value: str) -> str:
    """Reject text a reader would not see as written (see check_characters), empty, too long or unbreakable."""
    value = unicodedata.normalize("NFC", value)
    check_characters(value)
    if not value.strip():
        raise ValueError("is empty; expected text")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"is {len(value)} characters long; the limit is {MAX_TEXT_CHARS}")
    long_word = next((w for w in value.split() if len(w) > MAX_WORD_CHARS), None)
    if long_word:
        raise ValueError(
            f"contains a {len(long_word)}-character word ('{long_word[:20]}…'); words longer than {MAX_WORD_CHARS} characters break the layout"
        )
    return " ".join(value.split())


Str = Annotated[str, AfterValidator(clean_text)]

# Years a study, its events and the works it cites can have: wide enough for any thesis, and it
# refuses year 0 and typing slips such as 20100.
FIRST_YEAR, LAST_YEAR = 1800, 2100


def check_year(year: int, first: int = FIRST_YEAR) -> None:
    if not first <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is not a real year here; expected {first}-{LAST_YEAR}")


def year_month(value: str) -> str:
    """A `YYYY-MM` date that exists: month 1-12 and a year in range (the pattern checks the form)."""
    year, month = (int(part) for part in value.split("-"))
    check_year(year)
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist; expected 01-12")
    return value


def year_span(value: str) -> str:
    """`YYYY-YYYY` (optionally after 'c. '): both years real, the first not after the second."""
    first, _, last = value.removeprefix("c. ").partition("-")
    for year in filter(None, (first, last)):
        check_year(int(year))
    if last and int(first) > int(last):
        raise ValueError(f"years {first}-{last} run backwards; write the earlier year first")
    return value
Id = Annotated[str, Field(pattern=ID_PATTERN)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(Strict):
    """A text in English with an optional Spanish version."""

    en: Str
    es: Str | None = None

    def get(self, lang: str) -> str | None:
        return getattr(self, lang, None)


def place(chapter: str, section: str | None) -> str:
    """A chapter and section as a locator prints them: "II.C.2" for a section numbered within its
    chapter ("C.2"), "3.2" for one that already carries the chapter's number, "IV" for a chapter."""
    if not section or section == "-":
        return chapter
    return section if section.startswith(f"{chapter}.") else f"{chapter}.{section}"


class Locator(Strict):
    """Where in the thesis a claim comes from: chapter, section, printed pages, footnote."""

    chapter: Part
    section: Part | None = None
    pages: Annotated[str, Field(pattern=PAGES_PATTERN)]
    footnote: Annotated[int, Field(ge=1, le=200)] | None = None

    def page_range(self) -> tuple[int, int]:
        return parse_pages(self.pages)

    @property
    def place(self) -> str:
        return place(self.chapter, self.section)


def parse_pages(pages: str) -> tuple[int, int]:
    first, _, last = pages.partition("-")
    return int(first), int(last or first)


def short_anchor(value: str) -> str:
    words = value.split()
    if len(words) > MAX_ANCHOR_WORDS:
        raise ValueError(f"has {len(words)} words; an anchor is a short verbatim phrase of at most {MAX_ANCHOR_WORDS} words")
    return value


Anchor = Annotated[Str, AfterValidator(short_anchor)]


MAX_EVIDENCE_WORDS = 80


def evidence_length(value: str) -> str:
    words = len(value.split())
    if words > MAX_EVIDENCE_WORDS:
        raise ValueError(f"has {words} words; an evidence passage is one or two sentences, at most {MAX_EVIDENCE_WORDS} words")
    return value


class Evidence(Strict):
    """A verbatim passage of the thesis that backs a printed claim: where it stands (chapter and
    section, checked against the headings of the source text) and the footnote attached to it."""

    quote: Annotated[Str, AfterValidator(evidence_length)]
    chapter: Part
    section: Part | None = None
    footnote: Annotated[int, Field(ge=1, le=999)] | None = None


# Printed field (e.g. "statement", "notes.cost") -> the passages that back everything it says.
EvidenceMap = dict[Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)?$")], Annotated[list[Evidence], Field(min_length=1)]]
Modality = Literal["finds", "argues", "suggests"]


class Sourced(Strict):
    locator: Locator
    anchor: Anchor
    evidence: EvidenceMap = {}


class Person(Strict):
    name: Str
    role: Str


class Author(Strict):
    name: Str
    # Military theses name the author's rank and service; other studies have neither.
    rank: Str | None = None
    service: Str | None = None


class ResearchQuestion(Sourced):
    id: Id
    text: Text


class Passage(Sourced):
    """A study-level text (method, definition): evidence under the key `text`."""

    en: Str
    es: Str | None = None

    def get(self, lang: str) -> str | None:
        return getattr(self, lang, None)


class Chart(Strict):
    """The study chart's headline and caption: claims like any other, with the records they summarise."""

    title: Text
    caption: Text
    summarises: list[Id] = []
    evidence: EvidenceMap = {}


class Study(Strict):
    id: Id
    title: Str
    short_title: Str
    author: Author
    degree: Str
    institution: Str
    date: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$"), AfterValidator(year_month)]
    pages: Annotated[int, Field(ge=1)]
    handle_url: Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9./_-]+$")]
    reference_id: Id
    advisors: list[Person]
    rights: Text
    evidence_date: Text
    abstract: Text
    method: Passage
    definition_of_cooperation: Passage | None = None
    research_questions: Annotated[list[ResearchQuestion], Field(min_length=1)]
    citation: Text
    chart: Chart | None = None
    # Passages behind the abstract (key `abstract`): it prints like any other claim.
    evidence: EvidenceMap = {}
    # Strings with digits that are names, not quantities (9/11, UH-1H): the fidelity gate skips them.
    named_numbers: list[Annotated[str, Field(min_length=1, max_length=40)]] = []


class Section(Strict):
    id: Part
    # The section's heading as the source text prints it: where it begins (verify checks each
    # evidence passage lies between its section's heading and the next heading).
    heading: Str | None = None
    title: Str
    pages: Annotated[str, Field(pattern=PAGES_PATTERN)]


class Chapter(Strict):
    id: Part
    heading: Str
    title: Str
    pages: Annotated[str, Field(pattern=PAGES_PATTERN)]
    sections: list[Section]


class Structure(Strict):
    chapters: Annotated[list[Chapter], Field(min_length=1)]

    def section_places(self) -> list[str]:
        """Every section as a locator prints it ("II.C.2", "3.2"): names, not quantities, in prose."""
        return [place(c.id, s.id) for c in self.chapters for s in c.sections if s.id != "-"]


class Hypothesis(Sourced):
    id: Id
    name: Text
    claim: Text
    verdict: Literal["supported", "partially-supported", "not-supported"]
    reasoning: Text


Rating = Annotated[int, Field(ge=0, le=4)]


class Event(Strict):
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    en: Str
    es: Str
    evidence: list[Evidence] = []


# A dimension id doubles as the key of its rating's evidence, so it takes the evidence keys' form.
DimensionId = Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,39}$")]


class Dimension(Strict):
    """What the study rates each juncture on (a column of the table, a line of the chart)."""

    id: DimensionId
    label: Text
    # The dimension the study explains (its outcome): drawn first and heavier in the chart.
    outcome: bool = False


class Juncture(Sourced):
    id: Id
    name: Text
    short: Text
    years: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{4}$"), AfterValidator(year_span)]
    ratings: dict[DimensionId, Rating]
    summary: Text
    events: list[Event]


class Junctures(Strict):
    """The periods a study compares, rated on dimensions it declares, on one 0-4 scale."""

    title: Text
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    scale: dict[int, Text]
    junctures: Annotated[list[Juncture], Field(min_length=1)]

    def chart_order(self) -> list[Dimension]:
        """The outcome first (it takes the brand's first series colour), then the others as listed."""
        return sorted(self.dimensions, key=lambda d: not d.outcome)


class Citation(Strict):
    ref: Id
    locator: Annotated[str, Field(pattern=PAGES_PATTERN)] | None = None


class Finding(Sourced):
    id: Id
    headline: Text
    statement: Text
    explanation: Text
    juncture: Id | None = None
    tags: Annotated[list[Id], Field(min_length=1)]
    priority: Annotated[int, Field(ge=1, le=3)]
    figures: list[Id]
    sources: list[Citation]
    modality: Modality | None = None
    editors_note: Text | None = None


class Notes(Strict):
    cost: Text | None = None
    feasibility: Text | None = None
    sensitivity: Text | None = None


class Recommendation(Sourced):
    id: Id
    kind: Literal["recommendation", "caveat"]
    basis: Literal["stated", "derived"]
    actor: Id
    partners: list[Id]
    headline: Text
    action: Text
    rationale: Text
    rests_on: Annotated[list[Id], Field(min_length=1)]
    horizon: Literal["short", "medium", "long"]
    notes: Notes
    figures: list[Id] = []
    editors_note: Text | None = None


class Vocabulary(Strict):
    tags: dict[Id, Text]
    actors: dict[Id, Text]
    horizons: dict[Literal["short", "medium", "long"], Text]


class ReferenceForms(RootModel):
    """references.<lang>.yaml: reference id -> CSL text variable -> its form in that language."""

    model_config = ConfigDict(strict=True, frozen=True)
    root: dict[Id, dict[Annotated[str, Field(pattern=r"^[a-z-]{2,40}$")], Str]]


class Term(Strict):
    """An official name, with variants known to be wrong (QA fails a brief that prints one)."""

    preferred: Str
    wrong: list[Str] = []
    note: Str | None = None


class Terminology(Strict):
    en: list[Term] = []
    es: list[Term] = []

    def get(self, lang: str) -> list[Term]:
        return getattr(self, lang, [])
