"""The DOCX after pandoc, made to read like the PDF: the page furniture (a masthead on the first page,
a running header and a "page X of Y" footer as Word fields), the title block in the PDF's order,
headings that keep their Word heading style (for navigation and accessibility) but take the look
of a brand style, table header rows like brief.css's, and alt text where pandoc left a data URI."""

from __future__ import annotations

import copy
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .brand import Brand
from .ooxml import element, props, put, shading

HEADING = re.compile(r"^Heading[1-9]$")
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# brief.css sets the reference list in two columns, 16 pt apart.
COLUMNS = {"Bibliography": (2, 16)}
LOGO_HEIGHT = {"Masthead": 18, "Header": 11}  # points: brief.css .masthead-bar .logo, and a smaller running mark
# Picture ids in headers start high so they never repeat one in the body (Word repairs duplicates).
FURNITURE_IDS = 9000


@dataclass(frozen=True)
class Furniture:
    """What the header and footer say, in the brief's language."""

    series: str
    evidence: str
    running_title: str
    page: str  # "Page"
    of: str  # "of"
    logo_png: bytes | None
    logo_alt: str


def _style_id(paragraph) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _title_block(body) -> None:
    """The kicker above the title, as in the PDF; no author line (the series is in the masthead and
    stays in the core properties)."""
    paragraphs = body.findall(qn("w:p"))
    by_style = {}
    for p in paragraphs:
        by_style.setdefault(_style_id(p), p)
    if "Title" in by_style and "Kicker" in by_style:
        by_style["Title"].addprevious(by_style["Kicker"])
    for p in paragraphs:
        if _style_id(p) == "Author":
            body.remove(p)


def _apply_look(paragraph, style) -> None:
    """The style's own paragraph and run properties as direct formatting: the paragraph keeps its
    heading style and outline level, and looks like `style`."""
    look_ppr, look_rpr = style.element.find(qn("w:pPr")), style.element.find(qn("w:rPr"))
    ppr = props(paragraph, "w:pPr")
    for child in look_ppr if look_ppr is not None else []:
        if child.tag not in (qn("w:pStyle"), qn("w:outlineLvl")):
            put(ppr, copy.deepcopy(child))
    for run in paragraph.iter(qn("w:r")):
        rpr = props(run, "w:rPr")
        for child in look_rpr if look_rpr is not None else []:
            put(rpr, copy.deepcopy(child))


def _heading_looks(doc, looks: list[str | None]) -> None:
    """`looks[k]` is the look of the k-th heading (from the HTML's data-custom-style on a heading)."""
    headings = [p for p in doc.element.body.iter(qn("w:p")) if HEADING.match(_style_id(p) or "")]
    if len(headings) != len(looks):
        raise ValueError(f"pandoc wrote {len(headings)} headings for {len(looks)} in the HTML")
    for paragraph, look in zip(headings, looks, strict=True):
        if look and look in doc.styles:  # a restyled reference document may lack it: then a plain heading
            _apply_look(paragraph, doc.styles[look])


def _tables(doc, brand: Brand) -> None:
    """Header rows as brief.css draws them: white text on the primary colour."""
    for row in doc.element.body.iter(qn("w:tr")):
        if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            continue
        for cell in row.iter(qn("w:tc")):
            put(props(cell, "w:tcPr"), shading(brand.colors.primary))
            for run in cell.iter(qn("w:r")):
                rpr = props(run, "w:rPr")
                put(rpr, element("w:b"))
                put(rpr, element("w:color", val="FFFFFF"))


def _alt_text(doc) -> None:
    """pandoc writes the image source (here a data URI) as the picture's own description; use the alt text."""
    for inline in doc.element.body.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
        alt = inline.find(f"{{{WP}}}docPr").get("descr", "")
        for nv in inline.iter(f"{{{PIC}}}cNvPr"):
            nv.set("descr", alt)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) the client computes; `shown` until it does."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", shown), ("end", None)):
        run = paragraph.add_run()._r
        if kind == "instr":
            run.append(element("w:instrText", **{"xml:space": "preserve"}))
            run[-1].text = f" {text} "
        elif kind == "result":
            run.append(element("w:t"))
            run[-1].text = text
        else:
            run.append(element("w:fldChar", fldCharType=kind))


def _logo(paragraph, furniture: Furniture, height: float, shape_id: int) -> None:
    if not furniture.logo_png:
        return
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(furniture.logo_png), height=Pt(height))
    doc_pr = run._r.find(f".//{{{WP}}}docPr")
    doc_pr.set("id", str(shape_id))
    doc_pr.set("descr", furniture.logo_alt)
    for nv in run._r.iter(f"{{{PIC}}}cNvPr"):
        nv.set("id", str(shape_id))
        nv.set("descr", furniture.logo_alt)
    paragraph.add_run("  ")


def _tabbed(part, style: str, width):
    """The part's one paragraph in `style`, with a right tab at the text's right edge."""
    paragraph = part.paragraphs[0]
    paragraph.style = style
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    return paragraph


def _header(part, style: str, width, furniture: Furniture, shape_id: int, accent: str | None) -> None:
    """Logo and series name on the left, the evidence date at the right."""
    paragraph = _tabbed(part, style, width)
    _logo(paragraph, furniture, LOGO_HEIGHT[style], shape_id)
    paragraph.add_run(f"{furniture.series}\t")
    run = paragraph.add_run(furniture.evidence)
    if accent:
        run.font.color.rgb = RGBColor.from_string(accent.lstrip("#").upper())


def _footer(part, width, furniture: Furniture) -> None:
    """The running title on the left, "Page X of Y" at the right."""
    paragraph = _tabbed(part, "Footer", width)
    paragraph.add_run(f"{furniture.running_title}\t{furniture.page} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {furniture.of} ")
    _field(paragraph, "NUMPAGES", "1")


def _furniture(doc, brand: Brand, furniture: Furniture) -> None:
    """First page: the masthead (logo, series, evidence date over a rule). Later pages: a running
    header with the same three. Every page: the running title and "page X of Y"."""
    section = doc.sections[-1]
    section.different_first_page_header_footer = True
    width = section.page_width - section.left_margin - section.right_margin
    for part in (section.first_page_header, section.header, section.footer, section.first_page_footer):
        part.is_linked_to_previous = False
    _header(section.first_page_header, "Masthead", width, furniture, FURNITURE_IDS, brand.colors.accent)
    _header(section.header, "Header", width, furniture, FURNITURE_IDS + 1, None)
    for footer in (section.footer, section.first_page_footer):
        _footer(footer, width, furniture)


def _columns(body, style_id: str, count: int, gap: float) -> None:
    """The run of paragraphs in `style_id` as a section of its own, set in columns: Word's only way.
    The first section keeps the page furniture (and the first-page variant); later ones inherit it."""
    paragraphs = [p for p in body.findall(qn("w:p")) if _style_id(p) == style_id]
    if not paragraphs:
        return
    final = body.find(qn("w:sectPr"))
    for old in final.findall(qn("w:footnotePr")):  # pandoc restarts notes per section; there are several now
        final.remove(old)
    before = paragraphs[0].getprevious()
    if before is None or before.tag != qn("w:p"):
        before = element("w:p")
        paragraphs[0].addprevious(before)
    put(props(before, "w:pPr"), copy.deepcopy(final))
    inherited = copy.deepcopy(final)
    for old in inherited.findall(qn("w:headerReference")) + inherited.findall(qn("w:footerReference")) + inherited.findall(qn("w:titlePg")):
        inherited.remove(old)
    put(inherited, element("w:type", val="continuous"))
    columns = copy.deepcopy(inherited)
    put(columns, element("w:cols", num=str(count), space=str(round(gap * 20))))
    put(props(paragraphs[-1], "w:pPr"), columns)
    body.replace(final, inherited)


def lay_out(docx: bytes, brand: Brand, furniture: Furniture, looks: list[str | None]) -> bytes:
    doc = Document(io.BytesIO(docx))
    body = doc.element.body
    _title_block(body)
    _heading_looks(doc, looks)
    _tables(doc, brand)
    _alt_text(doc)
    _furniture(doc, brand, furniture)
    for style_id, (count, gap) in COLUMNS.items():
        _columns(body, style_id, count, gap)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def logo_png(brand: Brand, templates: Path) -> bytes | None:
    """The logo as PNG, which Word needs where a file has SVG: drawn by WeasyPrint with the brand
    fonts, rasterised by PDFium at three pixels per point, cropped to what is drawn."""
    if brand.logo is None:
        return None
    if brand.logo_mime == "image/png":
        return brand.logo.read_bytes()
    import pypdfium2 as pdfium

    from .pdf import render_pdf

    height = 48  # points
    page = (f'<!DOCTYPE html><html lang="en"><head><title>logo</title><style>{brand.font_faces()}'
            f"@page {{ size: {height * 8}pt {height}pt; margin: 0 }} body {{ margin: 0 }} img {{ height: {height}pt; display: block }}"
            f'</style></head><body><img src="{brand.logo_uri}" alt="{html.escape(brand.logo_alt)}"></body></html>')
    document = pdfium.PdfDocument(render_pdf(page, templates))
    try:
        image = document[0].render(scale=3, fill_color=(255, 255, 255, 0)).to_pil()
    finally:
        document.close()
    # Cropped to the drawing's width only: the logo's own margin above and below keeps its size
    # the PDF's (the masthead sets the logo box's height, not the drawing's).
    left, _top, right, _bottom = image.getbbox()
    buffer = io.BytesIO()
    image.crop((left, 0, right, image.height)).save(buffer, format="PNG")
    return buffer.getvalue()
