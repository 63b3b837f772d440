"""End-to-end: the six shipped briefs, built by Snakemake, checked on the finished files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from policybrief.content.loading import load_content
from policybrief.qa.extract import docx_text, html_text, pdf_pages, pdf_text
from policybrief.spec.selection import select
from policybrief.spec.specs import load_specs

from ..conftest import DATA, ROOT
from .conftest import STUDY, copy_project, run_workflow

SPECS = {s.spec.id: s for s in load_specs(ROOT / "briefs")}
CONTENT = load_content(DATA)
pytestmark = pytest.mark.e2e


def squash(text: str) -> str:
    """Text as extracted, with line breaks, hyphenation and spacing folded, for phrase matching."""
    text = text.replace("\u00ad", "").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text)


def files_of(built: Path, brief: str) -> dict[str, Path]:
    return {fmt: built / "briefs" / brief / f"{brief}.{fmt}" for fmt in ("pdf", "docx", "html")}


def test_every_brief_in_every_format(built, manifest):
    assert set(SPECS) == {"congress", "defense", "state", "mexico-es", "research", "press"}
    listed = {(f["brief"], f["format"]) for f in manifest["files"]}
    assert listed == {(b, fmt) for b in SPECS for fmt in ("pdf", "docx", "html")}
    assert len(manifest["files"]) == 18
    for entry in manifest["files"]:
        path = built / entry["path"]
        assert path.is_file() and path.stat().st_size == entry["bytes"] > 1000
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
        assert entry["words"] > 300
    assert manifest["tools"]["weasyprint"] and manifest["tools"]["pandoc"]


@pytest.mark.parametrize("brief", sorted(SPECS))
def test_pdf_fits_and_says_what_it_must(built, manifest, brief):
    spec = SPECS[brief].spec
    pdf = files_of(built, brief)["pdf"]
    pages = pdf_pages(pdf)
    assert pages <= spec.max_pages
    assert next(f["pages"] for f in manifest["files"] if f["brief"] == brief and f["format"] == "pdf") == pages
    text = squash(pdf_text(pdf))
    chosen = select(SPECS[brief], CONTENT)
    for finding in chosen.findings:
        assert squash(finding.headline.get(spec.language)) in text, finding.id
    assert squash(spec.framing.bottom_line)[:80] in text
    assert spec.title in text
    assert CONTENT.study.evidence_date.get(spec.language) in text
    assert CONTENT.study.handle_url in text
    assert re.search(rf"(Page|Página) 1 (of|de) {pages}", text)
    # The bottom line comes before any other section heading.
    first_heading = {"en": "The bottom line", "es": "En síntesis"}[spec.language]
    assert text.index(first_heading.upper()) < min(
        text.find(h) for h in ("Key findings", "Hallazgos principales", "Recommendations", "The question") if h in text
    )


def test_spanish_brief_has_no_english_layout(built):
    text = squash(pdf_text(files_of(built, "mexico-es")["pdf"]))
    for english in ("Key findings", "Recommendations", "The bottom line", "Page 1", "Prepared for", "About this brief", "Evidence as of"):
        assert english.lower() not in text.lower(), english
    for spanish in ("Hallazgos principales", "Recomendaciones", "Página 1 de 2", "Evidencia a marzo de 2010"):
        assert spanish in text


@pytest.mark.parametrize("brief", sorted(SPECS))
def test_docx_structure(built, brief):
    spec = SPECS[brief].spec
    path = files_of(built, brief)["docx"]
    doc = Document(str(path))
    styles = [p.style.name for p in doc.paragraphs]
    assert "Title" in styles and "Heading 1" in styles
    assert doc.core_properties.title == spec.title
    assert doc.core_properties.language.lower().startswith(spec.language)
    with zipfile.ZipFile(path) as archive:
        document_xml = archive.read("word/document.xml").decode("utf-8")
        footnotes = archive.read("word/footnotes.xml").decode("utf-8") if "word/footnotes.xml" in archive.namelist() else ""
    assert "<w:footnoteReference" in document_xml
    assert "Thesis" in footnotes or "Tesis" in footnotes or brief == "research"
    if "chart" in spec.sections:
        alts = re.findall(r'<wp:docPr [^>]*descr="([^"]+)"', document_xml)
        assert (alts and "0–4 scale" in alts[0]) or "0 a 4" in alts[0]
    if "junctures" in spec.sections or "key_figures" in spec.sections:
        assert doc.tables, "expected a table"
    text = docx_text(path)
    for finding in select(SPECS[brief], CONTENT).findings:
        assert finding.headline.get(spec.language) in text


@pytest.mark.parametrize("brief", sorted(SPECS))
def test_html_is_standalone_and_labelled(built, brief):
    spec = SPECS[brief].spec
    path = files_of(built, brief)["html"]
    html = path.read_text(encoding="utf-8")
    assert f'<html lang="{spec.language}">' in html
    assert not re.search(r'(src|href)="(?!data:|https?://|#)', html), "the web version must not point at local files"
    assert "{{" not in html and "{%" not in html
    assert spec.title in html_text(path)


def test_logs_have_no_renderer_warnings(built):
    logs = sorted((built.parent / "logs" / STUDY).rglob("*.log"))
    assert any(log.parent.name == "render" for log in logs), "no render job logs: nothing was checked"
    for log in logs:
        text = log.read_text(encoding="utf-8")
        assert "WARNING" not in text and "ERROR" not in text and "Traceback" not in text, log


def test_two_builds_are_byte_identical(built, manifest, tmp_path):
    again = copy_project(tmp_path / "project")
    done = run_workflow(again)
    assert done.returncode == 0, done.stderr[-3000:]
    second = json.loads((again / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))

    def everything(m: dict) -> dict[str, str]:
        items = m["files"] + m["published"] + m["bundles"] + m["drafts"] + [m["catalogue"]]
        return {item["path"]: item["sha256"] for item in items}

    assert everything(second) == everything(manifest)
    assert len(everything(manifest)) >= 18 + 18 + 6 + 8 + 1
    for chart in ("en/cooperation.svg", "en/cooperation.png", "es/cooperation.svg", "es/cooperation.png"):
        first_bytes = (built / "build" / "charts" / chart).read_bytes()
        assert (again / "output" / STUDY / "build" / "charts" / chart).read_bytes() == first_bytes, chart


def _planned(project: Path) -> list[str]:
    """Jobs a dry run would start, as 'rule' or 'rule:brief' (the study is always the shipped one here)."""
    done = run_workflow(project, "--dry-run")
    assert done.returncode == 0, done.stderr[-2000:]
    jobs, rule = [], None
    for line in done.stdout.splitlines():
        if line.startswith(("rule ", "localrule ")):
            rule = line.split()[1].rstrip(":")
            jobs.append(rule)
        elif line.strip().startswith("wildcards:") and rule:
            values = dict(pair.split("=", 1) for pair in line.split(":", 1)[1].strip().split(", "))
            assert values.pop("study") == STUDY
            if values:
                jobs[-1] = f"{rule}:{'/'.join(values.values())}"
    return sorted(j for j in jobs if j != "all")


def test_edits_rebuild_only_what_depends_on_them(fresh):
    assert _planned(fresh) == []
    spec = fresh / "briefs" / "press.yaml"
    original = spec.read_text(encoding="utf-8")
    spec.write_text(original + "# edited\n", encoding="utf-8")
    assert _planned(fresh) == ["check_inputs", "distribute", "library", "qa_report", "render:press"]
    spec.write_text(original, encoding="utf-8")
    # The template editors' guide is documentation, not an input: editing it rebuilds nothing.
    guide = fresh / "templates" / "README.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    assert _planned(fresh) == []
    css = fresh / "templates" / "brief.css"
    original = css.read_text(encoding="utf-8")
    css.write_text(original + "/* edited */\n", encoding="utf-8")
    every = sorted(SPECS)
    assert _planned(fresh) == ["distribute", "library", "qa_report"] + [f"render:{b}" for b in every]
    css.write_text(original, encoding="utf-8")
    # The brand reaches every format: the brand check, the chart and the reference document run
    # again, and every brief after them.
    brand = fresh / "templates" / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert _planned(fresh) == (["brand", "chart", "distribute", "library", "qa_report", "reference_docx"]
                               + [f"render:{b}" for b in every])
