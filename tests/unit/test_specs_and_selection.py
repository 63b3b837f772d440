"""Brief specs: validation messages and the selection rules (what is in, what is out and why)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.core.problems import InputError
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT

CONTENT = load_content(DATA)


@pytest.fixture
def briefs_copy(tmp_path: Path) -> Path:
    target = tmp_path / "briefs"
    shutil.copytree(ROOT / "briefs", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN_SPECS = [
    ("congress.yaml", "sections: [bottom_line, key_figures", "sections: [key_figures, bottom_line",
     ["congress.yaml", "sections", "must start with bottom_line"]),
    ("congress.yaml", "max_pages: 2", "max_pages: two", ["congress.yaml:", "max_pages", "integer"]),
    ("congress.yaml", "language: en", "language: fr", ["language", "'en' or 'es'"]),
    ("congress.yaml", "id: congress", "id: congres", ["id", "must match the file name 'congress'"]),
    ("congress.yaml", "sections: [bottom_line, key_figures, recommendations", "sections: [bottom_line, key_figures, appendix, recommendations",
     ["sections.2", "appendix"]),
    ("congress.yaml", "    tags: []", "    tags: [congres]", ["congress.yaml:", "select.findings.tags", "unknown tag 'congres'"]),
    ("congress.yaml", "    include: [export-share-mexico,", "    include: [export-share-mexic,", ["select.figures.include", "unknown figure 'export-share-mexic'"]),
    ("press.yaml", "    include: [f-partner-not-ally, f-autonomy, f-merida-equipment]", "    include: []\n    max_priority: 1\n    exclude: [f-partner-not-ally, f-merida-equipment, f-segregation, f-autonomy, f-no-counterparts, f-mission-gap, f-assistance-not-partnership]",
     ["press.yaml", "select.findings", "the rules select no findings"]),
    ("congress.yaml", "formats: [pdf, docx, html]", "formats: []", ["formats", "at least 1 item"]),
    ("congress.yaml", "  kicker: Policy brief for Congress\n", "", ["framing.kicker", "required"]),
]


@pytest.mark.parametrize("name, old, new, expected", BROKEN_SPECS, ids=[str(i) for i in range(len(BROKEN_SPECS))])
def test_broken_spec_gets_clear_message(capsys, briefs_copy, name, old, new, expected):
    _edit(briefs_copy / name, old, new)
    code = main(["check-specs", "--data", str(DATA), "--briefs", str(briefs_copy)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in {err}"


def test_spanish_brief_refuses_untranslated_record(capsys, tmp_path, briefs_copy):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    _edit(data / "findings.yaml", "    es: Socios comerciales cercanos, fuerzas armadas distantes\n", "")
    spec = load_spec(briefs_copy / "mexico-es.yaml")
    # validate() already demands Spanish headlines; the brief-level guard is tested on its own too.
    content = load_content(DATA)
    finding = content.findings[0]
    content.findings[0] = finding.model_copy(update={"headline": finding.headline.model_copy(update={"es": None})})
    with pytest.raises(InputError) as caught:
        select(spec, content)
    assert "finding 'f-partner-not-ally' has no 'es' text for headline" in str(caught.value)
    assert main(["validate", "--data", str(data)]) == 1
    assert "headline.es" in capsys.readouterr().err


def test_selection_lists_every_excluded_record():
    spec = load_spec(ROOT / "briefs" / "congress.yaml")
    chosen = select(spec, CONTENT)
    for kind in ("findings", "recommendations", "figures"):
        chosen_ids = {r.id for r in getattr(chosen, kind)}
        excluded_ids = {e.id for e in chosen.excluded[kind]}
        all_ids = {r.id for r in getattr(CONTENT, kind)}
        assert chosen_ids | excluded_ids == all_ids and not chosen_ids & excluded_ids
    reasons = {e.id: e.reason for e in chosen.excluded["findings"]}
    assert "priority 2" in reasons["f-wwii-peak"]
    assert all(r == "not in the include list" or r.startswith("priority") for r in reasons.values())


def test_selection_orders_by_priority_and_actor():
    chosen = select(load_spec(ROOT / "briefs" / "congress.yaml"), CONTENT)
    assert [f.priority for f in chosen.findings] == sorted(f.priority for f in chosen.findings)
    recs = [r for r in chosen.recommendations if r.kind == "recommendation"]
    assert recs[0].actor == "us-congress"
    assert chosen.recommendations[-1].kind == "caveat"
    assert [f.id for f in chosen.figures] == ["export-share-mexico", "imet-funding-1998", "military-assistance-1998"]


def test_brief_without_a_section_selects_nothing_for_it():
    chosen = select(load_spec(ROOT / "briefs" / "press.yaml"), CONTENT)
    assert chosen.recommendations == [] and chosen.figures == []
    kinds = {r.id: r.kind for r in CONTENT.recommendations}
    for e in chosen.excluded["recommendations"]:
        assert f"no '{'caveat' if kinds[e.id] == 'caveat' else 'recommendations'}' section" in e.reason, e


def test_caveats_are_left_out_without_a_caveat_section(tmp_path):
    """A brief that prints recommendations but no caveat section does not select caveats it cannot print."""
    spec_path = ROOT / "briefs" / "congress.yaml"
    assert any(r.kind == "caveat" for r in select(load_spec(spec_path), CONTENT).recommendations)
    text = spec_path.read_text(encoding="utf-8")
    assert ", caveat, about]" in text
    (tmp_path / "congress.yaml").write_text(text.replace(", caveat, about]", ", about]"), encoding="utf-8")
    chosen = select(load_spec(tmp_path / "congress.yaml"), CONTENT)
    assert chosen.recommendations and all(r.kind == "recommendation" for r in chosen.recommendations)
    caveats = {r.id for r in CONTENT.recommendations if r.kind == "caveat"}
    left_out = {e.id: e.reason for e in chosen.excluded["recommendations"] if e.id in caveats}
    assert left_out and all(reason == "the brief has no 'caveat' section" for reason in left_out.values())
