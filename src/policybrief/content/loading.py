"""Load the thesis data from data/, validate every record and the references between them.

`load_content(data_dir)` returns a `Content` or raises `InputError` listing every problem found.
Files are only ever opened for reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem, display_path
from policybrief.core.validation import validate_document, validate_row
from policybrief.core.yamlio import YamlDocument, load_yaml

from .crosscheck import cross_check
from .datafiles import FILES, OPTIONAL_FILES, WHEN_MISSING, Locations, sourced_records
from .evidence import missing as missing_evidence
from .figure import Figure
from .models import (
    Finding,
    Hypothesis,
    Junctures,
    Locator,
    Recommendation,
    ReferenceForms,
    Structure,
    Study,
    Terminology,
    Vocabulary,
)
from .readers import _read_csv, _read_references


@dataclass
class Content:
    """The whole validated study: typed records, plus where each record was read from."""

    data_dir: Path
    study: Study
    structure: Structure
    vocabulary: Vocabulary
    hypotheses: list[Hypothesis]
    junctures: Junctures
    findings: list[Finding]
    recommendations: list[Recommendation]
    figures: list[Figure]
    references: list[dict]
    origins: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)
    docs: dict[str, YamlDocument] = field(default_factory=dict)  # the YAML files, for the line of any value
    terminology: Terminology = field(default_factory=Terminology)  # optional terminology.yaml
    # lang -> reference id -> CSL variable -> text (optional references.<lang>.yaml)
    reference_forms: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def references_in(self, lang: str) -> list[dict]:
        """The reference list with its descriptive strings (genre, place) in `lang` where the study gives them."""
        forms = self.reference_forms.get(lang, {})
        return [{**ref, **forms.get(ref["id"], {})} for ref in self.references]

    def figure(self, figure_id: str) -> Figure:
        return next(f for f in self.figures if f.id == figure_id)

    def juncture(self, juncture_id: str):
        return next(j for j in self.junctures.junctures if j.id == juncture_id)

    def figures_frame(self):
        """Figures as a pandas DataFrame (values kept as exact decimals, not floats)."""
        import pandas as pd  # imported on use: most commands never need it (0.3 s)

        frame = pd.DataFrame([f.model_dump() for f in self.figures])
        frame["number"] = [f.number for f in self.figures]
        return frame.set_index("id")

    def sourced_records(self) -> Iterable[tuple[str, str, str, Locator, str]]:
        """Every (kind, id, field, locator, anchor) that claims a place in the thesis."""
        return sourced_records(vars(self))


@dataclass
class _Loaded:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


_YAML_MODELS = {
    "study": (Study, False),
    "structure": (Structure, False),
    "vocabulary": (Vocabulary, False),
    "hypotheses": (Hypothesis, True),
    "junctures": (Junctures, False),
    "findings": (Finding, True),
    "recommendations": (Recommendation, True),
}


def _check_reference_forms(references: list[dict], reference_forms: dict, paths: dict[str, Path]) -> list[Problem]:
    """A translated form names a reference that exists and a text variable it already has."""
    known = {r["id"]: r for r in references}
    problems = []
    for lang, forms in reference_forms.items():
        doc = YamlDocument(None, {}, display_path(paths[lang]))
        loaded_doc, _ = load_yaml(paths[lang])
        doc = loaded_doc or doc
        for ref_id, fields in forms.items():
            if ref_id not in known:
                problems.append(Problem(doc.file, doc.line_of((ref_id,)), ref_id, None, "no reference in references.json has this id"))
                continue
            for name in fields:
                if not isinstance(known[ref_id].get(name), str):
                    problems.append(Problem(doc.file, doc.line_of((ref_id, name)), ref_id, name,
                                            "the reference has no text variable of this name to translate"))
    return problems


def _optional_yaml(path: Path, model, loaded: _Loaded):
    """A file the study may leave out: validated like the others when it is there."""
    if not path.is_file():
        return None
    doc, problems = load_yaml(path)
    loaded.problems += problems
    if doc is None:
        return None
    value, problems = validate_document(doc, model, False)
    loaded.problems += problems
    return value


def _load_file(key: str, path: Path, shown: str, loaded: _Loaded, where: Locations) -> None:
    """Read and validate one data file into `loaded` (its value, or its problems)."""
    if key == "figures":
        rows, problems = _read_csv(path, shown)
        figures = []
        for line, row in rows:
            figure, row_problems = validate_row(Figure, row, shown, line)
            problems += row_problems
            if figure:
                figures.append(figure)
                where.figure_lines[figure.id] = line
        loaded.problems += problems
        if not problems:  # a partial list would make references to the broken rows look unknown
            loaded.values[key] = figures
        return
    if key == "references":
        refs, where.reference_lines, problems = _read_references(path, shown)
        loaded.problems += problems
        if not problems:
            loaded.values[key] = refs
        return
    doc, problems = load_yaml(path)
    loaded.problems += problems
    if doc is None:
        return
    where.docs[key] = doc
    model, is_list = _YAML_MODELS[key]
    value, problems = validate_document(doc, model, is_list)
    loaded.problems += problems
    if value is not None:
        loaded.values[key] = value


def read_content(data_dir: Path | str) -> tuple[dict[str, Any], Content | None, list[Problem]]:
    """Every data file that loads and validates (file key -> value), the study's content when all of
    it is sound, and every problem: a file that fails does not hide the others, and the references
    between the files that loaded are checked."""
    data_dir = Path(data_dir)
    values, problems, where = _read_all(data_dir)
    if problems or any(key not in values for key in FILES):
        return values, None, problems
    content = Content(data_dir=data_dir, **values)
    content.origins = {(kind, rid): where(kind, rid) for kind, rid, *_ in content.sourced_records()}
    content.docs = where.docs
    problems = missing_evidence(content)
    return values, (None if problems else content), problems


def load_content(data_dir: Path | str) -> Content:
    """Read and validate every data file; raise InputError with all problems at once."""
    _values, content, problems = read_content(data_dir)
    if content is None:
        raise InputError(problems)
    return content


def _read_all(data_dir: Path) -> tuple[dict[str, Any], list[Problem], Locations]:
    loaded, where = _Loaded(), Locations(data_dir)
    for key, name in FILES.items():
        shown = display_path(data_dir / name)
        try:
            path = inside(data_dir, name, shown, None)  # a symlink out of the data folder is refused
        except InputError as exc:
            loaded.problems += exc.problems
            continue
        if not path.is_file():
            if key in WHEN_MISSING:
                loaded.values[key] = WHEN_MISSING[key]
            else:
                loaded.problems.append(Problem(shown, None, None, None, "file is missing"))
            continue
        _load_file(key, path, shown, loaded, where)
    _read_optional(data_dir, loaded)
    return loaded.values, loaded.problems + cross_check(loaded.values, where), where


def _read_optional(data_dir: Path, loaded: _Loaded) -> None:
    """The files a study may leave out: terminology.yaml and references.<lang>.yaml."""
    terminology = _optional_yaml(data_dir / OPTIONAL_FILES["terminology"], Terminology, loaded)
    if terminology is not None:
        loaded.values["terminology"] = terminology
    forms, paths = {}, {}
    for path in sorted(data_dir.glob("references.*.yaml")):
        if re.fullmatch(r"references\.[a-z]{2}\.yaml", path.name):
            value = _optional_yaml(path, ReferenceForms, loaded)
            if value is not None:
                forms[path.name.split(".")[1]] = value.root
                paths[path.name.split(".")[1]] = path
    loaded.values["reference_forms"] = forms
    if "references" in loaded.values:
        loaded.problems += _check_reference_forms(loaded.values["references"], forms, paths)


def describe(content: Content) -> str:
    """The one-line summary a successful validation prints."""
    return (
        f"ok: {display_path(content.data_dir)} is valid — {len(content.findings)} findings, {len(content.recommendations)} recommendations, "
        f"{len(content.figures)} figures, {len(content.hypotheses)} hypotheses, "
        f"{len(content.junctures.junctures)} junctures, {len(content.references)} references"
    )


def validate_data(data: str) -> int:
    """`policybrief validate`: every data file, every problem at once."""
    print(describe(load_content(data)))
    return 0
