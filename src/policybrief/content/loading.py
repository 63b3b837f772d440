"""Load the thesis data from data/, validate every record and the references between them.

`load_content(data_dir)` returns a `Content` or raises `InputError` listing every problem found.
Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policybrief.core.problems import InputError, Problem, display_path
from policybrief.core.validation import validate_document, validate_row
from policybrief.core.yamlio import YamlDocument, load_yaml, read_text_strict

from .evidence import missing as missing_evidence
from .models import (
    ID_PATTERN,
    Figure,
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
    parse_pages,
)

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
        study = self.study
        for name in ("method", "definition_of_cooperation"):
            passage = getattr(study, name)
            if passage is not None:
                yield "study", name, "anchor", passage.locator, passage.anchor
        for q in study.research_questions:
            yield "study", q.id, "anchor", q.locator, q.anchor
        for kind, records in (
            ("hypotheses", self.hypotheses),
            ("junctures", self.junctures.junctures),
            ("findings", self.findings),
            ("recommendations", self.recommendations),
        ):
            for r in records:
                yield kind, r.id, "anchor", r.locator, r.anchor
        for fig in self.figures:
            yield "figures", fig.id, "anchor", fig.locator, fig.anchor


def _read_csv(path: Path, shown: str) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Rows of a CSV as text, each with the line it starts on. Nothing is coerced."""
    text, problems = read_text_strict(path, shown)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        return [], [Problem(shown, 1, None, None, f"cannot read the header row: {exc}")]
    expected = list(Figure.model_fields)
    if header != expected:
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c not in expected]
        detail = "; ".join(
            filter(None, [f"missing columns {missing}" if missing else "", f"unknown columns {unknown}" if unknown else ""])
        ) or "columns are out of order"
        return [], [Problem(shown, 1, None, None, f"header must be {','.join(expected)}: {detail}")]
    rows: list[tuple[int, dict]] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start = line
            line = reader.line_num + 1
            if not cells:
                continue
            if len(cells) != len(header):
                problems.append(Problem(shown, start, cells[0] or None, None, f"has {len(cells)} cells; expected {len(header)}"))
                continue
            if any("\n" in c for c in cells):
                problems.append(Problem(shown, start, cells[0] or None, None, "a cell contains a line break; keep each cell on one line"))
                continue
            rows.append((start, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, None, None, f"malformed CSV: {exc}"))
    if not rows and not problems:
        problems.append(Problem(shown, 2, None, None, "no data rows; expected at least one figure"))
    return rows, problems


def _read_references(path: Path, shown: str) -> tuple[list[dict], list[Problem]]:
    text, problems = read_text_strict(path, shown)
    if text is None:
        return [], problems
    duplicates: list[str] = []

    def no_duplicate_keys(pairs):
        keys = [k for k, _ in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    try:
        refs = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as exc:
        return [], [Problem(shown, exc.lineno, None, None, f"invalid JSON: {exc.msg}")]
    problems += [Problem(shown, None, None, key, "duplicate key in a reference") for key in duplicates]
    if not isinstance(refs, list):
        return [], [Problem(shown, 1, None, None, "expected a CSL JSON list of references")]

    def line_of(ref_id: str) -> int | None:
        match = re.search(r'"id"\s*:\s*"' + re.escape(ref_id) + '"', text)
        return text.count("\n", 0, match.start()) + 1 if match else None

    for index, ref in enumerate(refs):
        if not isinstance(ref, dict):
            problems.append(Problem(shown, None, f"#{index + 1}", None, "expected a reference object"))
            continue
        ref_id = ref.get("id")
        if not isinstance(ref_id, str) or not re.match(ID_PATTERN, ref_id):
            problems.append(Problem(shown, None, f"#{index + 1}", "id", f"must be a lower-case id; found {ref_id!r}"))
            continue
        for required in ("type", "title"):
            if not isinstance(ref.get(required), str) or not ref[required].strip():
                problems.append(Problem(shown, line_of(ref_id), ref_id, required, "is required (text)"))
    return [r for r in refs if isinstance(r, dict)], problems


@dataclass
class _Loaded:
    docs: dict[str, YamlDocument] = field(default_factory=dict)
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


def _check_reference_forms(content: Content, paths: dict[str, Path]) -> list[Problem]:
    """A translated form names a reference that exists and a text variable it already has."""
    known = {r["id"]: r for r in content.references}
    problems = []
    for lang, forms in content.reference_forms.items():
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


def load_content(data_dir: Path | str) -> Content:
    """Read and validate every data file; raise InputError with all problems at once."""
    data_dir = Path(data_dir)
    loaded = _Loaded()
    figure_lines: dict[str, int] = {}
    for key, name in FILES.items():
        path = data_dir / name
        shown = display_path(path)
        if not path.is_file():
            if key in WHEN_MISSING:
                loaded.values[key] = WHEN_MISSING[key]
            else:
                loaded.problems.append(Problem(shown, None, None, None, "file is missing"))
            continue
        if key == "figures":
            rows, problems = _read_csv(path, shown)
            loaded.problems += problems
            figures = []
            for line, row in rows:
                figure, row_problems = validate_row(Figure, row, shown, line)
                loaded.problems += row_problems
                if figure:
                    figures.append(figure)
                    figure_lines[figure.id] = line
            loaded.values[key] = figures
        elif key == "references":
            refs, problems = _read_references(path, shown)
            loaded.problems += problems
            loaded.values[key] = refs
        else:
            doc, problems = load_yaml(path)
            loaded.problems += problems
            if doc is None:
                continue
            loaded.docs[key] = doc
            model, is_list = _YAML_MODELS[key]
            value, problems = validate_document(doc, model, is_list)
            loaded.problems += problems
            if value is not None:
                loaded.values[key] = value
    terminology = _optional_yaml(data_dir / OPTIONAL_FILES["terminology"], Terminology, loaded)
    reference_forms = {path.name.split(".")[1]: (path, _optional_yaml(path, ReferenceForms, loaded))
                       for path in sorted(data_dir.glob("references.*.yaml")) if re.fullmatch(r"references\.[a-z]{2}\.yaml", path.name)}
    if loaded.problems or len(loaded.values) != len(FILES):
        raise InputError(loaded.problems)
    content = Content(
        data_dir=data_dir,
        study=loaded.values["study"],
        structure=loaded.values["structure"],
        vocabulary=loaded.values["vocabulary"],
        hypotheses=loaded.values["hypotheses"],
        junctures=loaded.values["junctures"],
        findings=loaded.values["findings"],
        recommendations=loaded.values["recommendations"],
        figures=loaded.values["figures"],
        references=loaded.values["references"],
    )
    content.origins = _origins(content, loaded.docs, figure_lines)
    content.docs = loaded.docs
    content.terminology = terminology or Terminology()
    content.reference_forms = {lang: forms.root for lang, (_path, forms) in reference_forms.items() if forms is not None}
    problems = _check_reference_forms(content, {lang: path for lang, (path, _f) in reference_forms.items()})
    if problems:
        raise InputError(problems)
    problems = cross_check(content)
    if problems:
        raise InputError(problems)
    return content


def _origins(content: Content, docs: dict[str, YamlDocument], figure_lines: dict[str, int]):
    origins: dict[tuple[str, str], tuple[str, int | None]] = {}
    for kind in ("hypotheses", "findings", "recommendations"):
        doc = docs.get(kind)
        if doc is None:  # an optional file the study does not have
            continue
        for index, record in enumerate(getattr(content, kind)):
            origins[(kind, record.id)] = (doc.file, doc.line_of((index,)))
    doc = docs["junctures"]
    for index, record in enumerate(content.junctures.junctures):
        origins[("junctures", record.id)] = (doc.file, doc.line_of(("junctures", index)))
    doc = docs["study"]
    for name in ("method", "definition_of_cooperation"):
        origins[("study", name)] = (doc.file, doc.line_of((name,)))
    for index, q in enumerate(content.study.research_questions):
        origins[("study", q.id)] = (doc.file, doc.line_of(("research_questions", index)))
    figures_file = display_path(content.data_dir / FILES["figures"])
    for figure_id, line in figure_lines.items():
        origins[("figures", figure_id)] = (figures_file, line)
    return origins


def cross_check(content: Content) -> list[Problem]:
    """Checks that span records: unique ids, resolvable references, vocabularies, locators, Spanish."""
    problems: list[Problem] = missing_evidence(content)

    def add(kind: str, record_id: str, field_name: str, message: str) -> None:
        file, line = content.origins.get((kind, record_id), (display_path(content.data_dir / FILES.get(kind, "study.yaml")), None))
        problems.append(Problem(file, line, record_id, field_name, message))

    collections = {
        "hypotheses": content.hypotheses,
        "junctures": content.junctures.junctures,
        "findings": content.findings,
        "recommendations": content.recommendations,
        "figures": content.figures,
    }
    for kind, records in collections.items():
        seen: set[str] = set()
        for r in records:
            if r.id in seen:
                add(kind, r.id, "id", f"duplicate id '{r.id}'; ids must be unique within {FILES[kind]}")
            seen.add(r.id)

    ref_ids = [r["id"] for r in content.references]
    refs_file = display_path(content.data_dir / FILES["references"])
    for dup in sorted({i for i in ref_ids if ref_ids.count(i) > 1}):
        problems.append(Problem(refs_file, None, dup, "id", "duplicate reference id"))
    refs, tags, actors = set(ref_ids), set(content.vocabulary.tags), set(content.vocabulary.actors)
    findings = {f.id for f in content.findings}
    figures = {f.id for f in content.figures}
    junctures = {j.id for j in content.junctures.junctures}

    def must_exist(kind, rid, field_name, value, known, what):
        if value not in known:
            add(kind, rid, field_name, f"refers to unknown {what} '{value}'; known: {', '.join(sorted(known)) or 'none'}")

    if content.study.reference_id not in refs:
        problems.append(Problem(display_path(content.data_dir / FILES["study"]), None, "study", "reference_id",
                                f"refers to unknown reference '{content.study.reference_id}'"))
    for f in content.findings:
        if f.juncture is not None:
            must_exist("findings", f.id, "juncture", f.juncture, junctures, "juncture")
        for t in f.tags:
            must_exist("findings", f.id, "tags", t, tags, "tag")
        for fig in f.figures:
            must_exist("findings", f.id, "figures", fig, figures, "figure")
        for c in f.sources:
            must_exist("findings", f.id, "sources.ref", c.ref, refs, "reference")
    for r in content.recommendations:
        must_exist("recommendations", r.id, "actor", r.actor, actors, "actor")
        for p in r.partners:
            must_exist("recommendations", r.id, "partners", p, actors, "actor")
        for fid in r.rests_on:
            must_exist("recommendations", r.id, "rests_on", fid, findings, "finding")
        for fig in r.figures:
            must_exist("recommendations", r.id, "figures", fig, figures, "figure")
    for fig in content.figures:
        must_exist("figures", fig.id, "source", fig.source, refs, "reference")
        for t in fig.tag_list:
            must_exist("figures", fig.id, "tags", t, tags, "tag")
    missing_levels = set(range(5)) - set(content.junctures.scale)
    if missing_levels:
        problems.append(Problem(display_path(content.data_dir / FILES["junctures"]), None, None, "scale",
                                f"must define every level 0-4; missing {sorted(missing_levels)}"))
    problems += _check_dimensions(content, add)

    _check_locators(content, add)
    _check_spanish(content, add)
    return problems


def _check_dimensions(content: Content, add) -> list[Problem]:
    """Each juncture rates exactly the dimensions junctures.yaml declares; at most one is the outcome."""
    declared = [d.id for d in content.junctures.dimensions]
    file = display_path(content.data_dir / FILES["junctures"])
    problems = [Problem(file, None, None, "dimensions", f"dimension '{d}' is declared twice")
                for d in sorted({d for d in declared if declared.count(d) > 1})]
    outcomes = [d.id for d in content.junctures.dimensions if d.outcome]
    if len(outcomes) > 1:
        problems.append(Problem(file, None, None, "dimensions", f"only one dimension can be the outcome; found {', '.join(outcomes)}"))
    for j in content.junctures.junctures:
        missing = [d for d in declared if d not in j.ratings]
        unknown = sorted(set(j.ratings) - set(declared))
        if missing:
            add("junctures", j.id, "ratings", f"has no rating for {', '.join(missing)}; every declared dimension needs one")
        if unknown:
            add("junctures", j.id, "ratings", f"rates undeclared dimensions {', '.join(unknown)}; declared: {', '.join(declared)}")
    return problems


def _check_locators(content: Content, add) -> None:
    chapters = {c.id: c for c in content.structure.chapters}
    for kind, rid, _field, loc, _anchor in content.sourced_records():
        chapter = chapters.get(loc.chapter)
        if chapter is None:
            add(kind, rid, "locator.chapter", f"chapter '{loc.chapter}' is not in structure.yaml")
            continue
        low, high = parse_pages(chapter.pages)
        if loc.section:
            section = next((s for s in chapter.sections if s.id == loc.section), None)
            if section is None:
                known = ", ".join(s.id for s in chapter.sections)
                add(kind, rid, "locator.section", f"section '{loc.section}' is not in chapter {loc.chapter} (sections: {known})")
                continue
            low, high = parse_pages(section.pages)
        first, last = loc.page_range()
        if first > last or first < low or last > high:
            where = f"section {loc.section}" if loc.section else f"chapter {loc.chapter}"
            add(kind, rid, "locator.pages", f"pages {loc.pages} lie outside {where} (pages {low}-{high})")


def _check_spanish(content: Content, add) -> None:
    for kind, fields in SPANISH_REQUIRED.items():
        records = content.junctures.junctures if kind == "junctures" else getattr(content, kind)
        for r in records:
            for name in fields:
                if getattr(r, name).es is None:
                    add(kind, r.id, f"{name}.es", "Spanish text is required (the Spanish brief prints this field)")
    vocab = content.vocabulary
    for group in ("tags", "actors", "horizons"):
        for key, text in getattr(vocab, group).items():
            if text.es is None:
                add("vocabulary", key, f"{group}.{key}.es", "Spanish text is required")
    for level, text in content.junctures.scale.items():
        if text.es is None:
            add("junctures", str(level), f"scale.{level}.es", "Spanish text is required")
    for d in content.junctures.dimensions:
        if d.label.es is None:
            add("junctures", d.id, "label.es", "Spanish text is required")
    if content.junctures.title.es is None:
        add("junctures", "title", "title.es", "Spanish text is required")


def validate_data(data: str) -> int:
    """`policybrief validate`: every data file, every problem at once."""
    content = load_content(data)
    print(
        f"ok: {data} is valid — {len(content.findings)} findings, {len(content.recommendations)} recommendations, "
        f"{len(content.figures)} figures, {len(content.hypotheses)} hypotheses, "
        f"{len(content.junctures.junctures)} junctures, {len(content.references)} references"
    )
    return 0
