"""Plain text out of finished files (PDF, DOCX, HTML), for word counts and quality checks."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

WORD = re.compile(r"[\w’'-]+", re.UNICODE)
SECTION_IDS = {
    "bottom_line": "bottom-line", "key_figures": "key-figures", "junctures": "junctures", "question": "question",
    "findings": "findings", "recommendations": "recommendations", "chart": "chart", "hypotheses": "hypotheses",
    "method": "method", "references": "references", "about": "about", "caveat": "caveat",
}
# Parts of a brief's page that are apparatus rather than prose: left out of reading level and number checks.
APPARATUS = {"endnotes", "about", "references", "fn-ref", "num", "rec-meta", "masthead-bar", "chart", "rating", "verdict", "fn"}


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def pdf_text(path: Path) -> str:
    """Text in reading order as PDFium sees it (pdf.js's engine; 20-40x faster than pypdf here)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in document).replace("\r\n", "\n")
    finally:
        document.close()


def docx_text(path: Path) -> str:
    """Body, footnotes and core text of a DOCX, read straight from its XML parts."""
    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in ("word/document.xml", "word/footnotes.xml"):
            if name in archive.namelist():
                xml = archive.read(name).decode("utf-8")
                xml = re.sub(r"</w:p>", "\n", xml)
                xml = re.sub(r"<w:tab/>", "\t", xml)
                parts.append(re.sub(r"<[^>]+>", "", xml))
    from html import unescape

    return unescape("\n".join(parts))


class _Text(HTMLParser):
    SKIP = {"style", "script", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag in ("p", "li", "h1", "h2", "h3", "h4", "tr", "div", "section", "article"):
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.depth:
            self.chunks.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return "".join(parser.chunks)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def extract(path: Path) -> str:
    suffix = Path(path).suffix
    return {".pdf": pdf_text, ".docx": docx_text, ".html": html_text}[suffix](path)


@dataclass(frozen=True)
class Block:
    """One block of printed text (paragraph, list item, heading, cell, caption)."""

    tag: str
    record: str | None
    field: str | None
    text: str
    apparatus: bool = False  # notes, citations, meta lines: not prose


class BriefHtml(HTMLParser):
    """Collects prose (apparatus left out), record ids, section texts, notes and recommendations."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str], str | None]] = []
        self.prose: list[str] = []
        self.full: list[str] = []
        self.records: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self.notes: list[list[str]] = []
        self.first_section: str | None = None
        self.actors: list[str] = []
        self.actions: list[str] = []
        self.lang: str | None = None
        self.title = False
        self.images_without_alt = 0
        self.headings: list[int] = []
        # Printed text in reading order, block by block, with the record and field it prints
        # (data-record / data-field): what the fact-check sheet lists and the fidelity gates read.
        self.blocks: list[Block] = []
        self._marks: list[tuple[str | None, str | None]] = []

    VOID = {"meta", "link", "br", "img", "col", "hr", "input"}
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "figcaption", "td", "th", "dd", "dt"}

    def _mark(self) -> tuple[str | None, str | None]:
        record = next((r for r, _f in reversed(self._marks) if r), None)
        field = next((f for _r, f in reversed(self._marks) if f), None)
        return record, field

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._accessibility(tag, attrs)
        if tag == "br":
            self.prose.append("\n")
            self.full.append("\n")
        classes = set((attrs.get("class") or "").split())
        if attrs.get("data-record"):
            self.records.append(attrs["data-record"])
        if (tag in ("section", "div") and attrs.get("id") in SECTION_IDS.values()) or ("caveat" in classes and tag == "div"):
            section = "caveat" if "caveat" in classes else attrs["id"]
            self.sections.setdefault(section, [])
            self.first_section = self.first_section or section
        if tag == "li" and attrs.get("id", "").startswith("fn-"):
            self.notes.append([])
        if "actor" in classes:
            self.actors.append("")
        if "action" in classes:
            self.actions.append("")
        if tag not in self.VOID:
            self.stack.append((tag, classes, attrs.get("id")))
            self._marks.append((attrs.get("data-record"), attrs.get("data-field")))
            if tag in self.BLOCKS:
                record, field = self._mark()
                inherited = set().union(*(c for _t, c, _i in self.stack))
                self.blocks.append(Block(tag, record, field, "", bool(inherited & APPARATUS)))

    def _accessibility(self, tag: str, attrs: dict) -> None:
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title":
            self.title = True
        elif tag == "img" and not (attrs.get("alt") or "").strip():
            self.images_without_alt += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        while self.stack:
            self._marks.pop()
            if self.stack.pop()[0] == tag:
                break
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "tr", "td", "th"):
            self.prose.append("\n")
            self.full.append("\n")

    def handle_data(self, data):
        classes = set().union(*(c for _t, c, _i in self.stack)) if self.stack else set()
        tags = {t for t, _c, _i in self.stack}
        if tags & {"style", "script", "title", "head"}:
            return
        self.full.append(data)
        if not classes & APPARATUS and not tags & {"caption", "figcaption"}:
            self.prose.append(data)
        for _tag, cls, ident in self.stack:
            if ident in self.sections:
                self.sections[ident].append(data)
            if "caveat" in cls:
                self.sections.setdefault("caveat", []).append(data)
        if "endnotes" in classes and self.notes and "back" not in classes:
            self.notes[-1].append(data)
        if "actor" in classes and self.actors:
            self.actors[-1] += data
        if "action" in classes and self.actions:
            self.actions[-1] += data
        if self.blocks and tags & self.BLOCKS and not tags & {"style", "script"}:
            block = self.blocks[-1]
            record, field = self._mark()
            # A field inside the block (a span) names the block's field when the block has none.
            self.blocks[-1] = Block(block.tag, block.record or record, block.field or field, block.text + data, block.apparatus)

    def field_texts(self) -> dict[tuple[str | None, str], str]:
        """(record, field) -> the text printed for it."""
        texts: dict[tuple[str | None, str], str] = {}
        for block in self.blocks:
            if block.field:
                key = (block.record, block.field)
                texts[key] = squash(texts.get(key, "") + " " + block.text)
        return texts


def parse_brief_html(path: Path) -> BriefHtml:
    parser = BriefHtml()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8") if name in archive.namelist() else ""


def pdf_page_images(path: Path, width: int, pages: int | None = None) -> list[bytes]:
    """The first `pages` pages (all when None) as PNG, `width` pixels wide (PDFium; no poppler needed)."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        images = []
        for index in range(len(document) if pages is None else min(pages, len(document))):
            page = document[index]
            buffer = io.BytesIO()
            # zlib's default level: as small as `optimize=True` for these pages, at a quarter of the time.
            page.render(scale=width / page.get_width()).to_pil().save(buffer, format="PNG")
            images.append(buffer.getvalue())
        return images
    finally:
        document.close()
