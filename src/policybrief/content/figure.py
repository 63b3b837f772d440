"""One row of figures.csv: a key figure with its value, unit, period, locator and passage."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from .models import PAGES_PATTERN, PART_PATTERN, Anchor, Id, Locator, Part, Str, evidence_length, year_span

UNITS = ("count", "percent", "miles", "million", "usd-million", "usd-billion", "years", "days", "year")
QUALIFIERS = ("", "about", "over", "fewer-than", "at-least", "almost")


class Figure(BaseModel):
    """One row of figures.csv. CSV cells arrive as text; each is parsed here, never guessed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    label_en: Str
    label_es: Str
    value: Annotated[str, Field(pattern=r"^[0-9]+(\.[0-9]+)?$")]
    unit: Literal[UNITS]  # type: ignore[valid-type]
    qualifier: Literal[QUALIFIERS]  # type: ignore[valid-type]
    period: Annotated[str, Field(pattern=r"^(c\. )?[0-9]{4}(-[0-9]{4})?$"), AfterValidator(year_span)]
    chapter: Part
    section: Annotated[str, Field(pattern=PART_PATTERN + "|^$")]
    pages: Annotated[str, Field(pattern=PAGES_PATTERN)]
    footnote: Annotated[str, Field(pattern=r"^([0-9]{1,3})?$")]
    source: Id
    anchor: Anchor
    tags: Annotated[str, Field(pattern=r"^[a-z0-9-]+(;[a-z0-9-]+)*$")]
    # The verbatim sentence (or two) of the thesis that holds the anchor and backs the label.
    passage: Annotated[Str, AfterValidator(evidence_length)]

    @field_validator("value")
    @classmethod
    def _no_leading_zero(cls, value: str) -> str:
        if len(value) > 1 and value.startswith("0") and not value.startswith("0."):
            raise ValueError(f"'{value}' has a leading zero; write the number as it should print")
        return value

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split(";")

    @property
    def locator(self) -> Locator:
        return Locator(
            chapter=self.chapter,
            section=self.section or None,
            pages=self.pages,
            footnote=int(self.footnote) if self.footnote else None,
        )

    def label(self, lang: str) -> str:
        return self.label_es if lang == "es" else self.label_en
