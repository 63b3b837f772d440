"""WordprocessingML properties set in schema order. Word reports a file as damaged when the children
of a properties element (w:pPr, w:rPr, w:tcPr) are out of the order ISO/IEC 29500-1 defines, so every
property is placed through `put`, never appended."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ORDER = {
    "w:pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"),
    "w:rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
              "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
              "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
    "w:tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark"),
    "w:sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
                 "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
                 "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
    "w:tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
                "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription"),
}


def element(tag: str, **attrs: str) -> OxmlElement:
    """`element("w:sz", val="20")`: attribute names are in the w: namespace unless they carry a prefix."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(name if ":" in name else f"w:{name}"), str(value))
    return el


def props(parent, tag: str):
    """The parent's properties element (w:pPr, w:rPr, w:tcPr), created as its first child if absent."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert(0, found)
    return found


def put(container, child):
    """Place `child` in `container` where the schema wants it, replacing an element of the same tag."""
    order = ORDER["w:" + _local(container.tag)]
    name = _local(child.tag)
    old = container.find(child.tag)
    if old is not None:
        container.replace(old, child)
        return child
    rank = order.index(name)
    for index, sibling in enumerate(container):
        sibling_name = _local(sibling.tag) if isinstance(sibling.tag, str) else ""
        if sibling_name in order and order.index(sibling_name) > rank:
            container.insert(index, child)
            return child
    container.append(child)
    return child


def _local(tag: str) -> str:
    return tag.split("}")[-1]


def border(side: str, colour: str, eighths: int, space: float) -> OxmlElement:
    """One border: `eighths` of a point thick, `space` points from the text."""
    return element(f"w:{side}", val="single", sz=str(eighths), space=str(round(space)), color=colour.lstrip("#").upper())


def borders(tag: str, **sides: tuple[str, int, float]) -> OxmlElement:
    """`borders("w:pBdr", left=("#A23B2A", 30, 12))`: the sides in the schema's order (top, left, bottom, right)."""
    box = element(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            box.append(border(side, *sides[side]))
    return box


def shading(fill: str) -> OxmlElement:
    return element("w:shd", val="clear", color="auto", fill=fill.lstrip("#").upper())
