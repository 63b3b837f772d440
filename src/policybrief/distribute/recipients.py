"""The recipients file (data/distribution.csv): who gets which brief, in which formats."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from policybrief.core.problems import InputError, Problem, display_path
from policybrief.core.yamlio import read_text_strict
from policybrief.spec.specs import FORMATS

COLUMNS = ["name", "organisation", "email", "brief", "formats", "language"]
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Recipient:
    line: int
    name: str
    organisation: str
    email: str
    brief: str
    formats: tuple[str, ...]
    language: str


def read_rows(path: Path) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The rows as (line, {column: value}), with the problems a row can have on its own."""
    shown = display_path(path)
    text, problems = read_text_strict(Path(path), shown)
    if text is None:
        raise InputError(problems)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, None)
    if header != COLUMNS:
        raise InputError([Problem(shown, 1, None, None, f"header must be {','.join(COLUMNS)}; found {','.join(header or [])}")])
    rows = []
    line = 2
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not cells:
            continue
        record = cells[2] if len(cells) > 2 else None
        if len(cells) != len(COLUMNS):
            problems.append(Problem(shown, start, record, None, f"has {len(cells)} cells; expected {len(COLUMNS)}"))
            continue
        row = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        for name, value in row.items():
            if not value:
                problems.append(Problem(shown, start, record, name, "is empty"))
            elif any(ch in value for ch in "\r\n\t") or any(ord(ch) < 32 for ch in value):
                problems.append(Problem(shown, start, record, name, "contains a line break or control character"))
        if row["email"] and not EMAIL.match(row["email"]):
            problems.append(Problem(shown, start, record, "email", f"'{row['email']}' is not an e-mail address"))
        rows.append((start, row))
    return rows, problems


def load_recipients(path: Path, briefs: dict) -> list[Recipient]:
    """Every row checked; `briefs` maps brief id to its spec (for formats and language)."""
    shown = display_path(path)
    rows, problems = read_rows(path)
    recipients, seen = [], set()
    for start, row in rows:
        def bad(field: str | None, message: str, start=start, record=row["email"]) -> None:
            problems.append(Problem(shown, start, record, field, message))

        spec = briefs.get(row["brief"])
        if spec is None:
            bad("brief", f"unknown brief '{row['brief']}'; known: {', '.join(sorted(briefs))}")
            continue
        formats = tuple(f for f in row["formats"].split(";") if f)
        unknown = [f for f in formats if f not in FORMATS]
        unpublished = [f for f in formats if f in FORMATS and f not in spec.formats]
        if unknown:
            bad("formats", f"unknown format(s) {', '.join(unknown)}; use pdf, docx or html separated by ';'")
        if unpublished:
            bad("formats", f"brief '{spec.id}' is not published as {', '.join(unpublished)}")
        if row["language"] != spec.language:
            bad("language", f"'{row['language']}' but brief '{spec.id}' is in '{spec.language}'")
        key = (row["email"].lower(), row["brief"])
        if key in seen:
            bad("email", f"'{row['email']}' already receives '{row['brief']}'")
        seen.add(key)
        recipients.append(Recipient(start, row["name"], row["organisation"], row["email"], row["brief"], formats, row["language"]))
    if problems:
        raise InputError(problems)
    return recipients
