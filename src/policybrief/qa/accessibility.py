"""Accessibility checks the pipeline makes itself (WeasyPrint labels a file PDF/UA-1 whether or not
it has a language, a title or alt text): PDF structure, DOCX properties, HTML basics, contrast."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from .extract import docx_part, parse_brief_html

Check = tuple[str, bool, str]  # (measure, passed, detail)


def _heading_problem(levels: list[int]) -> str:
    if not levels:
        return "no headings"
    if levels[0] != 1:
        return f"first heading is level {levels[0]}, expected 1"
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            return f"heading level jumps from {before} to {after}"
    return ""


def pdf_checks(path: Path, lang: str) -> list[Check]:
    import pikepdf

    checks: list[Check] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
        checks.append(("tagged PDF (structure tree)", tree is not None and marked, "" if tree is not None else "no /StructTreeRoot"))
        doc_lang = str(root.get("/Lang", ""))
        checks.append(("document language", doc_lang.lower().startswith(lang), f"/Lang is '{doc_lang}'"))
        title = str(pdf.docinfo.get("/Title", "")).strip()
        display = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
        checks.append(("title shown in window", bool(title) and display, f"title '{title}', DisplayDocTitle {display}"))
        checks.append(("bookmarks", "/Outlines" in root and root.Outlines.get("/First") is not None, ""))
        xmp = pdf.open_metadata()
        checks.append(("PDF/UA identifier", str(xmp.get("pdfuaid:part", "")) == "1", ""))
        figures, headings, tables = [], [], []
        _walk(tree, figures, headings, tables)
        missing_alt = sum(1 for alt in figures if not alt.strip())
        checks.append(("figures with alt text", missing_alt == 0, f"{missing_alt} of {len(figures)} figures lack /Alt"))
        problem = _heading_problem(headings)
        checks.append(("heading order", not problem, problem))
        headerless = sum(1 for has_th in tables if not has_th)
        checks.append(("tables with header cells", headerless == 0, f"{headerless} of {len(tables)} tables have no TH"))
        unembedded = sorted({name for name, embedded in _fonts(pdf) if not embedded})
        checks.append(("fonts embedded", not unembedded, ", ".join(unembedded)))
    return checks


def _walk(node, figures: list, headings: list, tables: list) -> bool:
    """Collect figure alts, heading levels and per-table TH presence; returns whether a TH was seen below."""
    import pikepdf

    if isinstance(node, pikepdf.Array):
        # A list, not a generator: every child must be visited, not just up to the first TH.
        return any([_walk(k, figures, headings, tables) for k in node])  # noqa: C419
    if not isinstance(node, pikepdf.Dictionary):
        return False
    kind = str(node.get("/S", ""))
    if kind == "/Figure":
        figures.append(str(node.get("/Alt", "")))
    match = re.fullmatch(r"/H([1-6])", kind)
    if match:
        headings.append(int(match.group(1)))
    if kind == "/Table":
        index = len(tables)
        tables.append(False)
        tables[index] = _walk(node.get("/K"), figures, headings, tables)
        return tables[index]
    found = kind == "/TH"
    kids = node.get("/K")
    return (_walk(kids, figures, headings, tables) if kids is not None else False) or found


def _fonts(pdf):
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants is not None else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            yield str(font.get("/BaseFont", "?")).lstrip("/"), embedded or str(font.get("/Subtype")) == "/Type3"


def docx_checks(path: Path, lang: str) -> list[Check]:
    document, core, styles = (docx_part(path, name) for name in ("word/document.xml", "docProps/core.xml", "word/styles.xml"))
    checks: list[Check] = []
    doc_lang = re.search(r"<dc:language>([^<]*)</dc:language>", core)
    style_lang = re.search(r'<w:lang [^>]*w:val="([^"]+)"', styles)
    ok = bool(doc_lang and doc_lang.group(1).lower().startswith(lang) and style_lang and style_lang.group(1).lower().startswith(lang))
    checks.append(("document language", ok, f"core '{doc_lang and doc_lang.group(1)}', styles '{style_lang and style_lang.group(1)}'"))
    empty = [tag for tag in ("dc:title", "dc:creator", "dc:subject", "cp:keywords") if not re.search(rf"<{tag}>[^<]+</{tag}>", core)]
    checks.append(("core properties", not empty, "empty: " + ", ".join(empty) if empty else ""))
    levels = [0 if s == "Title" else int(s[-1]) for s in re.findall(r'<w:pStyle w:val="(Title|Heading[1-6])"', document)]
    problem = _heading_problem([level + 1 for level in levels]) if levels else "no headings"
    checks.append(("heading order", not problem and levels[:1] == [0], problem or ("" if levels[:1] == [0] else "no Title")))
    images = re.findall(r"<wp:docPr [^>]*>", document)
    no_alt = [d for d in images if not re.search(r'descr="[^"]+"', d)]
    checks.append(("images with alt text", not no_alt, f"{len(no_alt)} of {len(images)} images lack descr"))
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", document, flags=re.S)
    bad = [i + 1 for i, t in enumerate(tables) if "<w:tblHeader" not in t or "<w:tblCaption" not in t]
    checks.append(("tables with repeating header row and caption", not bad, f"tables {bad}" if bad else ""))
    links = re.findall(r"<w:hyperlink [^>]*>(.*?)</w:hyperlink>", document, flags=re.S)
    blank = sum(1 for link in links if not re.sub(r"<[^>]+>", "", link).strip())
    checks.append(("links with text", blank == 0, f"{blank} empty links"))
    return checks


def html_checks(path: Path, lang: str) -> list[Check]:
    parser = parse_brief_html(path)
    problem = _heading_problem(parser.headings)
    return [
        ("document language", parser.lang == lang, f"lang is '{parser.lang}'"),
        ("title", parser.title, ""),
        ("images with alt text", parser.images_without_alt == 0, f"{parser.images_without_alt} images without alt"),
        ("heading order", not problem, problem),
    ]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return round((lighter + 0.05) / (darker + 0.05), 2)


# WCAG 2.1 AA: text (1.4.3) and graphical objects such as chart marks (1.4.11), on every background
# the brand puts them on.
TEXT_CONTRAST, MARK_CONTRAST = 4.5, 3.0


def contrast_failures(text: dict[str, str], marks: dict[str, str], backgrounds: dict[str, str]) -> list[tuple[str, str]]:
    """(colour name, message) for each text colour below 4.5:1 and each chart mark below 3:1 on a background."""
    failures = []
    for colours, minimum, use in ((text, TEXT_CONTRAST, "text"), (marks, MARK_CONTRAST, "chart marks")):
        for name, colour in colours.items():
            for ground, background in backgrounds.items():
                ratio = contrast_ratio(colour, background)
                if ratio < minimum:
                    failures.append((name, f"{colour} on {ground} ({background}) has contrast {ratio}:1; "
                                           f"WCAG AA needs {minimum}:1 for {use}"))
    return failures


def check_brand_contrast(templates: Path, brand=None) -> None:
    """The brand's text colours and chart series (of `brand`, else read from the templates) against
    white and its tint; InputError naming each."""
    from policybrief.core.problems import InputError, Problem, display_path
    from policybrief.render.brand import BRAND_FILE, brand_of

    c = (brand or brand_of(templates)).colors
    failures = contrast_failures(
        text={"colors.primary": c.primary, "colors.accent": c.accent, "colors.text": c.text, "colors.muted": c.muted},
        marks={f"colors.series[{i}]": colour for i, colour in enumerate(c.series)},
        backgrounds={"white": "#FFFFFF", "the tint": c.tint},
    )
    if failures:
        where = display_path(Path(templates) / BRAND_FILE)
        raise InputError([Problem(where, None, "brand", name, message) for name, message in failures])
