"""The thesis text as the verifier and the fact-check sheet see it: its sections (between the
headings the study's structure.yaml names), paragraphs and footnote markers.

Quotes are compared after folding what a PDF-to-Markdown conversion varies: markup, footnote
markers, curly quotes, dashes and spacing (`normalise`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .models import Structure

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " "})
_MARKUP = [
    (re.compile(r"<sup>.*?</sup>", re.S), " "),  # footnote markers interrupt phrases
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])"), r"\1"),  # markdown backslash escapes
    (re.compile(r"\*+"), ""),
]
HEADING = re.compile(r"^#{1,6}\s*(.*?)\s*$")
FOOTNOTE_LINE = re.compile(r"^<sup>(\d+)</sup>")
MARKER = re.compile(r"<sup>(\d+)</sup>")


def normalise(text: str) -> str:
    """Fold the differences a PDF-to-Markdown conversion introduces: markup, quotes, dashes, spacing."""
    text = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    text = text.translate(_QUOTES)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([,.;:?!)])", r"\1", text)
    return text.strip().casefold()


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text (footnote bodies excluded), with the part of the thesis it is in."""

    number: int  # 1-based, in reading order: the anchor of the HTML rendering (#p-<number>)
    chapter: str | None
    section: str | None
    raw: str
    text: str  # normalised
    markers: tuple[tuple[int, int], ...]  # (position in `text`, footnote number)


@dataclass(frozen=True)
class Match:
    paragraph: Paragraph  # where the quote starts
    start: int
    end: int
    markers: tuple[tuple[int, int], ...]  # of the text the quote stands in (two paragraphs when it runs on)

    @property
    def footnotes(self) -> set[int]:
        """Footnote markers inside the quoted span or right after it."""
        return {n for pos, n in self.markers if self.start <= pos <= self.end + 2}


def _markers(raw: str) -> tuple[tuple[int, int], ...]:
    return tuple((len(normalise(raw[: m.start()])), int(m.group(1))) for m in MARKER.finditer(raw))


class SourceText:
    """The thesis split at the headings structure.yaml names (chapter `heading`, section `heading`)."""

    def __init__(self, text: str, structure: Structure):
        self.text = text
        heads: dict[str, tuple[str, str | None]] = {}
        for chapter in structure.chapters:
            heads[normalise(chapter.heading)] = (chapter.id, None)
            for section in chapter.sections:
                if section.heading:
                    heads[normalise(section.heading)] = (chapter.id, section.id)
        self.headings_found = set()
        self.paragraphs: list[Paragraph] = []
        where: tuple[str | None, str | None] = (None, None)
        chapter_ids = {c.id for c in structure.chapters}
        for block in re.split(r"\n\s*\n", text):
            lines = [line for line in block.strip().splitlines() if not FOOTNOTE_LINE.match(line)]
            if not lines:
                continue
            heading = HEADING.match(lines[0])
            if heading:
                key = normalise(heading.group(1))
                if key in heads:
                    where = heads[key]
                    self.headings_found.add(heads[key])
                elif where[0] in chapter_ids and re.match(r"^(list of references|references|bibliography|appendix)", key):
                    where = (None, None)  # back matter belongs to no chapter
                continue
            raw = " ".join(lines)
            self.paragraphs.append(Paragraph(len(self.paragraphs) + 1, where[0], where[1], raw, normalise(raw), _markers(raw)))

    @classmethod
    def read(cls, path: Path, structure: Structure) -> SourceText:
        return cls(Path(path).read_text(encoding="utf-8"), structure)

    def find(self, quote: str) -> list[Match]:
        """Every place the quote stands (within a paragraph, or running on into the next one)."""
        wanted = normalise(quote)
        found = []
        for i, p in enumerate(self.paragraphs):
            start = p.text.find(wanted)
            if start >= 0:
                found.append(Match(p, start, start + len(wanted), p.markers))
            elif i + 1 < len(self.paragraphs):
                # A page break in the conversion splits a paragraph in two: let a quote run on.
                after = self.paragraphs[i + 1]
                start = (p.text + " " + after.text).find(wanted)
                if 0 <= start < len(p.text):
                    shifted = tuple((pos + len(p.text) + 1, n) for pos, n in after.markers)
                    found.append(Match(p, start, start + len(wanted), p.markers + shifted))
        return found

    def contains(self, phrase: str) -> bool:
        return normalise(phrase) in normalise(self.text)


def in_part(paragraph: Paragraph, chapter: str, section: str | None) -> bool:
    """Whether a paragraph lies in the chapter/section a locator names; a section includes its
    subsections (C contains C.1 and C.2); no section or "-" means the whole chapter."""
    if paragraph.chapter != chapter:
        return False
    if section in (None, "-"):
        return True
    return paragraph.section == section or (paragraph.section or "").startswith(section + ".")
