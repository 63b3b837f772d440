"""Every DOCX opens in a real client: LibreOffice converts it without error, and its page count is
within one page of the WeasyPrint PDF (with the bundled fonts made available to LibreOffice)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from policybrief.qa.extract import pdf_pages

from ..conftest import ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("libreoffice") is None,
                       reason="LibreOffice is not installed (Debian: libreoffice-writer; .ci/run installs it)"),
]


def test_every_docx_opens_in_libreoffice(built, tmp_path):
    fonts_conf = tmp_path / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{ROOT / "templates" / "fonts"}</dir>'
        f'<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>', encoding="utf-8")
    docx_files = sorted(built.glob("briefs/*/*.docx"))
    assert len(docx_files) == 6
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), *map(str, docx_files)],
        capture_output=True, text=True, timeout=600, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr
    for docx in docx_files:
        converted = tmp_path / "lo" / f"{docx.stem}.pdf"
        assert converted.is_file(), f"LibreOffice could not convert {docx.name}: {done.stdout} {done.stderr}"
        lo_pages, pdf = pdf_pages(converted), pdf_pages(docx.with_suffix(".pdf"))
        assert abs(lo_pages - pdf) <= 1, f"{docx.name}: LibreOffice {lo_pages} pages, WeasyPrint {pdf}"
