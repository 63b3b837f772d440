"""Hostile input and faults: nothing from data or templates reads the machine or becomes active,
and a failing brief or a killed build never costs a good output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml

from policybrief.cli import main
from policybrief.qa.extract import docx_text, pdf_text
from policybrief.render.pdf import RenderError, render_pdf
from policybrief.render.pipeline import Paths, build_brief

from ..conftest import ROOT, SOURCE
from .conftest import SOURCE_CONFIG, STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e
TOKEN = "CANARY-7f3a9c-SECRET"


@pytest.fixture
def canary():
    """A secret file at a short path (record text refuses words over 60 characters)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="c", dir="/tmp"))
    secret = folder / "canary.txt"
    secret.write_text(TOKEN, encoding="utf-8")
    (folder / "canary.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><text y="10">{TOKEN}</text></svg>')
    yield secret
    shutil.rmtree(folder)


def hostile_strings(secret: Path) -> list[str]:
    url = secret.as_uri()
    return [
        f'<script> alert("{url}") </script> <img src="{url}" onerror="alert(1)">',
        f'<a href="javascript:alert(1)">click</a> <link rel="attachment" href="{url}">',
        f"![leak]({url}) [leak]({url}) <{url}>",
        "`<b>raw</b>`{=html} ::: {.warning} fenced ::: \\input{/etc/passwd} $x^2$",
        "[@garza2010, 1] ^[an inline footnote] [^1] {{ config }} {% include 'x' %} {# c #}",
        "\u05e9\u05dc\u05d5\u05dd right-to-left and cafe\u0301 combining",
    ]


def test_record_text_never_becomes_markup_or_reads_files(tmp_path, built, canary):
    for folder in ("data", "briefs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    findings_path = tmp_path / "data" / "findings.yaml"
    findings = yaml.safe_load(findings_path.read_text(encoding="utf-8"))
    strings = hostile_strings(canary)
    # A finding the defense brief prints in full (statement and explanation).
    printed = yaml.safe_load((tmp_path / "briefs" / "defense.yaml").read_text(encoding="utf-8"))["select"]["findings"]["include"][0]
    target = next(f for f in findings if f["id"] == printed)
    target["statement"]["en"] = " ".join(strings[:3])
    target["explanation"]["en"] = " ".join(strings[3:])
    target["headline"]["en"] = "Headline with <b>tags</b> and {{ braces }}"
    findings_path.write_text(yaml.safe_dump(findings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    spec_path = tmp_path / "briefs" / "defense.yaml"  # prints statements and explanations ("full")
    paths = Paths(tmp_path / "data", tmp_path / "briefs", tmp_path / "templates", built / "build" / "charts", built.parent / "build" / "reference.docx")
    out = tmp_path / "out"
    assert spec_path.is_file()
    build_brief("defense", paths, out, out / "defense.build.json", 1267401600)

    html = (out / "defense.html").read_text(encoding="utf-8")
    pdf, docx = out / "defense.pdf", out / "defense.docx"
    texts = {"html": html, "pdf": pdf_text(pdf), "docx": docx_text(docx)}
    for name, text in texts.items():
        assert TOKEN not in text, name
    assert "<script" not in html.lower() and "<link" not in html.lower()
    assert re.findall(r"<img [^>]*src=\"([^\"]{0,5})", html) == ["data:"]  # only the chart
    assert 'href="javascript:' not in html and "<b>tags</b>" not in html and "&lt;script&gt;" in html
    for name in ("pdf", "docx"):
        flat = " ".join(texts[name].split())
        assert "<script> alert(" in flat, name
        assert "{{ braces }}" in flat and "{% include 'x' %}" in flat, name
        assert "[@garza2010, 1]" in flat and "^[an inline footnote]" in flat, name
    # Nothing attached or embedded from the machine.
    with pikepdf.open(pdf) as document:
        assert "/EmbeddedFiles" not in document.Root.get("/Names", pikepdf.Dictionary())
        for page in document.pages:
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                assert annot.get("/Subtype") != pikepdf.Name.FileAttachment
    with zipfile.ZipFile(docx) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 2 and all(n.endswith(".png") for n in media)  # the chart and the header logo, nothing else
        for name in archive.namelist():
            assert TOKEN.encode() not in archive.read(name), name


@pytest.mark.parametrize("make_html", [
    lambda s: f'<img src="{s.as_uri()}" alt="x">',
    lambda s: f'<img src="{(s.parent / "canary.svg").as_uri()}" alt="x">',
    lambda s: f'<link rel="attachment" href="{s.as_uri()}"><p>x</p>',
    lambda s: f'<a rel="attachment" href="{s.as_uri()}">x</a>',
    lambda s: f'<style>@import url("{s.as_uri()}");</style><p>x</p>',
    lambda s: '<img src="../../../../../../../etc/passwd" alt="x">',
    lambda s: '<img src="http://127.0.0.1:9/x.png" alt="x">',
    lambda s: '<img src="https://example.org/x.png" alt="x">',
    lambda s: '<img src="fonts/escape.png" alt="x">',
], ids=["file", "svg", "link-attachment", "a-attachment", "css-import", "traversal", "loopback", "https", "symlink"])
def test_renderer_loads_only_project_assets(tmp_path, canary, make_html):
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    os.symlink(canary, templates / "fonts" / "escape.png")
    with pytest.raises(RenderError) as caught:
        render_pdf(f"<html lang='en'><head><title>t</title></head><body>{make_html(canary)}</body></html>", templates)
    assert "refused to load" in str(caught.value) or "WeasyPrint reported problems" in str(caught.value)


def test_pandoc_never_reads_a_local_file_into_the_docx(tmp_path, built, canary):
    from policybrief.render.brand_file import load_brand
    from policybrief.render.docx_layout import Furniture
    from policybrief.render.pandoc_runner import PandocError
    from policybrief.render.to_docx import html_to_docx

    html = f"<html lang='en'><head><title>t</title></head><body><h2>S</h2><p><img src='{canary.parent / 'canary.svg'}' alt='x'></p></body></html>"
    furniture = Furniture("Series", "Evidence", "Title", "Page", "of", None, "logo")
    with pytest.raises(PandocError) as caught:
        html_to_docx(html, built.parent / "build" / "reference.docx", 1, load_brand(ROOT / "templates"), furniture)
    assert "canary" in str(caught.value) or "sandbox" in str(caught.value).lower() or "Could not fetch" in str(caught.value)


def test_a_css_size_that_crashes_the_renderer_is_a_clear_error(tmp_path):
    with pytest.raises(RenderError) as caught:
        render_pdf("<html lang='en'><body><p style='font-size:1e7px'>big</p></body></html>", tmp_path)
    assert "could not lay out the brief" in str(caught.value)


def test_unwritable_output_is_a_clear_error(tmp_path, built, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code = main(["render", "press", "--data", str(ROOT / "data"), "--briefs", str(ROOT / "briefs"),
                 "--templates", str(ROOT / "templates"), "--charts", str(built / "build" / "charts"),
                 "--reference-docx", str(built.parent / "build" / "reference.docx"), "--out", str(blocker / "out"),
                 "--source", str(SOURCE), "--epoch", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot use" in err and "not-a-folder" in err and "Traceback" not in err


def test_one_failing_brief_under_keep_going(tmp_path):
    project = copy_project(tmp_path / "project")
    spec = (project / "briefs" / "press.yaml").read_text(encoding="utf-8")
    (project / "briefs" / "broken.yaml").write_text(
        spec.replace("id: press", "id: broken").replace("template: press", "template: missing-template"), encoding="utf-8")
    done = run_workflow(project, "--keep-going")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "broken" in output and "missing-template.html.j2" in output and "Traceback" not in output
    for brief in ("congress", "defense", "state", "mexico-es", "research", "press"):
        assert (project / "output" / STUDY / "briefs" / brief / f"{brief}.pdf").is_file(), brief
    assert not (project / "output" / STUDY / "manifest.json").exists()


def test_killed_build_recovers(tmp_path):
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--config", SOURCE_CONFIG],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    logs = project / "output" / "logs" / STUDY / "render"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (logs.is_dir() and any(logs.iterdir())):
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # The build was interrupted: it did not get as far as publishing.
    assert process.returncode == -signal.SIGKILL
    assert not (project / "output" / STUDY / "build" / "edition.json").exists()
    again = run_workflow(project)
    if again.returncode != 0:
        message = again.stdout + again.stderr
        assert "--unlock" in message, message[-2000:]  # a stale lock says how to recover
        assert run_workflow(project, "--unlock").returncode == 0
        again = run_workflow(project)
    assert again.returncode == 0, (again.stdout + again.stderr)[-3000:]
    assert (project / "output" / STUDY / "build" / "edition.json").is_file()
    assert (project / "output" / STUDY / "manifest.json").is_file()
