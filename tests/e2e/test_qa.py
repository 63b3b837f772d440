"""Each quality gate catches a deliberately broken brief, with a message naming brief, measure, limit and value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policybrief.distribute.pipeline import quality_gate
from policybrief.content.loading import load_content
from policybrief.qa.gates import check_brief, thesis_years
from policybrief.render.pipeline import Paths, build_brief
from policybrief.spec.specs import load_spec

from ..conftest import ROOT, SOURCE

pytestmark = pytest.mark.e2e


def render_and_check(tmp_path: Path, built: Path, brief: str, edit) -> list[str]:
    for folder in ("data", "briefs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    edit(tmp_path)
    paths = Paths(tmp_path / "data", tmp_path / "briefs", tmp_path / "templates", built / "build" / "charts", built.parent / "build" / "reference.docx")
    out = tmp_path / "out"
    record = build_brief(brief, paths, out, out / f"{brief}.build.json", 1267401600)
    files = {fmt: out / f"{brief}.{fmt}" for fmt in ("pdf", "docx", "html")}
    report = check_brief(load_spec(tmp_path / "briefs" / f"{brief}.yaml"), load_content(tmp_path / "data"), record, files,
                         tmp_path / "templates", thesis_years(SOURCE))
    return [m.message for m in report.failures]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_briefs_pass_every_gate(built):
    for result in sorted((built / "briefs").glob("*/*.qa.json")):
        data = json.loads(result.read_text(encoding="utf-8"))
        assert data["status"] == "pass", [m["message"] for m in data["measures"] if not m["passed"]]
    assert (built / "qa.html").is_file()


def test_length_gate(tmp_path, built):
    failures = render_and_check(tmp_path, built, "research", lambda d: replace(d / "briefs/research.yaml", "max_pages: 6", "max_pages: 1"))
    assert any("brief 'research': length / pdf pages: limit <= 1, found 6" in m for m in failures), failures


def test_language_gate_finds_english_in_the_spanish_brief(tmp_path, built):
    edit = lambda d: replace(d / "data/findings.yaml", "    es: Socios comerciales cercanos, fuerzas armadas distantes",  # noqa: E731
                             "    es: Close trading partners and the armed forces that stay distant from each other")
    failures = render_and_check(tmp_path, built, "mexico-es", edit)
    assert any("brief 'mexico-es': language / records left in English" in m and "f-partner-not-ally" in m for m in failures), failures


def test_fidelity_gate_finds_a_number_not_in_the_data(tmp_path, built):
    edit = lambda d: replace(d / "briefs/press.yaml", "grudges or a lack of shared dangers.", "grudges or 42 shared dangers.")  # noqa: E731
    failures = render_and_check(tmp_path, built, "press", edit)
    assert any("brief 'press': fidelity / numbers traced to data" in m and "42 in" in m for m in failures), failures


def test_structure_gate_finds_a_dropped_section(tmp_path, built):
    failures = render_and_check(tmp_path, built, "congress", lambda d: (d / "templates/sections/caveat.html.j2").write_text(""))
    assert any("brief 'congress': structure / section 'caveat'" in m for m in failures), failures


def test_gate_stops_the_build_only_in_fail_mode(tmp_path, capsys):
    results = []
    for brief, status in (("press", "fail"), ("congress", "pass")):
        results.append(tmp_path / f"{brief}.qa.json")
        results[-1].write_text(json.dumps({"brief": brief, "status": status}), encoding="utf-8")
    assert quality_gate(results, "fail", tmp_path) is False
    assert "quality gates failed for press" in capsys.readouterr().err
    assert not (tmp_path / "build" / "qa-passed.txt").exists()
    assert quality_gate(results, "warn", tmp_path) is True
    assert (tmp_path / "build" / "qa-passed.txt").read_text(encoding="utf-8") == "congress: pass\npress: fail\n"
