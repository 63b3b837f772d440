"""Every DOCX in a real client on a machine without the brand fonts: LibreOffice converts it without
error, sets it in the fonts embedded in the file, computes "page X of Y" in the brief's language,
and lays it out within the brief's page limit and within one page of the PDF. It also saves it back
as DOCX, and that copy opens again."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pikepdf
import pytest
import yaml
from docx import Document

from policybrief.qa.extract import pdf_pages, pdf_text, squash
from policybrief.render.brand_file import load_brand
from policybrief.render.i18n import translations
from policybrief.spec.specs import load_specs

from .conftest import STUDY

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-writer; .ci/run installs it)"),
]


def installed(family: str, env: dict | None = None) -> list[str]:
    """Font files of `family` that fontconfig (as configured by `env`) offers to applications."""
    done = subprocess.run(["fc-list", f":family={family}", "file"], capture_output=True, text=True, env=env, check=True)
    return [line.rstrip(": ") for line in done.stdout.splitlines() if line.strip()]


def without_brand_fonts(tmp_path, families: set[str]) -> dict:
    """An environment whose fontconfig hides every installed copy of the brand fonts (by file, so the
    copies LibreOffice unpacks from a document still load): the recipient's machine."""
    rejected = "".join(f"<glob>{path}</glob>" for family in sorted(families) for path in installed(family))
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>"
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)}
    assert not [f for family in families for f in installed(family, env)], "the brand fonts are still visible"
    return env


def convert(files, to: str, outdir, env, profile) -> None:
    done = subprocess.run(
        [OFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", to,
         "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=900, env=env, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def converted(project, built, tmp_path_factory):
    """Every configured brief's DOCX converted to PDF by LibreOffice without the brand fonts."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    brand = load_brand(project / "templates")
    env = without_brand_fonts(tmp, {brand.fonts.body, brand.fonts.heading})
    briefs = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))["studies"][STUDY]["briefs"]
    specs = {s.spec.id: s.spec for s in load_specs(project / briefs)}
    docx = {brief: built / "briefs" / brief / f"{brief}.docx" for brief in specs}
    convert(docx.values(), "pdf", tmp / "pdf", env, tmp / "profile")
    return specs, docx, tmp, env, brand


def test_every_brief_keeps_its_pages_in_libreoffice_without_the_brand_fonts(converted):
    specs, docx, tmp, _env, _brand = converted
    assert len(specs) >= 6
    measured = {}
    for brief, spec in specs.items():
        lo_pages, pdf = pdf_pages(tmp / "pdf" / f"{brief}.pdf"), pdf_pages(docx[brief].with_suffix(".pdf"))
        measured[brief] = (lo_pages, pdf, spec.max_pages)
    too_long = {b: m for b, m in measured.items() if m[0] > m[2]}
    drifted = {b: m for b, m in measured.items() if abs(m[0] - m[1]) > 1}
    assert not too_long and not drifted, f"(LibreOffice, PDF, max pages): {measured}"


def test_libreoffice_sets_the_text_in_the_embedded_fonts(converted):
    specs, _docx, tmp, _env, brand = converted
    for brief in specs:
        with pikepdf.open(tmp / "pdf" / f"{brief}.pdf") as pdf:
            fonts = {str(f.get("/BaseFont")).split("+")[-1] for page in pdf.pages for f in page.Resources.Font.values()}
        expected = {brand.fonts.body.replace(" ", ""), brand.fonts.heading.replace(" ", "")}
        assert all(any(f.startswith(name) for f in fonts) for name in expected), (brief, fonts)
        assert not any(f.startswith("DejaVu") for f in fonts), (brief, fonts)  # nothing substituted


def test_page_x_of_y_is_computed_in_the_briefs_language(converted, project):
    specs, _docx, tmp, _env, _brand = converted
    for brief, spec in specs.items():
        tr = translations(project / "templates", spec.language)
        path = tmp / "pdf" / f"{brief}.pdf"
        pages = pdf_pages(path)
        text = squash(pdf_text(path))
        assert f"{tr.gettext('Page')} {pages} {tr.gettext('of')} {pages}" in text, brief
        assert spec.title in text


def test_a_libreoffice_round_trip_opens_again(converted):
    specs, docx, tmp, env, _brand = converted
    convert(docx.values(), "docx:MS Word 2007 XML", tmp / "docx", env, tmp / "profile")
    for brief in specs:
        again = Document(io.BytesIO((tmp / "docx" / f"{brief}.docx").read_bytes()))
        assert any(p.text == spec_title for p in again.paragraphs for spec_title in [specs[brief].title])
