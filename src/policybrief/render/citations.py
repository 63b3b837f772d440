"""Citations through pandoc citeproc (Chicago notes): one pandoc run per brief gives every note, in order.

The notes come back as pandoc's AST and are rendered to HTML here, escaping every text node, so
reference data can never inject markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from . import pandoc_runner
from .i18n import CSL_LOCALES

SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


@dataclass(frozen=True)
class Cite:
    """One citation: a reference id, an optional page locator and optional text before it."""

    ref: str
    locator: str | None = None
    prefix: str | None = None

    def markdown(self) -> str:
        prefix = re.sub(r"([^\w\s])", r"\\\1", self.prefix) + " " if self.prefix else ""
        return prefix + f"@{self.ref}" + (f", {self.locator}" if self.locator else "")


@dataclass(frozen=True)
class Notes:
    notes: list[str]  # HTML of each note, in citation order
    bibliography: list[str]  # HTML of each reference-list entry (empty unless asked for)


def inline_html(nodes: list[dict]) -> str:
    """Render pandoc inline nodes to HTML; text is escaped, only http(s) links survive."""
    out = []
    for node in nodes:
        kind, value = node["t"], node.get("c")
        if kind == "Str":
            out.append(html.escape(value, quote=False))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("<br>")
        elif kind in ("Emph", "Strong", "Superscript", "Subscript", "SmallCaps", "Underline", "Strikeout"):
            tag = {"Emph": "em", "Strong": "strong", "Superscript": "sup", "Subscript": "sub", "Underline": "u", "Strikeout": "s"}.get(kind)
            inner = inline_html(value)
            out.append(f'<span class="smallcaps">{inner}</span>' if kind == "SmallCaps" else f"<{tag}>{inner}</{tag}>")
        elif kind == "Quoted":
            quote_type, inner = value
            left, right = ("\u201c", "\u201d") if quote_type["t"] == "DoubleQuote" else ("\u2018", "\u2019")
            out.append(left + inline_html(inner) + right)
        elif kind == "Link":
            _attr, inner, (url, _title) = value
            text = inline_html(inner)
            out.append(f'<a href="{html.escape(url)}">{text}</a>' if SAFE_URL.match(url) else text)
        elif kind == "Span" or kind == "Cite":
            out.append(inline_html(value[1]))
        elif kind == "Code":
            out.append(f"<code>{html.escape(value[1], quote=False)}</code>")
        elif kind == "Math":
            out.append(html.escape(value[1], quote=False))
        # RawInline, Note and anything unknown are dropped: they cannot come from citeproc output.
    return "".join(out)


def _blocks_html(blocks: list[dict]) -> str:
    return " ".join(inline_html(b["c"]) for b in blocks if b["t"] in ("Para", "Plain"))


def resolve(
    citations: list[list[Cite]],
    bibliography_file: Path,
    csl_file: Path,
    lang: str,
    with_bibliography: bool,
) -> Notes:
    """Format a list of notes (each a list of Cites) and, optionally, the full reference list."""
    paragraphs = [f"n{i}[{'; '.join(c.markdown() for c in cites)}]" for i, cites in enumerate(citations)]
    meta = ["---", f"lang: {CSL_LOCALES[lang]}", "suppress-bibliography: " + ("false" if with_bibliography else "true")]
    if with_bibliography:
        meta.append('nocite: "@*"')
    markdown = "\n".join([*meta, "---", ""]) + "\n\n".join(paragraphs) + "\n"
    document = pandoc_runner.to_json(
        markdown,
        ["--citeproc", "--bibliography", pandoc_runner.path_arg(bibliography_file), "--csl", pandoc_runner.path_arg(csl_file)],
        "formatting citations",
    )
    notes, bibliography = [], []
    for block in document["blocks"]:
        if block["t"] == "Para":
            for node in block["c"]:
                if node["t"] == "Cite":
                    note = next(n for n in node["c"][1] if n["t"] == "Note")
                    notes.append(_blocks_html(note["c"]))
        elif block["t"] == "Div" and block["c"][0][0] == "refs":
            for entry in block["c"][1]:
                if entry["t"] == "Div":
                    bibliography.append(_blocks_html(entry["c"][1]))
    if len(notes) != len(citations):
        raise pandoc_runner.PandocError(f"citeproc returned {len(notes)} notes for {len(citations)} citations")
    return Notes(notes, bibliography)
