"""Generate the DOCX reference document (styles only) from pandoc's default and the brand file.

Template editors who prefer Word can instead restyle the generated file in Word and point the
config's `reference_docx` at it (see templates/README.md).
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from policybrief.core.files import deterministic_zip

from . import pandoc_runner
from .brand import Brand, load_brand


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _font(style, name: str, size: float | None = None, colour: str | None = None, bold: bool | None = None, italic: bool | None = None):
    font = style.font
    font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    if size:
        font.size = Pt(size)
    if colour:
        font.color.rgb = _rgb(colour)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _spacing(style, before: float, after: float, line: float = 1.15) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), line


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        return style


def _shade(style, fill: str) -> None:
    ppr = style.element.get_or_add_pPr()
    shd = ppr.find(qn("w:shd"))
    if shd is None:
        shd = ppr.makeelement(qn("w:shd"), {})
        ppr.append(shd)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())


def _left_bar(style, colour: str) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    left = borders.makeelement(qn("w:left"), {qn("w:val"): "single", qn("w:sz"): "24", qn("w:space"): "8", qn("w:color"): colour.lstrip("#").upper()})
    borders.append(left)
    ppr.append(borders)


def _table_style(doc, header_fill: str, rule: str) -> None:
    """Pandoc's "Table" style: a tinted, bold header row (tinted rather than dark, because the
    paragraph style's text colour outranks a table style's in Word) and thin rules between rows."""
    style = doc.styles["Table"].element
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    tbl_pr = style.find(qn("w:tblPr"))
    borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
    for edge in ("bottom", "insideH"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0",
                                                             qn("w:color"): rule.lstrip("#").upper()}))
    tbl_pr.append(borders)
    first = style.makeelement(qn("w:tblStylePr"), {qn("w:type"): "firstRow"})
    r_pr = first.makeelement(qn("w:rPr"), {})
    r_pr.append(r_pr.makeelement(qn("w:b"), {}))
    tc_pr = first.makeelement(qn("w:tcPr"), {})
    tc_pr.append(tc_pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): header_fill.lstrip("#").upper()}))
    tc_pr.append(tc_pr.makeelement(qn("w:vAlign"), {qn("w:val"): "bottom"}))
    first.append(r_pr)
    first.append(tc_pr)
    style.append(first)


def build_reference_docx(brand: Brand, out: Path) -> None:
    default = pandoc_runner.run(["--print-default-data-file", "reference.docx"], b"", "reading pandoc's default reference document")
    doc = Document(io.BytesIO(default))
    c, body, heading = brand.colors, brand.fonts.body, brand.fonts.heading
    _font(doc.styles["Normal"], body, 10, c.text)
    for name in ("Body Text", "First Paragraph", "Compact"):
        style = _paragraph_style(doc, name)
        _font(style, body, 9 if name == "Compact" else 10, c.text)  # Compact: table cells
        _spacing(style, 0, 2 if name == "Compact" else 4)
    _font(doc.styles["Title"], heading, 22, c.primary, bold=True)
    _font(_paragraph_style(doc, "Subtitle"), heading, 12.5, c.muted, italic=False)
    sizes = {1: 13.5, 2: 11.5, 3: 10.5, 4: 10}
    for level, size in sizes.items():
        style = doc.styles[f"Heading {level}"]
        _font(style, heading if level <= 2 else body, size, c.primary, bold=True)
        _spacing(style, 10 if level == 1 else 6, 3, 1.0)
    specs = {
        "Kicker": {"font": body, "size": 9, "colour": c.accent, "bold": True},
        "Audience": {"font": body, "size": 10, "colour": c.text},
        "Meta": {"font": body, "size": 9, "colour": c.muted},
        "Bottom Line": {"font": body, "size": 11.5, "colour": c.text, "shade": c.tint, "bar": c.accent},
        "Recommendation Meta": {"font": body, "size": 9, "colour": c.muted},
        "Caveat": {"font": body, "size": 10.5, "colour": c.text, "shade": c.tint, "bar": c.primary},
        "Source Note": {"font": body, "size": 9, "colour": c.muted},
        "Image Caption": {"font": body, "size": 9, "colour": c.muted, "italic": True},
        "Table Caption": {"font": body, "size": 9, "colour": c.muted, "italic": True},
        "Bibliography": {"font": body, "size": 8, "colour": c.text},
        "Footnote Text": {"font": body, "size": 8, "colour": c.text},
    }
    for name, s in specs.items():
        style = _paragraph_style(doc, name)
        _font(style, s["font"], s["size"], s["colour"], s.get("bold"), s.get("italic"))
        if "shade" in s:
            _shade(style, s["shade"])
        if "bar" in s:
            _left_bar(style, s["bar"])
        if name == "Bibliography":
            _spacing(style, 0, 1, 1.0)
        else:
            _spacing(style, 2 if name == "Kicker" else 0, 4)
    for name in ("Hyperlink",):
        with contextlib.suppress(KeyError):
            doc.styles[name].font.color.rgb = _rgb(c.primary)
    _table_style(doc, c.tint, c.rule)
    for section in doc.sections:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        section.left_margin = section.right_margin = Inches(0.75)
        section.top_margin = section.bottom_margin = Inches(0.7)
    buffer = io.BytesIO()
    doc.save(buffer)
    _write_deterministic_zip(buffer.getvalue(), out)


def _write_deterministic_zip(data: bytes, out: Path) -> None:
    """Re-pack with fixed entry times and order, so the reference document is byte-identical run to run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(deterministic_zip([(name, source.read(name)) for name in names]))


def write_reference_docx(templates: str, out: str) -> int:
    """`policybrief reference-docx`: the Word styles the DOCX briefs use, from the brand."""
    build_reference_docx(load_brand(Path(templates)), Path(out))
    print(f"ok: {out}")
    return 0
