"""Problems found in input files, collected so that every one is reported in a single run."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input: where it is, and what was expected versus found."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = []
        if self.record:
            parts.append(f"record '{self.record}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        context = ", ".join(parts)
        return f"{where}: {context + ': ' if context else ''}{self.message}"


class InputError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        text = "\n".join([head, *(f"  - {p}" for p in self.problems)])
        # A message may quote what it found; never let an unencodable character stop it being printed.
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user would type it: relative to the working directory when possible."""
    for base in filter(None, (root, Path.cwd())):
        try:
            return str(Path(path).resolve().relative_to(Path(base).resolve()))
        except ValueError:
            continue
    return str(path)


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """" (did you mean 'x'?)" when a known id is close to `value` (a typo), else ''."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """The message for a reference to an id that does not exist: a suggestion, then every valid id."""
    known = sorted(known)
    return f"unknown {what} '{value}'{did_you_mean(value, known)}; known: {', '.join(known) or 'none'}"
