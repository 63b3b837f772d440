"""Generate the DOCX reference document (styles and page set-up) from pandoc's default and the brand.

Every size comes from the brand's type scale and every colour from its roles, so the Word styles
and brief.css print the same type. Template editors who prefer Word can instead restyle the
generated file in Word and point the config's `reference_docx` at it (see templates/README.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from . import pandoc_runner
from .brand import Brand, brand_of
from .docx_package import read_parts, word_font, write_parts
from .ooxml import borders, element, put, shading

# The PDF's page (brief.css @page: Letter, margins 0.65in 0.7in 0.7in); header and footer sit in the margins.
PAGE = {"width": 8.5, "height": 11, "top": 0.65, "bottom": 0.7, "side": 0.7, "header": 0.3, "footer": 0.3}
# Space above the first page's masthead, so that it starts where the PDF's does (at the top margin).
MASTHEAD_DROP = (PAGE["top"] - PAGE["header"]) * 72


@dataclass(frozen=True)
class Look:
    """One Word style as brief.css draws the element: sizes in points, spacing in em of the size."""

    font: str | None = "body"  # "body", "heading", or one at a weight ("heading-600"); None: inherited
    size: str | None = "base"  # a step of the brand's type scale, "base", or None: inherited
    colour: str | None = "text"
    bold: bool | None = None
    italic: bool | None = False
    caps: bool = False
    tracking: float = 0.0  # letter-spacing, em
    before: float = 0.0
    after: float = 0.35
    line: float | None = None  # line height as a multiple of the size; None: the brand's base line height
    box: str | None = None  # colour role of a left bar on a tinted box
    rule_above: str | None = None
    rule_below: str | None = None
    indent: float = 0.0  # hanging indent, em
    keep_next: bool = False
    # Exactly the CSS line height, as in the PDF (a raised footnote number or a fallback font with a
    # taller line does not add to it); "at least" where a line holds an image or a larger run.
    exact: bool = True


# brief.css, element by element.
PARAGRAPHS = {
    "Normal": Look(),
    "Body Text": Look(),
    "First Paragraph": Look(),
    "Compact": Look(size="small", after=0, line=1.25, exact=False),
    "Title": Look(font="heading", size="title", colour="primary", bold=True, before=0.05, after=0.15, line=1.2, exact=False),
    "Subtitle": Look(font="heading", size="subtitle", colour="muted", bold=False, after=0.5, line=1.3, exact=False),
    "Heading 1": Look(font="heading", size="section", colour="primary", bold=True, before=0.9, after=0.35, line=1.2,
                      rule_below="rule", keep_next=True),
    "Heading 2": Look(font="heading-600", size="subsection", colour="primary", before=0.45, after=0.2, line=1.2, keep_next=True),
    "Heading 3": Look(size="item", colour="text", bold=True, before=0.2, after=0.1, line=1.2, keep_next=True),
    "Heading 4": Look(bold=True, before=0.3, after=0.1, line=1.2, keep_next=True),
    "Kicker": Look(size="label", colour="accent", bold=True, caps=True, tracking=0.06, after=0),
    "Audience": Look(size="audience", before=0.4, after=0.9, rule_above="rule", rule_below="rule"),
    "Bottom Line": Look(size="lead", line=1.38, after=0, box="accent"),
    "Bottom Line Heading": Look(colour="accent", bold=True, caps=True, tracking=0.07, after=0.2, line=1.2, box="accent"),
    "Caveat": Look(after=0, box="primary"),
    "Actor": Look(size="caption", colour="accent", bold=True, caps=True, tracking=0.07, before=0.6, after=0.1, line=1.2,
                  keep_next=True),
    "Consideration": Look(size="label", line=1.3, after=0.2),
    "Recommendation Meta": Look(size="caption", colour="muted", after=0.3),
    "Source Note": Look(size="small", colour="muted", after=0.3),
    "About Heading": Look(size="label", colour="primary", bold=True, caps=True, tracking=0.07, before=1.0, after=0.2,
                          rule_above="rule", keep_next=True),
    "Captioned Figure": Look(before=0.3, after=0, keep_next=True, exact=False),
    "Figure": Look(before=0.3, after=0.6, exact=False),
    "Image Caption": Look(size="caption", colour="muted", after=0.6),
    "Table Caption": Look(size="caption", colour="muted", after=0.35, keep_next=True),
    "Bibliography": Look(size="reference", line=1.22, after=0.2, indent=1.5),
    "Footnote Text": Look(size="note", line=1.3, after=0),
    "Header": Look(size="caption", colour="muted", after=0, exact=False),
    "Footer": Look(size="caption", colour="muted", after=0),
    "Masthead": Look(size="caption", colour="primary", bold=True, caps=True, tracking=0.08, after=0.8, line=1.0, exact=False,
                     rule_below="primary"),
}
CHARACTERS = {
    # Word has no card grid: the key figures are table rows, the values at subtitle size (the cards' 17 pt
    # would make each row as tall as a card).
    "Figure Value": Look(font="heading", size="subtitle", colour="accent", bold=True),
    "Figure Unit": Look(font="body-600", colour="primary"),
    "Finding Number": Look(font=None, size=None, colour="accent", italic=None),
    "Verdict": Look(font="body", size="caption", colour="muted", bold=True, caps=True, tracking=0.05, italic=None),
    "Footnote Reference": Look(font=None, size=None, colour="accent", bold=True, italic=None),
    "Hyperlink": Look(font=None, size=None, colour="primary", italic=None),
}
BOX_PADDING = (8, 12, 6)
CELL_SIDE = 100  # twips: brief.css's 5 pt cell padding  # top, sides, bottom in points (brief.css .bottom-line)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


@cache
def _word_font(path: Path):
    return word_font(path)


def _face(brand: Brand, font: str) -> tuple[str, bool | None, float | None]:
    """Word's font name for a look's font, whether it is bold, and its own leading (None for a font
    the brand has no file for). Word knows four faces per family; another weight (Semibold) is a
    family of its own, named by its file (name ID 1), which is also how it is embedded."""
    role, _, weight = font.partition("-")
    family = brand.fonts.heading if role == "heading" else brand.fonts.body
    match = next((f for f in brand.fonts.files if f.family == family and f.weight == (weight or "400") and f.style == "normal"), None)
    leading = _word_font(match.path).leading if match else None
    if not weight:
        return family, None, leading
    return (_word_font(match.path).name, False, leading) if match else (family, int(weight) >= 600, None)


def _font(style, brand: Brand, look: Look) -> tuple[float, float | None]:
    name, weight_bold, leading = _face(brand, look.font or "body")
    size = brand.base_size if look.size in ("base", None) else brand.sizes[look.size]
    font = style.font
    if look.font:
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), name)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme_attr), None)
    if look.size:
        font.size = Pt(round(2 * size) / 2)  # Word sizes fonts in half points: 8.8 pt prints as 9
    if look.colour:
        font.color.rgb = _rgb(getattr(brand.colors, look.colour))
    bold = look.bold if look.bold is not None else weight_bold
    if bold is not None:
        font.bold = bold
    if look.italic is not None:
        font.italic = look.italic
    font.all_caps = look.caps or None
    if look.tracking:
        put(style.element.rPr, element("w:spacing", val=str(round(look.tracking * size * 20))))
    else:  # pandoc's Subtitle is letter-spaced; brief.css's is not
        for old in style.element.rPr.findall(qn("w:spacing")):
            style.element.rPr.remove(old)
    return size, leading  # spacing follows the CSS size, so lines fall where the PDF's do


def _paragraph(style, brand: Brand, look: Look) -> None:
    size, leading = _font(style, brand, look)
    line = (look.line or brand.line_height) * size
    # Word's "at least" leading never goes below the font's own (Source Serif's is 1.37 em, more than
    # the CSS 1.2 of headings): take the excess from the space above (then below), so what follows
    # stays in place.
    excess = 0.0 if look.exact else max(0.0, (leading or 0) * size - line)
    # CSS collapses a margin above with the one below the paragraph before (the larger wins); Word
    # adds them. Space above is therefore what it adds to a body paragraph's space below.
    collapsed = PARAGRAPHS["Normal"].after * brand.base_size
    fmt = style.paragraph_format
    before = max(0.0, look.before * size - collapsed)
    after = look.after * size
    fmt.space_before = Pt(round(max(0.0, before - excess), 1))
    fmt.space_after = Pt(round(max(0.0, after - max(0.0, excess - before)), 1))  # what the space above could not take
    fmt.line_spacing = Pt(round(line, 1))
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if look.exact else WD_LINE_SPACING.AT_LEAST
    fmt.alignment = None
    fmt.keep_with_next = look.keep_next or None
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:numPr")) + ppr.findall(qn("w:contextualSpacing")):  # pandoc's Subtitle, Title
        ppr.remove(old)
    c = brand.colors
    if look.box:
        top, side, bottom = BOX_PADDING
        # The tint-coloured borders pad the box: Word fills the shading out to the borders.
        put(ppr, borders("w:pBdr", top=(c.tint, 4, top), left=(getattr(c, look.box), 30, side),
                         bottom=(c.tint, 4, bottom), right=(c.tint, 4, side)))
        put(ppr, shading(c.tint))
        put(ppr, element("w:ind", left=str(round((side + 4) * 20)), right=str(round(side * 20))))
    elif look.rule_above or look.rule_below:
        sides = {}
        if look.rule_above:
            sides["top"] = (getattr(c, look.rule_above), 8 if look.rule_above == "rule" else 18, 4)
        if look.rule_below:
            sides["bottom"] = (getattr(c, look.rule_below), 9 if look.rule_below == "rule" else 18, 2 if look.rule_below == "rule" else 5)
        put(ppr, borders("w:pBdr", **sides))
    if look.indent:
        hang = str(round(look.indent * size * 20))
        put(ppr, element("w:ind", left=hang, hanging=hang))


def _style(doc, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = doc.styles["Normal"]
        return style


def _table_style(doc, brand: Brand) -> None:
    """Pandoc's "Table" style: a tinted, bold header row and thin rules between rows (the briefs' own
    tables get the PDF's dark header row as direct formatting, see docx_layout), 3 pt × 5 pt padding."""
    c = brand.colors
    style = doc.styles["Table"].element
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    tbl_pr = style.find(qn("w:tblPr"))
    put(tbl_pr, borders("w:tblBorders", bottom=(c.rule, 4, 0), insideH=(c.rule, 4, 0)))
    margins = element("w:tblCellMar")
    for side, width in (("top", 60), ("left", CELL_SIDE), ("bottom", 60), ("right", CELL_SIDE)):
        margins.append(element(f"w:{side}", w=str(width), type="dxa"))
    put(tbl_pr, margins)
    # Word measures a table's indent to the text in its first cell: indent by the cell's side margin
    # and the table's edge sits on the page margin, as in the PDF.
    put(tbl_pr, element("w:tblInd", w=str(CELL_SIDE), type="dxa"))
    first = element("w:tblStylePr", type="firstRow")
    r_pr = element("w:rPr")
    r_pr.append(element("w:b"))
    tc_pr = element("w:tcPr")
    tc_pr.append(shading(c.tint))
    tc_pr.append(element("w:vAlign", val="bottom"))
    first.append(r_pr)
    first.append(tc_pr)
    style.append(first)


def _defaults(doc, brand: Brand) -> None:
    """Document defaults in the body font, so nothing falls back to the theme's (Aptos), and with pair
    kerning, which browsers and WeasyPrint apply and Word and LibreOffice apply only when asked:
    without it every line runs about 0.3 % longer than in the PDF."""
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts"))
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), brand.fonts.body)
    put(r_pr, element("w:kern", val="2"))  # kern from 1 pt up: all text


def build_reference_docx(brand: Brand, out: Path) -> None:
    default = pandoc_runner.run(["--print-default-data-file", "reference.docx"], b"", "reading pandoc's default reference document")
    doc = Document(io.BytesIO(default))
    _defaults(doc, brand)
    for name, look in PARAGRAPHS.items():
        _paragraph(_style(doc, name), brand, look)
    doc.styles["Masthead"].paragraph_format.space_before = Pt(MASTHEAD_DROP)
    for name, look in CHARACTERS.items():
        style = _style(doc, name, WD_STYLE_TYPE.CHARACTER)
        _font(style, brand, look)  # character styles: the font only
    _table_style(doc, brand)
    for section in doc.sections:
        section.page_width, section.page_height = Inches(PAGE["width"]), Inches(PAGE["height"])
        section.left_margin = section.right_margin = Inches(PAGE["side"])
        section.top_margin, section.bottom_margin = Inches(PAGE["top"]), Inches(PAGE["bottom"])
        section.header_distance, section.footer_distance = Inches(PAGE["header"]), Inches(PAGE["footer"])
    buffer = io.BytesIO()
    doc.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(write_parts(read_parts(buffer.getvalue())))


def write_reference_docx(templates: str, out: str, brand: str | None = None) -> int:
    """`policybrief reference-docx`: the Word styles the DOCX briefs use, from the brand."""
    build_reference_docx(brand_of(Path(templates), brand), Path(out))
    print(f"ok: {out}")
    return 0
