"""Readers for the two data files that are not YAML: figures.csv (every cell as text, with the
line it starts on) and references.json (CSL JSON, bounded in depth, every error at its line)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from pydantic import ValidationError

from policybrief.core.problems import Problem
from policybrief.core.validation import explain
from policybrief.core.yamlio import MAX_DEPTH, read_text_strict

from .csl import Reference
from .figure import Figure


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

