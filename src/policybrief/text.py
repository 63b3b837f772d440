"""Plain text out of finished files (PDF, DOCX, HTML), for word counts and quality checks."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

WORD = re.compile(r"[\w’'-]+", re.UNICODE)


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
