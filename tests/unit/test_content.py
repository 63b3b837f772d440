"""The shipped data validates and verifies; broken data gets one clear message per problem."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.content.verify import normalise, verify

from ..conftest import DATA, SOURCE


def test_shipped_data_is_complete():
    content = load_content(DATA)
    assert len(content.findings) >= 8
    assert {r.id for r in content.recommendations if r.basis == "stated" and r.kind == "recommendation"} >= {
        "r-civilian-expertise", "r-merida-conditionality", "r-civil-society", "r-imet"}
    assert any(r.kind == "caveat" for r in content.recommendations)
    assert len(content.figures) >= 15
    assert {h.id for h in content.hypotheses} == {"h-threat", "h-interdependence", "h-civil-military"}
    assert [j.id for j in content.junctures.junctures] == ["wwii", "cold-war", "nafta", "post-911"]
    assert content.study.handle_url == "http://hdl.handle.net/10945/5446"
    frame = content.figures_frame()
    assert str(frame.loc["border-length", "number"]) == "1954"
    assert str(frame.loc["nafta-rules-of-origin", "number"]) == "62.5"


def test_shipped_data_verifies_against_thesis():
    content = load_content(DATA)
    assert verify(content, SOURCE) == []


def test_normalise_folds_conversion_noise():
    assert normalise("“Hello”\u2014world <sup>12</sup>  again \\$9") == normalise('"Hello"-world again $9')


def _run(capsys, data: Path, *extra: str) -> tuple[int, str]:
    """Validate, and prove the run changed no input file, whatever it found."""
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    code = main(["validate", "--data", str(data), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    return code, captured.err


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# (file, old, new, expected fragments of the message)
BROKEN = [
    ("findings.yaml", "  priority: 1\n", "  priority: high\n", ["findings.yaml:", "f-partner-not-ally", "priority", "integer"]),
    ("findings.yaml", "  tags: [economy, defense, congress, diplomacy]", "  tags: [economy, defence]",
     ["f-partner-not-ally", "tags", "unknown tag 'defence'"]),
    ("findings.yaml", "  juncture: wwii\n", "  juncture: ww2\n", ["f-wwii-peak", "juncture", "unknown juncture 'ww2'"]),
    ("findings.yaml", "  priority: 2\n", "  priority: 2\n  colour: red\n", ["colour", "not a known field"]),
    ("findings.yaml", "- id: f-wwii-peak", "- id: f-partner-not-ally", ["duplicate id 'f-partner-not-ally'"]),
    ("findings.yaml", "  priority: 1\n", "  priority: 1\n  priority: 2\n", ["findings.yaml:", "priority", "duplicate key"]),
    ("findings.yaml", "    es: Socios comerciales cercanos, fuerzas armadas distantes\n", "",
     ["f-partner-not-ally", "headline.es", "Spanish text is required"]),
    ("findings.yaml", "    en: Close trading partners, distant militaries", "    en: true",
     ["f-partner-not-ally", "headline.en", "boolean", "quotes"]),
    ("findings.yaml", "  locator: {chapter: \"II\", section: \"A\", pages: \"11-16\", footnote: 38}",
     "  locator: {chapter: \"II\", section: \"Z\", pages: \"11-16\", footnote: 38}", ["f-wwii-peak", "locator.section", "section 'Z'"]),
    ("findings.yaml", "  locator: {chapter: \"II\", section: \"A\", pages: \"11-16\", footnote: 38}",
     "  locator: {chapter: \"II\", section: \"A\", pages: \"40-41\", footnote: 38}", ["f-wwii-peak", "locator.pages", "outside section A"]),
    ("findings.yaml", "  anchor: \"nationalism is not an obstacle to bilateral cooperation\"",
     "  anchor: \"nationalism is not an obstacle to bilateral cooperation between two very different neighbours at all\"",
     ["f-nationalism-insufficient", "anchor", "at most 12 words"]),
    ("findings.yaml", "    - {ref: paz1997, locator: \"5\"}", "    - {ref: paz1998, locator: \"5\"}",
     ["f-wwii-peak", "sources.ref", "unknown reference 'paz1998'"]),
    ("findings.yaml", "  priority: 1\n", "  priority: &p 1\n", ["findings.yaml:", "anchors (&name) are not allowed"]),
    ("findings.yaml", "  priority: 1\n", "  priority: !!python/object:os.system 1\n", ["explicit YAML tags"]),
    ("findings.yaml", "    en: Close trading partners, distant militaries", "    en: \"Close\u200b partners\"",
     ["headline.en", "U+200B"]),
    ("findings.yaml", "    en: Close trading partners, distant militaries", "    en: " + "x" * 80,
     ["headline.en", "80-character word"]),
    ("recommendations.yaml", "  actor: us-congress\n", "  actor: congress-us\n", ["r-merida-conditionality", "actor", "unknown actor"]),
    ("recommendations.yaml", "  rests_on: [f-autonomy]\n", "  rests_on: [f-autonomyy]\n", ["r-legislative-oversight", "rests_on", "unknown finding"]),
    ("recommendations.yaml", "  horizon: short\n", "  horizon: soon\n", ["r-secretary-level", "horizon", "'short', 'medium' or 'long'"]),
    ("recommendations.yaml", "  basis: derived\n", "  basis: 1.10\n", ["basis", "1.1"]),
    ("junctures.yaml", "military_cooperation: 4}", "military_cooperation: 7}", ["junctures.yaml:", "wwii", "ratings.military_cooperation", "less than or equal to 4"]),
    ("junctures.yaml", "military_cooperation: 4}", "military_cooperations: 4}",
     ["wwii", "ratings", "no rating for military_cooperation", "undeclared dimensions military_cooperations"]),
    ("junctures.yaml", "  - id: common_threat\n", "  - id: common-threat\n", ["junctures.yaml:", "record 'common-threat', field 'id'", "does not match"]),
    ("junctures.yaml", "  - id: common_threat\n", "  - id: military_cooperation\n", ["dimension 'military_cooperation' is declared twice"]),
    ("junctures.yaml", "    years: \"1941-1945\"", "    years: 1941", ["wwii", "years", "integer 1941"]),
    ("study.yaml", "handle_url: http://hdl.handle.net/10945/5446", "handle_url: javascript:alert(1)", ["study.yaml:", "handle_url"]),
    ("study.yaml", "pages: 69", "pages: 0069", ["study.yaml:", "pages", "'0069'"]),
    ("figures.csv", ",1954,miles,", ",1954,furlongs,", ["figures.csv:2", "border-length", "unit"]),
    ("figures.csv", ",1954,miles,", ",007,miles,", ["figures.csv:2", "border-length", "leading zero"]),
    ("figures.csv", ",1954,miles,", ",NA,miles,", ["figures.csv:2", "value", "'NA'"]),
    ("figures.csv", ",ibwc,", ",nobody,", ["figures.csv:2", "source", "unknown reference 'nobody'"]),
    ("figures.csv", "border-crossing-points,Border crossing points,Puntos de cruce fronterizo,50,count,,c. 2008,I,B,1-4,3,",
     "border-crossing-points,Border crossing points,Puntos de cruce fronterizo,50,count,,c. 2008,I,B,1-4,3,extra,", ["figures.csv:3", "cells"]),
    ("references.json", '"id": "paz1997"', '"id": "Paz 1997"', ["references.json", "lower-case id"]),
    ("references.json", '"id": "paz1997"', '"id": "baldwin1993"', ["references.json", "duplicate reference id"]),
    ("references.json", '[\n {', '[\n {,', ["references.json:2", "invalid JSON"]),
    ("findings.yaml", "    en: Close trading partners, distant militaries", "    en: \"Close \u202epartners\"",
     ["headline.en", "U+202E"]),
    ("findings.yaml", "    en: Close trading partners, distant militaries", "    en: \"\"", ["headline.en", "is empty"]),
    ("figures.csv", ",1954,miles,", ',"19\n54",miles,', ["figures.csv:2", "line break"]),
    ("study.yaml", "date: \"2010-03\"", "date: 2010-03-01", ["study.yaml:", "date"]),
    ("hypotheses.yaml", "  verdict: supported", "  verdict: proven", ["h-civil-military", "verdict"]),
    ("structure.yaml", '      - {id: "A", heading: "A. SEGREGATED DEFENSE POLICY", title: Segregated Defense Policy, pages: "33-38"}', "", ["findings.yaml", "section 'A' is not in chapter III"]),
]


@pytest.mark.parametrize("name, old, new, expected", BROKEN, ids=[f"{b[0]}:{i}" for i, b in enumerate(BROKEN)])
def test_broken_data_gets_clear_message(capsys, data_copy, name, old, new, expected):
    _edit(data_copy / name, old, new)
    code, err = _run(capsys, data_copy)
    assert code == 1
    for fragment in expected:
        assert fragment in err, f"{fragment!r} missing from:\n{err}"


def test_every_problem_reported_in_one_run(capsys, data_copy):
    _edit(data_copy / "findings.yaml", "  tags: [economy, defense, congress, diplomacy]", "  tags: [economy, defence]")
    _edit(data_copy / "recommendations.yaml", "  actor: us-congress\n", "  actor: congress-us\n")
    _edit(data_copy / "figures.csv", ",ibwc,", ",nobody,")
    code, err = _run(capsys, data_copy)
    assert code == 1
    assert "3 problems found" in err


@pytest.mark.parametrize("content, expected", [
    (b"", "file is empty"),
    (b"\xef\xbb\xbfid: x\n", "byte-order mark"),
    ("id: caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
    (b"- [unclosed\n", "invalid YAML"),
])
def test_unreadable_files(capsys, data_copy, content, expected):
    (data_copy / "study.yaml").write_bytes(content)
    code, err = _run(capsys, data_copy)
    assert code == 1 and "study.yaml" in err and expected in err


def test_crlf_line_endings_are_accepted(data_copy):
    path = data_copy / "findings.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert len(load_content(data_copy).findings) == 13


def test_missing_file(capsys, data_copy):
    (data_copy / "junctures.yaml").unlink()
    code, err = _run(capsys, data_copy)
    assert code == 1 and "junctures.yaml: file is missing" in err


def test_alias_bomb_is_refused(capsys, data_copy):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    (data_copy / "vocabulary.yaml").write_text(bomb, encoding="utf-8")
    code, err = _run(capsys, data_copy)
    assert code == 1 and "vocabulary.yaml:1" in err and "not allowed" in err


def test_verify_reports_every_miss(capsys, data_copy):
    _edit(data_copy / "findings.yaml", "  anchor: \"They have no civilian counterparts in Mexico\"",
          "  anchor: \"They have plenty of civilian counterparts in Mexico\"")
    _edit(data_copy / "figures.csv", "approximately 138.6 million in 2008", "approximately 138.9 million in 2008")
    code = main(["verify", "--data", str(data_copy), "--source", str(SOURCE)])
    err = capsys.readouterr().err
    assert code == 1
    assert "f-no-counterparts" in err and "anchor not found" in err
    assert "border-crossings-2008" in err and "value 138.6 does not appear" in err
    # The edited figure anchor is no longer in the thesis, nor in the figure's passage.
    assert "4 problems found" in err and "the passage does not contain the anchor" in err


def test_yaml_coercion_traps_stay_text(data_copy):
    _edit(data_copy / "findings.yaml", "    en: Close trading partners, distant militaries", "    en: NO")
    _edit(data_copy / "findings.yaml", "    en: The Second World War was the high point, and it had limits", "    en: 007")
    _edit(data_copy / "findings.yaml", "    en: Shared threats did not keep the alliance alive", "    en: 2010-03-01")
    findings = load_content(data_copy).findings
    assert [f.headline.en for f in findings[:3]] == ["NO", "007", "2010-03-01"]


def test_verify_needs_an_existing_source(capsys, tmp_path):
    code = main(["verify", "--data", str(DATA), "--source", str(tmp_path / "missing.md")])
    assert code == 1 and "does not exist" in capsys.readouterr().err


def _digest(folder: Path) -> dict[str, tuple[str, float]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in sorted(folder.iterdir())}


def test_data_files_are_only_read(data_copy):
    before = _digest(data_copy)
    modes = {p: p.stat().st_mode for p in data_copy.iterdir()}
    try:
        for p in data_copy.iterdir():
            os.chmod(p, stat.S_IRUSR)
        os.chmod(data_copy, stat.S_IRUSR | stat.S_IXUSR)
        content = load_content(data_copy)
        verify(content, SOURCE)
    finally:
        os.chmod(data_copy, stat.S_IRWXU)
        for p, mode in modes.items():
            os.chmod(p, mode)
    assert _digest(data_copy) == before
