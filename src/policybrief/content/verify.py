"""Check the data against the thesis text: every anchor found, every figure's value in its anchor,
and every evidence passage verbatim inside the chapter/section it names, with the footnote it
names attached to it. Every miss at once, with file, line, record and field."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from policybrief.core.problems import InputError, Problem

from . import evidence
from .loading import Content, load_content
from .models import Evidence
from .source import SourceText, in_part, normalise

__all__ = ["missing_source", "normalise", "numbers_in", "verified", "verify", "verify_or_raise", "verify_source"]


def numbers_in(text: str) -> set[Decimal]:
    return {Decimal(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _where(chapter: str, section: str | None) -> str:
    return chapter if section in (None, "-") else f"{chapter}.{section}"


def passage_problem(source: SourceText, ev: Evidence) -> str | None:
    """Why a passage does not stand where it says (None when it does)."""
    matches = source.find(ev.quote)
    if not matches:
        return f"passage not found in the thesis text: \"{ev.quote[:80]}\""
    inside = [m for m in matches if in_part(m.paragraph, ev.chapter, ev.section)]
    if not inside:
        found = ", ".join(sorted({_where(m.paragraph.chapter or "?", m.paragraph.section) for m in matches}))
        return f"passage is not in {_where(ev.chapter, ev.section)} but in {found}: \"{ev.quote[:60]}\""
    if ev.footnote is not None and not any(ev.footnote in m.footnotes for m in inside):
        attached = sorted(set().union(*(m.footnotes for m in inside)))
        return (f"footnote {ev.footnote} is not attached to this passage "
                f"({'its footnotes: ' + ', '.join(map(str, attached)) if attached else 'no footnote marker stands on it'})")
    return None


def _anchor_problems(content: Content, source: SourceText) -> list[Problem]:
    problems = []
    for kind, record_id, field_name, locator, anchor in content.sourced_records():
        file, line = content.origins.get((kind, record_id), (kind, None))
        matches = source.find(anchor)
        if not matches:
            problems.append(Problem(file, line, record_id, field_name, f"anchor not found in the thesis text: \"{anchor}\""))
        elif not any(in_part(m.paragraph, locator.chapter, locator.section) for m in matches):
            found = ", ".join(sorted({_where(m.paragraph.chapter or "?", m.paragraph.section) for m in matches}))
            problems.append(Problem(file, line, record_id, "locator",
                                    f"the anchor stands in {found}, not in {_where(locator.chapter, locator.section)}"))
    return problems


def _figure_problems(content: Content, source: SourceText) -> list[Problem]:
    problems = []
    for fig in content.figures:
        file, line = content.origins[("figures", fig.id)]
        if fig.number not in numbers_in(fig.anchor):
            problems.append(Problem(file, line, fig.id, "value", f"value {fig.value} does not appear in its anchor \"{fig.anchor}\""))
        if normalise(fig.anchor) not in normalise(fig.passage):
            problems.append(Problem(file, line, fig.id, "passage", "the passage does not contain the anchor"))
        loc = fig.locator
        why = passage_problem(source, Evidence(quote=fig.passage, chapter=loc.chapter, section=loc.section, footnote=loc.footnote))
        if why:
            problems.append(Problem(file, line, fig.id, "passage", why))
    return problems


def _heading_problems(content: Content, source: SourceText) -> list[Problem]:
    """A heading structure.yaml names but the text lacks would silently empty its section."""
    doc = content.docs.get("structure")
    problems = []
    for ci, chapter in enumerate(content.structure.chapters):
        parts = [((ci, "heading"), chapter.id, None)] + [((ci, "sections", si, "heading"), chapter.id, s.id)
                                                         for si, s in enumerate(chapter.sections) if s.heading]
        for path, chapter_id, section_id in parts:
            if (chapter_id, section_id) not in source.headings_found:
                problems.append(Problem(doc.file if doc else "structure.yaml", doc.line_of(("chapters", *path)) if doc else None,
                                        _where(chapter_id, section_id), "heading", "no heading of the thesis text reads like this"))
    return problems


def verify(content: Content, source_path: Path) -> list[Problem]:
    """Every miss at once: headings, anchors, figure values and passages, evidence passages."""
    source = SourceText.read(source_path, content.structure)
    problems = _heading_problems(content, source) + _anchor_problems(content, source) + _figure_problems(content, source)
    for entry in evidence.entries(content):
        why = passage_problem(source, entry.evidence)
        if why:
            problems.append(Problem(entry.file, entry.line, entry.record, f"evidence.{entry.field}", why))
    return problems


def verify_or_raise(content: Content, source_path: Path) -> None:
    problems = verify(content, source_path)
    if problems:
        raise InputError(problems)


def verify_source(data: str, source: str) -> int:
    """`policybrief verify`: anchors, figure values and evidence passages found where they say."""
    source_path = Path(source)
    if not source_path.is_file():
        raise InputError([missing_source(source)])
    print(verified(load_content(data), source_path))
    return 0


def missing_source(source: str) -> Problem:
    return Problem(source, None, None, "source", "the thesis text does not exist; pass --source PATH")


def verified(content: Content, source_path: Path) -> str:
    """Verify `content` against the thesis text (InputError with every problem), and say what was checked."""
    verify_or_raise(content, source_path)
    anchors = sum(1 for _ in content.sourced_records())
    passages = sum(1 for _ in evidence.entries(content))
    return (f"ok: {anchors} anchors and {passages} evidence passages found in {source_path}, each in the section it names; "
            f"all {len(content.figures)} figure values appear in their anchors")
