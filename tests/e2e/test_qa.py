"""Each quality gate catches a deliberately broken brief, with a message naming brief, measure, limit and value."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from policybrief.content.loading import load_content
from policybrief.distribute.pipeline import quality_gate
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
    edit = lambda d: replace(d / "data/findings.yaml", "      Promotions, retirements and appointments are the armed forces' own domain.",  # noqa: E731
                             "      Promotions, retirements and 42 appointments are the armed forces' own domain.")
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


def test_modality_gate_finds_a_firmer_verb_than_the_thesis_uses(tmp_path, built):
    # The thesis "argues" f-no-counterparts (after Deare); printing "proves" overstates it.
    edit = lambda d: replace(d / "data/findings.yaml", "      Mexico's defense establishment is supervised by the military itself.",  # noqa: E731
                             "      The thesis proves that Mexico's defense establishment is supervised by the military itself.")
    failures = render_and_check(tmp_path, built, "defense", edit)
    assert any("modality / verbs no firmer than the records" in m and "'proves' in f-no-counterparts statement" in m for m in failures), failures


def test_spelling_gate_finds_british_spelling_in_a_us_brief(tmp_path, built):
    edit = lambda d: replace(d / "data/findings.yaml", "      Promotions, retirements and appointments are the armed forces' own domain.",  # noqa: E731
                             "      Promotions, retirements and appointments are the defence forces' own domain.")
    failures = render_and_check(tmp_path, built, "press", edit)
    assert any("spelling / words not in en_US" in m and "defence (→ defense)" in m for m in failures), failures


def test_terminology_gate_finds_a_wrong_official_name(tmp_path, built):
    edit = lambda d: replace(d / "briefs/press.yaml", "Even the\n    Merida Initiative,", "Even the\n    Merida Plan,")  # noqa: E731
    failures = render_and_check(tmp_path, built, "press", edit)
    assert any("terminology / official names in pdf" in m and "'Merida Plan' (use 'Merida Initiative')" in m for m in failures), failures


def test_a_spanish_brief_must_say_why_it_leaves_out_what_its_counterparts_print(tmp_path, built):
    edit = lambda d: replace(d / "briefs/mexico-es.yaml", "  r-secretary-level: >-", "  r-other: >-")  # noqa: E731
    failures = render_and_check(tmp_path, built, "mexico-es", edit)
    assert any("coverage / records the counterparts print" in m and "r-secretary-level (in defense: no reason given)" in m
               for m in failures), failures


def test_every_brief_has_a_fact_check_sheet_that_backs_each_claim(built, manifest):
    thesis = (built / "thesis.html").read_text(encoding="utf-8")
    for brief in sorted({f["brief"] for f in manifest["files"]}):
        sheet = json.loads((built / "briefs" / brief / f"{brief}.factcheck.json").read_text(encoding="utf-8"))
        rows = sheet["rows"]
        claims = [r for r in rows if r["kind"] == "claim"]
        assert claims and all(r["evidence"] for r in claims), brief
        assert sheet["unbacked"] == sum(1 for r in rows if r["kind"] in ("claim", "framing") and not r["evidence"])
        for passage in (p for r in claims for p in r["evidence"]):
            assert passage["paragraph"] and f'id="p-{passage["paragraph"]}"' in thesis
        assert (built / "briefs" / brief / f"{brief}.factcheck.pdf").read_bytes().startswith(b"%PDF")
        html = (built / "briefs" / brief / f"{brief}.factcheck.html").read_text(encoding="utf-8")
        assert "../../thesis.html#p-" in html


def test_the_four_critical_misstatements_are_gone_from_every_format(built, manifest):
    from policybrief.qa.extract import extract, squash

    for entry in manifest["files"]:
        text = squash(extract(built / entry["path"]) if not entry["path"].startswith("published") else extract(built / entry["path"]))
        assert "military cooperation did not" not in text, entry["path"]
        assert "declared war on 2 June 1942" not in text and "declaró la guerra el 2 de junio" not in text, entry["path"]
        assert "Congress has never changed" not in text, entry["path"]
        assert not re.search(r"ch\. III\.[A-C][^.]*citing (Jesús )?Heredia", text), entry["path"]
