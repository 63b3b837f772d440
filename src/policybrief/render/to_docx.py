"""HTML to DOCX through pandoc: the brief's own HTML is read into pandoc's AST, adjusted, written with
the reference document's styles, then laid out like the PDF (docx_layout), given its fonts
(docx_package) and checked as a package before it is returned. Footnote spans become real Word
footnotes."""

from __future__ import annotations

import json
from pathlib import Path

from . import pandoc_runner
from .brand import Brand
from .docx_layout import Furniture, lay_out
from .docx_package import embed_fonts, package_problems, read_parts, word_font, write_parts


class DocxError(RuntimeError):
    pass


def _is_footnote(node: dict) -> bool:
    return node.get("t") == "Span" and "fn" in node["c"][0][1]


def _walk(value, looks: list[str | None]) -> None:
    """Rewrite the AST in place: footnote spans to Notes, headings one level up (Title is level 0).
    Collects, per heading in document order, the Word style a `data-custom-style` names for its look."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and _is_footnote(item):
                value[index] = {"t": "Note", "c": [{"t": "Para", "c": item["c"][1]}]}
            _walk(value[index], looks)
    elif isinstance(value, dict):
        if value.get("t") == "Header":
            value["c"][0] = max(1, value["c"][0] - 1)
            attributes = value["c"][1][2]
            looks.append(dict(attributes).get("custom-style"))
            # pandoc would style the paragraphs after the heading with it; the look is applied later.
            attributes[:] = [kv for kv in attributes if kv[0] != "custom-style"]
        if "c" in value:
            _walk(value["c"], looks)


def _plain(inlines: list[dict]) -> str:
    return "".join(node.get("c", "") if node["t"] == "Str" else " " for node in inlines if node["t"] in ("Str", "Space", "SoftBreak"))


def _keywords_as_list(meta: dict) -> None:
    """HTML gives keywords as one string; Word's keywords property needs pandoc's list form."""
    keywords = meta.get("keywords")
    if keywords and keywords["t"] == "MetaInlines":
        words = [w.strip() for w in _plain(keywords["c"]).split(",") if w.strip()]
        meta["keywords"] = {"t": "MetaList", "c": [{"t": "MetaInlines", "c": [{"t": "Str", "c": w}]} for w in words]}


def _fallback(brand: Brand, family: str) -> str | None:
    """The first named (not generic) font of the family's declared fallback chain."""
    return next((name for name in brand.fonts.fallbacks.get(family, ()) if name not in ("serif", "sans-serif")), None)


def html_to_docx(html: str, reference_docx: Path, source_date_epoch: int, brand: Brand, furniture: Furniture) -> bytes:
    ast = json.loads(pandoc_runner.run(["--from", "html", "--to", "json"], html.encode("utf-8"), "reading the brief's HTML"))
    looks: list[str | None] = []
    _walk(ast["blocks"], looks)
    _keywords_as_list(ast["meta"])
    plain = pandoc_runner.run(
        ["--from", "json", "--to", "docx", "--reference-doc", pandoc_runner.path_arg(reference_docx), "--output", "-"],
        json.dumps(ast).encode("utf-8"),
        "writing the DOCX",
        env_extra={"SOURCE_DATE_EPOCH": str(source_date_epoch)},
    )
    parts = read_parts(lay_out(plain, brand, furniture, looks))
    refused = embed_fonts(parts, [(word_font(f.path), _fallback(brand, f.family)) for f in brand.fonts.files])
    for family in refused:
        print(f"note: the licence of {family} does not allow embedding; the DOCX names its fallback instead")
    problems = package_problems(parts)
    if problems:
        raise DocxError("the DOCX package is inconsistent: " + "; ".join(problems))
    return write_parts(parts)
