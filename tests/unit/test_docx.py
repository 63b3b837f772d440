"""The DOCX as built: page furniture (header, footer fields, logo, first-page variant), the PDF's
look (boxes, tables, heading styles), embedded fonts that round-trip to the bundled files, a package
whose every part and relationship resolves, and the same bytes from the same inputs."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from fontTools.ttLib import TTFont
from lxml import etree

from policybrief.content.loading import load_content
from policybrief.core.files import FIXED_ZIP_TIME
from policybrief.qa.accessibility import docx_checks
from policybrief.render.brand_file import load_brand
from policybrief.render.docx_package import (
    embed_fonts,
    font_key,
    obfuscate,
    package_problems,
    read_parts,
    word_font,
)
from policybrief.render.pipeline import furniture, prepare, render_page
from policybrief.render.reference_docx import build_reference_docx
from policybrief.render.to_docx import html_to_docx
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import ROOT

TEMPLATES = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def build(brief: str, reference: Path) -> bytes:
    """A brief's DOCX exactly as the render job writes it (these briefs have no chart)."""
    prepared = prepare(brief, ROOT / "data", ROOT / "briefs", TEMPLATES)
    brand = load_brand(TEMPLATES)
    html = render_page(prepared, None, brand, TEMPLATES, "docx")
    return html_to_docx(html, reference, 1267401600, brand, furniture(prepared, brand, TEMPLATES))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ref") / "reference.docx"
    build_reference_docx(load_brand(TEMPLATES), path)
    return path


@pytest.fixture(scope="module")
def congress(reference) -> bytes:
    return build("congress", reference)


@pytest.fixture(scope="module")
def spanish(reference) -> bytes:
    return build("mexico-es", reference)


def part(docx: bytes, name: str) -> str:
    return read_parts(docx)[name].decode("utf-8")


def text_of(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def targets(docx: bytes, rels_part: str) -> dict[str, str]:
    root = etree.fromstring(read_parts(docx)[rels_part])
    return {rel.get("Id"): rel.get("Target") for rel in root}


def headers(docx: bytes) -> dict[str, str]:
    """Header and footer XML by kind and type ("header first", "footer default"), as the section names them."""
    rels = targets(docx, "word/_rels/document.xml.rels")
    section = etree.fromstring(read_parts(docx)["word/document.xml"]).find(f"{W}body/{W}sectPr")
    return {f"{etree.QName(ref).localname[:-len('Reference')]} {ref.get(f'{W}type')}": part(docx, "word/" + rels[ref.get(f"{R}id")])
            for ref in section if etree.QName(ref).localname in ("headerReference", "footerReference")}


def test_first_page_masthead_running_header_and_page_x_of_y_footer(congress):
    parts = headers(congress)
    assert set(parts) == {"header first", "header default", "footer first", "footer default"}
    assert "<w:titlePg/>" in part(congress, "word/document.xml")  # the first page has its own variant
    assert 'w:pStyle w:val="Masthead"' in parts["header first"] and 'w:pStyle w:val="header"' in parts["header default"]
    for kind in ("header first", "header default"):
        assert "Policy Brief Series" in text_of(parts[kind]) and "Evidence as of March 2010" in text_of(parts[kind])
        assert "<a:blip r:embed=" in parts[kind] and 'descr="Policy Brief Series"' in parts[kind]
    for kind in ("footer first", "footer default"):
        instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", parts[kind])
        assert [i.strip() for i in instructions] == ["PAGE", "NUMPAGES"]
        assert text_of(parts[kind]).startswith("Trading Partners, Reluctant AlliesPage 1 of 1")


def test_footer_words_are_in_the_briefs_language(spanish):
    footer = headers(spanish)["footer default"]
    assert "Página " in text_of(footer) and " de " in text_of(footer)
    assert "Evidencia a marzo de 2010" in text_of(headers(spanish)["header first"])


def test_the_logo_in_each_header_is_a_png_of_the_brand_logo(congress):
    parts = read_parts(congress)
    for rels_part in ("word/_rels/header1.xml.rels", "word/_rels/header2.xml.rels"):
        images = [t for t in targets(congress, rels_part).values() if t.startswith("media/")]
        assert len(images) == 1 and parts["word/" + images[0]].startswith(b"\x89PNG")


def test_the_bottom_line_heading_keeps_its_heading_style_inside_the_box(congress):
    body = etree.fromstring(read_parts(congress)["word/document.xml"]).find(f"{W}body")
    paragraphs = body.findall(f"{W}p")
    index = next(i for i, p in enumerate(paragraphs) if "".join(p.itertext()) == "The bottom line")
    heading, text = paragraphs[index], paragraphs[index + 1]
    assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"
    assert heading.find(f"{W}pPr/{W}shd").get(f"{W}fill") == "EEF2F7"
    bar = heading.find(f"{W}pPr/{W}pBdr/{W}left")
    assert (bar.get(f"{W}color"), bar.get(f"{W}sz")) == ("A23B2A", "30")
    run = heading.find(f"{W}r/{W}rPr")
    assert run.find(f"{W}caps") is not None and run.find(f"{W}color").get(f"{W}val") == "A23B2A"
    assert text.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "BottomLine"  # the box: same borders and shading


def test_key_figures_table_reads_like_the_cards(congress):
    document = part(congress, "word/document.xml")
    table = next(t for t in re.findall(r"<w:tbl>.*?</w:tbl>", document, re.S) if "FigureValue" in t)
    assert "<w:tblHeader" in table and "<w:tblCaption" in table
    header_row = re.search(r"<w:tr>.*?</w:tr>", table, re.S).group(0)
    primary = load_brand(TEMPLATES).colors.primary.lstrip("#").upper()
    assert f'w:fill="{primary}"' in header_row and 'w:val="FFFFFF"' in header_row  # the PDF's dark header row
    figures = len(select(load_spec(ROOT / "briefs" / "congress.yaml"), load_content(ROOT / "data")).figures)
    assert len(re.findall(r'<w:rStyle w:val="FigureValue"/>', table)) == figures


def test_actor_headings_take_the_actor_look_and_stay_headings(congress):
    document = Document(io.BytesIO(congress))
    actors = [p for p in document.paragraphs if p.text == "U.S. Congress"]
    assert actors and actors[0].style.name == "Heading 2"
    assert actors[0].runs[0].font.all_caps and str(actors[0].runs[0].font.color.rgb) == "A23B2A"


def test_fonts_are_embedded_obfuscated_and_round_trip_to_the_bundled_files(congress):
    parts = read_parts(congress)
    table = parts["word/fontTable.xml"].decode()
    rels = parts["word/_rels/fontTable.xml.rels"].decode()
    embedded = re.findall(r'<w:(embed\w+) r:id="(rIdFont\d+)" w:fontKey="(\{[0-9A-F-]+\})"/>', table)
    assert len(embedded) == 7
    bundled = {p.read_bytes() for p in (TEMPLATES / "fonts").glob("*.ttf")}
    for _slot, rid, key in embedded:
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
        data = parts["word/" + target]
        assert data not in bundled  # obfuscated as stored
        assert obfuscate(data, key) in bundled  # and the bundled font when the key is applied
    assert '<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in parts["[Content_Types].xml"].decode()
    assert "<w:embedTrueTypeFonts/>" in parts["word/settings.xml"].decode()
    assert '<w:font w:name="Source Serif Pro Semibold">' in table  # a weight Word sees as a family of its own


def test_obfuscation_follows_the_standard():
    """ISO/IEC 29500-1 §17.8.1: XOR the first 32 bytes with the GUID's bytes in reverse order."""
    data = bytes(range(40))
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    reversed_guid = bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    assert obfuscate(data, key) == bytes(b ^ reversed_guid[i % 16] for i, b in enumerate(data[:32])) + data[32:]
    assert font_key(data) == font_key(data) and re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", font_key(data))


def test_a_font_whose_licence_forbids_embedding_keeps_only_its_fallback(congress, tmp_path):
    font = TTFont(str(TEMPLATES / "fonts" / "SourceSerifPro-Bold.ttf"))
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    font.save(str(tmp_path / "restricted.ttf"))
    parts = {name: data for name, data in read_parts(congress).items()
             if not name.startswith("word/fonts/") and name != "word/_rels/fontTable.xml.rels"}
    parts["word/fontTable.xml"] = re.sub(rb"<w:font w:name=\"Source [^\"]+\">.*?</w:font>", b"", parts["word/fontTable.xml"], flags=re.S)
    refused = embed_fonts(parts, [(word_font(tmp_path / "restricted.ttf"), "Georgia"),
                                  (word_font(TEMPLATES / "fonts" / "SourceSansPro-Regular.ttf"), "Arial")])
    table = parts["word/fontTable.xml"].decode()
    assert refused == ["Source Serif Pro"]
    serif = re.search(r'<w:font w:name="Source Serif Pro">.*?</w:font>', table, re.S).group(0)
    assert '<w:altName w:val="Georgia"/>' in serif and "embed" not in serif
    assert re.search(r'<w:font w:name="Source Sans Pro">.*?<w:embedRegular ', table, re.S)
    assert package_problems(parts) == []


def test_the_package_is_consistent_and_opens(congress, tmp_path):
    parts = read_parts(congress)
    assert package_problems(parts) == []
    Document(io.BytesIO(congress))  # python-docx opens it
    path = tmp_path / "congress.docx"
    path.write_bytes(congress)
    assert {measure for measure, passed, _detail in docx_checks(path, "en") if not passed} == set()


@pytest.mark.parametrize("damage, expected", [
    (lambda p: p.pop("word/styles.xml"), "points to word/styles.xml, which is not in the package"),
    (lambda p: p.update({"word/extra.bin": b"x"}), "word/extra.bin has no content type"),
    (lambda p: p.update({"word/document.xml": p["word/document.xml"].replace(b'r:id="', b'r:id="rIdGone', 1)}),
     "which word/_rels/document.xml.rels does not define"),
    (lambda p: p.update({"word/fontTable.xml": b"<w:fonts"}), "word/fontTable.xml is not well-formed XML"),
])
def test_the_package_check_catches_what_word_would_repair(congress, damage, expected):
    parts = read_parts(congress)
    damage(parts)
    assert any(expected in problem for problem in package_problems(parts)), package_problems(parts)


def test_same_inputs_same_bytes(congress, reference):
    assert build("congress", reference) == congress
    with zipfile.ZipFile(io.BytesIO(congress)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {FIXED_ZIP_TIME}
