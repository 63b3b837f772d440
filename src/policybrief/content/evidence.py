"""Which printed fields need evidence, and every evidence passage with the file and line it is on.

A record that prints a claim backs each claim field with verbatim passages of the thesis
(`evidence: {field: [passages]}`); editors' notes are the editors' own and need none."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from policybrief.core.problems import Problem

from .models import Evidence

# kind -> the printed fields that must carry evidence (when the record has them).
CLAIM_FIELDS = {
    "findings": ("headline", "statement", "explanation"),
    "recommendations": ("headline", "action", "rationale", "notes.cost", "notes.feasibility", "notes.sensitivity"),
    "hypotheses": ("claim", "verdict", "reasoning"),
    "junctures": ("summary",),  # and each dimension the study declares: see claim_fields()
    "study": ("text",),
    "abstract": ("abstract",),
    "chart": ("title", "caption"),
}


@dataclass(frozen=True)
class Entry:
    """One evidence passage and where it is written."""

    kind: str
    record: str
    field: str  # e.g. "statement", "notes.cost", "events[1]"
    evidence: Evidence
    file: str
    line: int | None


def claim_fields(kind: str, content) -> tuple[str, ...]:
    """The printed fields of a kind of record; a juncture also prints a rating per declared dimension."""
    if kind == "junctures":
        return CLAIM_FIELDS[kind] + tuple(d.id for d in content.junctures.dimensions)
    return CLAIM_FIELDS[kind]


def _has(record, field: str) -> bool:
    value = record
    for part in field.split("."):
        value = getattr(value, part, None)
    return value is not None


def _records(content):
    """(kind, record, YAML path of the record, file key) for every record that can carry evidence."""
    study = content.study
    for name in ("method", "definition_of_cooperation"):
        if getattr(study, name) is not None:  # a study need not define a term
            yield "study", name, getattr(study, name), (name,), "study"
    for i, q in enumerate(study.research_questions):
        yield "study", q.id, q, ("research_questions", i), "study"
    yield "abstract", "abstract", study, (), "study"
    if study.chart is not None:
        yield "chart", "chart", study.chart, ("chart",), "study"
    for kind in ("hypotheses", "findings", "recommendations"):
        for i, r in enumerate(getattr(content, kind)):
            yield kind, r.id, r, (i,), kind
    for i, j in enumerate(content.junctures.junctures):
        yield "junctures", j.id, j, ("junctures", i), "junctures"


def entries(content) -> Iterator[Entry]:
    """Every evidence passage in the data, in file order, with its line."""
    for kind, record_id, record, path, file_key in _records(content):
        doc = content.docs.get(file_key)
        for field, passages in record.evidence.items():
            for i, evidence in enumerate(passages):
                line = doc.line_of((*path, "evidence", field, i)) if doc else None
                yield Entry(kind, record_id, field, evidence, doc.file if doc else file_key, line)
        for e_index, event in enumerate(getattr(record, "events", [])):
            for i, evidence in enumerate(event.evidence):
                line = doc.line_of((*path, "events", e_index, "evidence", i)) if doc else None
                yield Entry(kind, record_id, f"events[{e_index + 1}]", evidence, doc.file if doc else file_key, line)


def missing(content) -> list[Problem]:
    """Claim fields without evidence, and evidence under a field the record does not print."""
    problems = []
    for kind, record_id, record, path, file_key in _records(content):
        doc = content.docs.get(file_key)
        file = doc.file if doc else file_key
        # Study texts, the abstract, the chart and junctures (summary and every rating) always print their fields.
        wanted = [f for f in claim_fields(kind, content) if kind in ("study", "chart", "abstract", "junctures") or _has(record, f)]
        for field in wanted:
            if field not in record.evidence:
                problems.append(Problem(file, doc.line_of(path) if doc else None, record_id, f"evidence.{field}",
                                        "a printed claim needs evidence: one or more verbatim passages of the thesis "
                                        "(quote, chapter, section, footnote)"))
        for field in record.evidence:
            if field not in wanted:
                problems.append(Problem(file, doc.line_of((*path, "evidence", field)) if doc else None, record_id,
                                        f"evidence.{field}", f"is not a printed field of this record; expected one of: {', '.join(wanted)}"))
        for e_index, event in enumerate(getattr(record, "events", [])):
            if not event.evidence:
                problems.append(Problem(file, doc.line_of((*path, "events", e_index)) if doc else None, record_id,
                                        f"events[{e_index + 1}].evidence", "a printed event needs evidence"))
    return problems
