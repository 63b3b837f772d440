"""Check every anchor against the thesis text, and every figure's value against its anchor."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from policybrief.core.problems import InputError, Problem

from .loading import Content, load_content

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " "})
_MARKUP = [
    (re.compile(r"<sup>.*?</sup>", re.S), " "),  # footnote markers interrupt phrases
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])"), r"\1"),  # markdown backslash escapes
    (re.compile(r"\*+"), ""),
]


def normalise(text: str) -> str:
    """Fold the differences a PDF-to-Markdown conversion introduces: markup, quotes, dashes, spacing."""
    text = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    text = text.translate(_QUOTES)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([,.;:?!)])", r"\1", text)
    return text.strip().casefold()


def numbers_in(text: str) -> set[Decimal]:
    return {Decimal(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def verify(content: Content, source_path: Path) -> list[Problem]:
    """Every miss at once: anchors not found in the source, figure values absent from their anchors."""
    source = normalise(Path(source_path).read_text(encoding="utf-8"))
    problems = []
    for kind, record_id, field_name, _locator, anchor in content.sourced_records():
        if normalise(anchor) not in source:
            file, line = content.origins.get((kind, record_id), (kind, None))
            problems.append(Problem(file, line, record_id, field_name, f"anchor not found in the thesis text: \"{anchor}\""))
    for fig in content.figures:
        if fig.number not in numbers_in(fig.anchor):
            file, line = content.origins[("figures", fig.id)]
            problems.append(Problem(file, line, fig.id, "value", f"value {fig.value} does not appear in its anchor \"{fig.anchor}\""))
    return problems


def verify_or_raise(content: Content, source_path: Path) -> None:
    problems = verify(content, source_path)
    if problems:
        raise InputError(problems)


def verify_source(data: str, source: str) -> int:
    """`policybrief verify`: every anchor (and figure value) found in the thesis text."""
    source_path = Path(source)
    if not source_path.is_file():
        raise InputError([Problem(source, None, None, "source", "the thesis text does not exist; pass --source PATH")])
    content = load_content(data)
    verify_or_raise(content, source_path)
    count = sum(1 for _ in content.sourced_records())
    print(f"ok: all {count} anchors found in {source}; all {len(content.figures)} figure values appear in their anchors")
    return 0
