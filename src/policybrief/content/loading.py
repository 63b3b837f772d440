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

from pydantic import ValidationError

from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem, did_you_mean, display_path, unknown
from policybrief.core.validation import explain, validate_document, validate_row
from policybrief.core.yamlio import MAX_DEPTH, YamlDocument, load_yaml, read_text_strict

from .evidence import missing as missing_evidence
from .models import (
    Figure,
    Finding,
    Hypothesis,
    Junctures,
    Locator,
    Recommendation,
    Reference,
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
        return sourced_records(vars(self))


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


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting_line(text: str) -> int | None:
    """The line where JSON nesting first goes deeper than MAX_DEPTH, checked before parsing (the
    parser would recurse once per level and overflow the stack on a hostile file)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return None


def _item_starts(text: str) -> list[int]:
    """Where each item of the top-level JSON list starts (json gives values, not positions)."""
    decoder, gap = json.JSONDecoder(), re.compile(r"[\s,]*")
    starts, pos = [], gap.match(text, text.index("[") + 1).end()
    while pos < len(text) and text[pos] != "]":
        starts.append(pos)
        pos = gap.match(text, decoder.raw_decode(text, pos)[1]).end()
    return starts


def _json_line(text: str, start: int, end: int, path: tuple) -> int:
    """The line of the deepest key of `path` found, in order, between `start` and `end`."""
    pos = start
    for key in (k for k in path if isinstance(k, str)):
        match = re.compile(f'"{re.escape(key)}"\\s*:').search(text, pos, end)
        if match is None:
            break
        pos = match.start()
    return text.count("\n", 0, pos) + 1


def _read_references(path: Path, shown: str) -> tuple[list[dict], dict[str, int], list[Problem]]:
    """The bibliography (CSL JSON): every item checked against the Reference model, each problem at
    the line of its field. Returns the items as written (citeproc reads them), their lines, problems."""
    text, problems = read_text_strict(path, shown)
    if text is None:
        return [], {}, problems
    deep = _nesting_line(text)
    if deep:
        return [], {}, [Problem(shown, deep, None, None, f"nested more than {MAX_DEPTH} levels deep; a bibliography is never this deep")]
    duplicates: list[str] = []

    def no_duplicate_keys(pairs):
        keys = [k for k, _ in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    try:
        refs = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as exc:
        return [], {}, [Problem(shown, exc.lineno, None, None, f"invalid JSON: {exc.msg}")]
    problems += [Problem(shown, None, None, key, "duplicate key in a reference") for key in duplicates]
    if not isinstance(refs, list):
        return [], {}, [Problem(shown, 1, None, None, "expected a CSL JSON list of references")]
    starts = [*_item_starts(text), len(text)]
    lines: dict[str, int] = {}
    for index, ref in enumerate(refs):
        begin, end = starts[index], starts[index + 1]
        ref_id = ref.get("id") if isinstance(ref, dict) and isinstance(ref.get("id"), str) else f"#{index + 1}"
        lines.setdefault(ref_id, _json_line(text, begin, end, ()))
        if not isinstance(ref, dict):
            problems.append(Problem(shown, lines[ref_id], ref_id, None, "expected a reference object"))
            continue
        try:
            Reference.model_validate(ref)
        except ValidationError as exc:
            problems += [Problem(shown, _json_line(text, begin, end, tuple(e["loc"])), ref_id,
                                 ".".join(map(str, e["loc"])) or None, explain(e)) for e in exc.errors()]
    return [r for r in refs if isinstance(r, dict)], lines, problems


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


def read_content(data_dir: Path | str) -> tuple[dict[str, Any], list[Problem]]:
    """Every data file that loads and validates (file key -> value), and every problem: a file that
    fails does not hide the others, and the references between the files that loaded are checked."""
    values, problems, _where = _read_all(Path(data_dir))
    return values, problems


def load_content(data_dir: Path | str) -> Content:
    """Read and validate every data file; raise InputError with all problems at once."""
    data_dir = Path(data_dir)
    values, problems, where = _read_all(data_dir)
    if problems or any(key not in values for key in FILES):
        raise InputError(problems)
    content = Content(data_dir=data_dir, **values)
    content.origins = {(kind, rid): where(kind, rid) for kind, rid, *_ in content.sourced_records()}
    content.docs = where.docs
    problems = missing_evidence(content)
    if problems:
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


def cross_check(values: dict[str, Any], where: Locations) -> list[Problem]:
    """Checks that span records: unique ids, resolvable references, vocabularies, locators, Spanish.
    Only files that loaded are checked (`values`); a reference into a file that failed is skipped,
    since that file's own problems are already reported."""
    problems: list[Problem] = []

    def add(kind: str, record_id: str | None, field_name: str, message: str, at: tuple | None = None) -> None:
        path = at if at is not None else tuple(int(p) if p.isdigit() else p for p in field_name.split("."))
        file, line = where(kind, record_id, *path)
        problems.append(Problem(file, line, record_id, field_name, message))

    junctures = values.get("junctures")
    collections = {
        "hypotheses": values.get("hypotheses"),
        "junctures": junctures.junctures if junctures else None,
        "findings": values.get("findings"),
        "recommendations": values.get("recommendations"),
        "figures": values.get("figures"),
    }
    for kind, records in collections.items():
        seen: set[str] = set()
        for r in records or []:
            if r.id in seen:
                add(kind, r.id, "id", f"duplicate id '{r.id}'; ids must be unique within {FILES[kind]}")
            seen.add(r.id)

    ref_ids = [r["id"] for r in values["references"]] if "references" in values else None
    for dup in sorted({i for i in ref_ids or [] if ref_ids.count(i) > 1}):
        add("references", dup, "id", "duplicate reference id")
    vocabulary = values.get("vocabulary")
    known = {
        "reference": set(ref_ids) if ref_ids is not None else None,
        "tag": set(vocabulary.tags) if vocabulary else None,
        "actor": set(vocabulary.actors) if vocabulary else None,
        "finding": {r.id for r in collections["findings"]} if collections["findings"] is not None else None,
        "figure": {r.id for r in collections["figures"]} if collections["figures"] is not None else None,
        "juncture": {r.id for r in collections["junctures"]} if collections["junctures"] is not None else None,
    }

    def must_exist(kind, rid, field_name, value, what, at):
        if known[what] is not None and value not in known[what]:
            add(kind, rid, field_name, f"refers to {unknown(what, value, known[what])}", at)

    study = values.get("study")
    if study is not None:
        must_exist("study", "study", "reference_id", study.reference_id, "reference", ("reference_id",))
    for f in collections["findings"] or []:
        if f.juncture is not None:
            must_exist("findings", f.id, "juncture", f.juncture, "juncture", ("juncture",))
        for i, t in enumerate(f.tags):
            must_exist("findings", f.id, "tags", t, "tag", ("tags", i))
        for i, fig in enumerate(f.figures):
            must_exist("findings", f.id, "figures", fig, "figure", ("figures", i))
        for i, c in enumerate(f.sources):
            must_exist("findings", f.id, "sources.ref", c.ref, "reference", ("sources", i, "ref"))
    for r in collections["recommendations"] or []:
        must_exist("recommendations", r.id, "actor", r.actor, "actor", ("actor",))
        for i, partner in enumerate(r.partners):
            must_exist("recommendations", r.id, "partners", partner, "actor", ("partners", i))
        for i, fid in enumerate(r.rests_on):
            must_exist("recommendations", r.id, "rests_on", fid, "finding", ("rests_on", i))
        for i, fig in enumerate(r.figures):
            must_exist("recommendations", r.id, "figures", fig, "figure", ("figures", i))
    for fig in collections["figures"] or []:
        must_exist("figures", fig.id, "source", fig.source, "reference", ())
        for t in fig.tag_list:
            must_exist("figures", fig.id, "tags", t, "tag", ())
    if junctures is not None:
        missing_levels = set(range(5)) - set(junctures.scale)
        if missing_levels:
            add("junctures", None, "scale", f"must define every level 0-4; missing {sorted(missing_levels)}")
        _check_dimensions(junctures, add)

    if "structure" in values:
        _check_locators(values, add)
    _check_spanish(values, add)
    return problems


def _check_dimensions(junctures, add) -> None:
    """Each juncture rates exactly the dimensions junctures.yaml declares; at most one is the outcome."""
    declared = [d.id for d in junctures.dimensions]
    for d in sorted({d for d in declared if declared.count(d) > 1}):
        add("junctures", None, "dimensions", f"dimension '{d}' is declared twice")
    outcomes = [d.id for d in junctures.dimensions if d.outcome]
    if len(outcomes) > 1:
        add("junctures", None, "dimensions", f"only one dimension can be the outcome; found {', '.join(outcomes)}")
    for j in junctures.junctures:
        missing = [d for d in declared if d not in j.ratings]
        undeclared = sorted(set(j.ratings) - set(declared))
        if missing:
            add("junctures", j.id, "ratings", f"has no rating for {', '.join(missing)}; every declared dimension needs one")
        if undeclared:
            add("junctures", j.id, "ratings", f"rates undeclared dimensions {', '.join(undeclared)}; declared: {', '.join(declared)}")


def _check_locators(values: dict[str, Any], add) -> None:
    chapters = {c.id: c for c in values["structure"].chapters}
    for kind, rid, _field, loc, _anchor in sourced_records(values):
        chapter = chapters.get(loc.chapter)
        if chapter is None:
            add(kind, rid, "locator.chapter", f"chapter '{loc.chapter}' is not in structure.yaml{did_you_mean(loc.chapter, chapters)}")
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


def _check_spanish(values: dict[str, Any], add) -> None:
    junctures = values.get("junctures")
    for kind, fields in SPANISH_REQUIRED.items():
        records = (junctures.junctures if junctures else []) if kind == "junctures" else values.get(kind) or []
        for r in records:
            for name in fields:
                if getattr(r, name).es is None:
                    add(kind, r.id, f"{name}.es", "Spanish text is required (the Spanish brief prints this field)")
    vocab = values.get("vocabulary")
    for group in ("tags", "actors", "horizons") if vocab else ():
        for key, text in getattr(vocab, group).items():
            if text.es is None:
                add("vocabulary", key, f"{group}.{key}.es", "Spanish text is required")
    for level, text in (junctures.scale.items() if junctures else ()):
        if text.es is None:
            add("junctures", str(level), f"scale.{level}.es", "Spanish text is required")
    for d in junctures.dimensions if junctures else ():
        if d.label.es is None:
            add("junctures", d.id, "label.es", "Spanish text is required")
    if junctures and junctures.title.es is None:
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
