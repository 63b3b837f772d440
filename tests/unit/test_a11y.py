"""Accessibility checks: each catches a deliberately broken file; brand colours meet WCAG AA."""

from __future__ import annotations

import base64

import pytest

from policybrief.qa.accessibility import contrast_ratio, docx_checks, html_checks, pdf_checks
from policybrief.render.brand_file import load_brand
from policybrief.render.docx_layout import Furniture
from policybrief.render.pdf import RenderError, render_pdf
from policybrief.render.reference_docx import build_reference_docx
from policybrief.render.to_docx import html_to_docx

from ..conftest import ROOT

TEMPLATES = ROOT / "templates"
PNG = "data:image/png;base64," + base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a5a40000000049454e44ae426082")).decode()


def page(body: str, lang: str = "en", title: str = "<title>T</title>") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'>{title}</head><body>{body}</body></html>"


GOOD = "<h1>Title</h1><h2>Section</h2><p>Text.</p>"


def failing(checks) -> set[str]:
    return {measure for measure, passed, _detail in checks if not passed}


def docx_from(html: str, tmp_path) -> bytes:
    """The real DOCX writer (reference document, page furniture, embedded fonts) on a test page."""
    brand = load_brand(TEMPLATES)
    build_reference_docx(brand, tmp_path / "ref.docx")
    furniture = Furniture("Series", "Evidence as of March 2010", "Title", "Page", "of", None, "logo")
    return html_to_docx(html, tmp_path / "ref.docx", 1, brand, furniture)


def test_good_pdf_passes(tmp_path):
    path = tmp_path / "good.pdf"
    path.write_bytes(render_pdf(page(GOOD), tmp_path))
    assert failing(pdf_checks(path, "en")) == set()


@pytest.mark.parametrize("html, broken", [
    (page(GOOD, title=""), "title shown in window"),
    (page("<h1>Title</h1><h3>Skipped a level</h3><p>x</p>"), "heading order"),
    (page("<h2>No title heading</h2><p>x</p>"), "heading order"),
])
def test_broken_pdf_is_caught(tmp_path, html, broken):
    path = tmp_path / "broken.pdf"
    path.write_bytes(render_pdf(html, tmp_path))
    assert broken in failing(pdf_checks(path, "en"))


def test_pdf_without_language_is_refused_by_the_renderer(tmp_path):
    with pytest.raises(RenderError) as caught:
        render_pdf(page(GOOD, lang=""), tmp_path)
    assert '"lang"' in str(caught.value)


def test_pdf_language_check_compares_with_the_brief(tmp_path):
    path = tmp_path / "fr.pdf"
    path.write_bytes(render_pdf(page(GOOD, lang="fr"), tmp_path))
    assert "document language" in failing(pdf_checks(path, "en"))


def test_pdf_image_without_alt_is_refused_by_the_renderer(tmp_path):
    with pytest.raises(RenderError) as caught:
        render_pdf(page(f"{GOOD}<img src='{PNG}'>"), tmp_path)
    assert "alt" in str(caught.value)


def test_good_docx_passes(tmp_path):
    html = page(f"{GOOD}<p><img src='{PNG}' alt='A described image'></p>"
                "<table><caption>Cap</caption><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>")
    html = html.replace("<head>", "<head><meta name='author' content='A'><meta name='subject' content='S'><meta name='keywords' content='k1, k2'>")
    path = tmp_path / "good.docx"
    path.write_bytes(docx_from(html.replace("<h1>Title</h1>", ""), tmp_path))
    assert failing(docx_checks(path, "en")) == set()


@pytest.mark.parametrize("body, broken", [
    (f"<h2>S</h2><p><img src='{PNG}' alt=''></p>", "images with alt text"),
    ("<h2>S</h2><h4>Skipped</h4><p>x</p>", "heading order"),
    ("<h2>S</h2><table><tr><td>no header</td></tr></table>", "tables with repeating header row and caption"),
])
def test_broken_docx_is_caught(tmp_path, body, broken):
    path = tmp_path / "broken.docx"
    path.write_bytes(docx_from(page(body), tmp_path))
    assert broken in failing(docx_checks(path, "en"))


def test_docx_without_language_is_caught(tmp_path):
    path = tmp_path / "nolang.docx"
    path.write_bytes(docx_from(page("<h2>S</h2><p>x</p>", lang=""), tmp_path))
    assert "document language" in failing(docx_checks(path, "en"))


@pytest.mark.parametrize("body, broken", [
    ("<h1>T</h1><img src='x.png'>", "images with alt text"),
    ("<h1>T</h1><h3>skip</h3>", "heading order"),
])
def test_broken_html_is_caught(tmp_path, body, broken):
    path = tmp_path / "b.html"
    path.write_text(page(body), encoding="utf-8")
    assert broken in failing(html_checks(path, "en"))


def test_brand_colours_meet_wcag_aa():
    colours = load_brand(TEMPLATES).colors
    white = "#FFFFFF"
    for name in ("text", "muted", "primary", "accent"):  # body and small text on the page
        assert contrast_ratio(getattr(colours, name), white) >= 4.5, name
    for name in ("text", "primary", "accent"):  # text inside tinted boxes
        assert contrast_ratio(getattr(colours, name), colours.tint) >= 4.5, name
    assert contrast_ratio(white, colours.primary) >= 4.5  # table header cells
    for series in colours.series:  # chart marks
        assert contrast_ratio(series, white) >= 3.0, series
    for fixed in ("#2F5E22",):  # verdict colour set in brief.css
        assert contrast_ratio(fixed, white) >= 4.5
