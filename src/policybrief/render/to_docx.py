"""HTML to DOCX through pandoc: the brief's own HTML is read into pandoc's AST, adjusted, and written
with the reference document's styles. Footnote spans become real Word footnotes."""

from __future__ import annotations

import json
from pathlib import Path

from . import pandoc_runner


def _is_footnote(node: dict) -> bool:
    return node.get("t") == "Span" and "fn" in node["c"][0][1]


def _walk(value):
    """Rewrite the AST in place: footnote spans to Notes, headings one level up (Title is level 0)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and _is_footnote(item):
                value[index] = {"t": "Note", "c": [{"t": "Para", "c": item["c"][1]}]}
            _walk(value[index])
    elif isinstance(value, dict):
        if value.get("t") == "Header":
            value["c"][0] = max(1, value["c"][0] - 1)
        if "c" in value:
            _walk(value["c"])


def _plain(inlines: list[dict]) -> str:
    return "".join(node.get("c", "") if node["t"] == "Str" else " " for node in inlines if node["t"] in ("Str", "Space", "SoftBreak"))


def _keywords_as_list(meta: dict) -> None:
    """HTML gives keywords as one string; Word's keywords property needs pandoc's list form."""
    keywords = meta.get("keywords")
    if keywords and keywords["t"] == "MetaInlines":
        words = [w.strip() for w in _plain(keywords["c"]).split(",") if w.strip()]
        meta["keywords"] = {"t": "MetaList", "c": [{"t": "MetaInlines", "c": [{"t": "Str", "c": w}]} for w in words]}


def html_to_docx(html: str, reference_docx: Path, source_date_epoch: int) -> bytes:
    ast = json.loads(pandoc_runner.run(["--from", "html", "--to", "json"], html.encode("utf-8"), "reading the brief's HTML"))
    _walk(ast["blocks"])
    _keywords_as_list(ast["meta"])
    return pandoc_runner.run(
        ["--from", "json", "--to", "docx", "--reference-doc", pandoc_runner.path_arg(reference_docx), "--output", "-"],
        json.dumps(ast).encode("utf-8"),
        "writing the DOCX",
        env_extra={"SOURCE_DATE_EPOCH": str(source_date_epoch)},
    )
