"""The data files of a study and where each record and field was read from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policybrief.core.problems import display_path
from policybrief.core.yamlio import YamlDocument

from .models import Locator

FILES = {
    "study": "study.yaml",
    "structure": "structure.yaml",
    "vocabulary": "vocabulary.yaml",
    "hypotheses": "hypotheses.yaml",
    "junctures": "junctures.yaml",
    "findings": "findings.yaml",
    "recommendations": "recommendations.yaml",
    "figures": "figures.csv",
    "references": "references.json",
}
# Files of FILES a study may leave out, and what it then has: a study need not test hypotheses.
WHEN_MISSING = {"hypotheses": []}

# Files a study may leave out.
OPTIONAL_FILES = {"terminology": "terminology.yaml"}

SPANISH_REQUIRED = {
    "findings": ("headline", "statement"),
    "recommendations": ("headline", "action", "rationale"),
    "hypotheses": ("name", "claim", "reasoning"),
    "junctures": ("name", "short", "summary"),
}



@dataclass
class Locations:
    """Where every record, and every field of it, was read from: messages point at the field's line."""

    data_dir: Path
    docs: dict[str, YamlDocument] = field(default_factory=dict)
    figure_lines: dict[str, int] = field(default_factory=dict)
    reference_lines: dict[str, int] = field(default_factory=dict)

    def file(self, kind: str) -> str:
        return display_path(self.data_dir / FILES.get(kind, FILES["study"]))

    def _record_path(self, kind: str, record_id: str | None) -> tuple | None:
        """The path of a record inside its document: its list position, or its key."""
        doc = self.docs.get(kind)
        if doc is None:
            return None
        data = doc.data
        if kind == "study":
            questions = [q.get("id") if isinstance(q, dict) else None for q in data.get("research_questions") or []]
            if record_id in questions:
                return ("research_questions", questions.index(record_id))
            return (record_id,) if record_id in data else ()
        records, prefix = (data.get("junctures"), ("junctures",)) if kind == "junctures" else (data, ())
        if isinstance(records, list):
            ids = [r.get("id") if isinstance(r, dict) else None for r in records]
            if record_id in ids:
                return (*prefix, ids.index(record_id))
        return ()

    def __call__(self, kind: str, record_id: str | None, *field_path) -> tuple[str, int | None]:
        """(file, line) of `field_path` (keys and list positions) in record `record_id` of `kind`;
        the record's first line when the field is absent."""
        if kind == "figures":
            return self.file(kind), self.figure_lines.get(record_id)
        if kind == "references":
            return self.file(kind), self.reference_lines.get(record_id)
        prefix = self._record_path(kind, record_id)
        if prefix is None:
            return self.file(kind), None
        return self.docs[kind].file, self.docs[kind].line_of((*prefix, *field_path))


def sourced_records(values: dict[str, Any]) -> Iterable[tuple[str, str, str, Locator, str]]:
    """The records of `values` (file key -> validated value) that claim a place in the thesis;
    files that are missing from `values` (they failed to load) contribute nothing."""
    study = values.get("study")
    if study is not None:
        for name in ("method", "definition_of_cooperation"):
            passage = getattr(study, name)
            if passage is not None:
                yield "study", name, "anchor", passage.locator, passage.anchor
        for q in study.research_questions:
            yield "study", q.id, "anchor", q.locator, q.anchor
    junctures = values.get("junctures")
    for kind, records in (
        ("hypotheses", values.get("hypotheses") or []),
        ("junctures", junctures.junctures if junctures else []),
        ("findings", values.get("findings") or []),
        ("recommendations", values.get("recommendations") or []),
    ):
        for r in records:
            yield kind, r.id, "anchor", r.locator, r.anchor
    for fig in values.get("figures") or []:
        yield "figures", fig.id, "anchor", fig.locator, fig.anchor
