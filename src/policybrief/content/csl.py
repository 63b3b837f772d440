"""The bibliography's model: a CSL JSON item, checked against the CSL 1.0.2 input schema."""

from __future__ import annotations

import calendar
import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
    create_model,
    model_validator,
)

from policybrief.core.problems import did_you_mean

from .models import ID_PATTERN, Str, Strict, check_characters, check_year

# The bibliography (references.json) is CSL JSON, checked here against the CSL 1.0.2 input schema
# (citation-style-language/schema, schemas/input/csl-data.json): its types and variables, plus
# what that schema leaves open: dates that exist, text a reader can see, lengths a page can hold.
CSL_TYPES = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
    "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical", "personal_communication",
    "post", "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech", "standard",
    "thesis", "treaty", "webpage",
)
CSL_NAMES = (
    "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor", "curator",
    "director", "editor", "editorial-director", "executive-producer", "guest", "host", "interviewer", "illustrator",
    "narrator", "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author",
    "script-writer", "series-creator", "translator",
)
CSL_DATES = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
CSL_NUMBERS = (
    "chapter-number", "citation-number", "collection-number", "edition", "first-reference-note-number", "issue",
    "locator", "number", "number-of-pages", "number-of-volumes", "page", "page-first", "part", "printing",
    "supplement", "volume",
)
CSL_STRINGS = (
    "citation-key", "language", "journalAbbreviation", "shortTitle", "abstract", "annote", "archive",
    "archive_collection", "archive_location", "archive-place", "authority", "call-number", "citation-label",
    "collection-title", "container-title", "container-title-short", "dimensions", "division", "event",
    "event-title", "event-place", "genre", "jurisdiction", "keyword", "medium", "note", "original-publisher",
    "original-publisher-place", "original-title", "part-title", "publisher", "publisher-place", "references",
    "reviewed-genre", "reviewed-title", "scale", "section", "source", "status", "title", "title-short",
    "version", "volume-title", "volume-title-short", "year-suffix",
)
# Identifiers and addresses: one unbroken token each, so the long-word rule of Str does not apply.
CSL_TOKENS = ("DOI", "ISBN", "ISSN", "PMCID", "PMID", "URL")
MAX_TOKEN_CHARS = 2000


def clean_token(value: str) -> str:
    check_characters(value)
    if not value or len(value) > MAX_TOKEN_CHARS or any(c.isspace() for c in value):
        raise ValueError(f"must be one unbroken value of 1-{MAX_TOKEN_CHARS} characters without spaces")
    return value


def csl_type(value: str) -> str:
    if value not in CSL_TYPES:
        raise ValueError(f"unknown CSL type '{value[:40]}'{did_you_mean(value, CSL_TYPES)}; CSL 1.0.2 types: {', '.join(CSL_TYPES)}")
    return value


Token = Annotated[str, AfterValidator(clean_token)]


def reference_id(value: str) -> str:
    if not re.match(ID_PATTERN, value):
        raise ValueError("must be a lower-case id (letters a-z, digits and hyphens), as findings cite it")
    return value


def check_date_parts(parts: list[list[int]]) -> list[list[int]]:
    """Each [year, month, day] (month and day optional) a date that exists; a range is two of them."""
    for part in parts:
        year, month, day = [*part, None, None][:3]
        check_year(year, first=1)  # works cited may be old; year 0 does not exist
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist; expected 1-12 (seasons go in 'season')")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"day {day} does not exist in {year}-{month:02d}")
    return parts


class CslName(Strict):
    family: Str | None = None
    given: Str | None = None
    literal: Str | None = None
    suffix: Str | None = None
    dropping_particle: Str | None = Field(None, alias="dropping-particle")
    non_dropping_particle: Str | None = Field(None, alias="non-dropping-particle")
    comma_suffix: bool | None = Field(None, alias="comma-suffix")
    static_ordering: bool | None = Field(None, alias="static-ordering")
    parse_names: bool | None = Field(None, alias="parse-names")

    @model_validator(mode="after")
    def _named(self):
        if self.family is None and self.literal is None:
            raise ValueError("a name needs 'family' (with 'given') or 'literal'")
        return self


class CslDate(Strict):
    date_parts: Annotated[
        list[Annotated[list[int], Field(min_length=1, max_length=3)]], Field(min_length=1, max_length=2), AfterValidator(check_date_parts)
    ] | None = Field(None, alias="date-parts")
    season: Annotated[int, Field(ge=1, le=4)] | Str | None = None
    circa: bool | None = None
    literal: Str | None = None
    raw: Str | None = None

    @model_validator(mode="after")
    def _dated(self):
        if self.date_parts is None and self.literal is None and self.raw is None:
            raise ValueError("a date needs 'date-parts' (e.g. [[2010, 3]]), 'literal' or 'raw'")
        return self


def _csl_field(name: str, kind, required: bool = False):
    return (kind, Field(... if required else None, alias=name))


Reference = create_model(
    "Reference",
    __base__=Strict,
    __doc__="One work of the bibliography (a CSL JSON item).",
    id=(Annotated[str, AfterValidator(reference_id)], ...),
    type=(Annotated[str, AfterValidator(csl_type)], ...),
    **{name.replace("-", "_").lower() + "_": _csl_field(name, Str | None, required=name == "title") for name in CSL_STRINGS},
    **{name.lower() + "_": _csl_field(name, Token | None) for name in CSL_TOKENS},
    **{name.replace("-", "_") + "_": _csl_field(name, Str | Annotated[int, Field(ge=0)] | None) for name in CSL_NUMBERS},
    **{name.replace("-", "_") + "_": _csl_field(name, list[CslName] | None) for name in CSL_NAMES},
    **{name.replace("-", "_") + "_": _csl_field(name, CslDate | None) for name in CSL_DATES},
)
