"""The fidelity checks on the data and specs: evidence for every printed claim, passages where
their locators say, framing held to its records, declared topics covered, modality, spelling,
official names. Each case breaks one thing in a copy and expects the message that names it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.content.source import SourceText
from policybrief.qa.fidelity import firmest, misspelled, word_list

from ..conftest import DATA, ROOT, SOURCE


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@pytest.fixture
def briefs_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "briefs", tmp_path / "briefs")
    return tmp_path / "briefs"


def test_a_printed_claim_without_evidence_is_refused(capsys, data_copy):
    text = (data_copy / "findings.yaml").read_text(encoding="utf-8")
    start = text.index("  evidence:\n    headline:\n", text.index("- id: f-merida-equipment"))
    end = text.index("    statement:\n", start)
    (data_copy / "findings.yaml").write_text(text[:start] + "  evidence:\n" + text[end:], encoding="utf-8")
    code, err = _run(capsys, "validate", "--data", str(data_copy))
    assert code == 1
    assert "findings.yaml" in err and "f-merida-equipment" in err and "evidence.headline" in err and "needs evidence" in err


def test_a_passage_in_the_wrong_section_is_named_with_its_real_place(capsys, data_copy):
    # The first passage of f-partner-not-ally's headline stands in I.A; claim it is in III.B.
    _edit(data_copy / "findings.yaml", 'far from being military allies.", chapter: "I", section: "A"}',
          'far from being military allies.", chapter: "III", section: "B"}')
    code, err = _run(capsys, "verify", "--data", str(data_copy), "--source", str(SOURCE))
    assert code == 1
    assert "f-partner-not-ally" in err and "evidence.headline" in err and "is not in III.B but in" in err and "I.A" in err
    assert "findings.yaml:4" in err  # the line of the passage itself, not of the record


def test_a_footnote_not_attached_to_its_passage_is_refused(capsys, data_copy):
    text = (data_copy / "findings.yaml").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "footnote: " in line and "quote:" in line)
    number = old.rsplit("footnote: ", 1)[1].rstrip("}")
    _edit(data_copy / "findings.yaml", old, old.replace(f"footnote: {number}", "footnote: 3"))
    code, err = _run(capsys, "verify", "--data", str(data_copy), "--source", str(SOURCE))
    assert code == 1 and "footnote 3 is not attached to this passage" in err


def test_every_miss_is_reported_in_one_run(capsys, data_copy):
    _edit(data_copy / "findings.yaml", 'far from being military allies.", chapter: "I", section: "A"}',
          'far from being military partners.", chapter: "I", section: "A"}')
    _edit(data_copy / "recommendations.yaml", '        chapter: "IV"\n        section: "-"\n', '        chapter: "II"\n        section: "A"\n')
    code, err = _run(capsys, "verify", "--data", str(data_copy), "--source", str(SOURCE))
    assert code == 1
    assert "passage not found in the thesis text" in err and "recommendations.yaml" in err and "is not in II.A" in err


def test_source_sections_follow_the_headings_structure_names():
    content = load_content(DATA)
    source = SourceText.read(SOURCE, content.structure)
    wanted = {(c.id, None) for c in content.structure.chapters}
    wanted |= {(c.id, s.id) for c in content.structure.chapters for s in c.sections if s.heading}
    assert wanted <= source.headings_found
    chapters = {p.chapter for p in source.paragraphs if p.chapter}
    assert chapters == {c.id for c in content.structure.chapters}


def test_framing_may_not_print_a_number_its_records_do_not_carry(capsys, briefs_copy):
    _edit(briefs_copy / "press.yaml", "Mexico has become one", "Mexico, with 42 ports, has become one")
    code, err = _run(capsys, "check-specs", "--data", str(DATA), "--briefs", str(briefs_copy))
    assert code == 1 and "press.yaml" in err and "framing.bottom_line" in err and "prints 42" in err


def test_framing_may_not_name_a_programme_its_records_do_not_carry(capsys, briefs_copy):
    _edit(briefs_copy / "press.yaml", "Yet the two militaries rarely work together.",
          "Yet the two militaries rarely work together, even under SOUTHCOM.")
    code, err = _run(capsys, "check-specs", "--data", str(DATA), "--briefs", str(briefs_copy))
    assert code == 1 and "names SOUTHCOM" in err


def test_a_declared_topic_needs_a_selected_record(capsys, briefs_copy):
    _edit(briefs_copy / "press.yaml", "covers: [", "covers: [border, ")
    code, err = _run(capsys, "check-specs", "--data", str(DATA), "--briefs", str(briefs_copy))
    assert code == 1 and "promises to cover 'border' but selects no record with that tag" in err


def test_framing_may_not_promise_a_topic_it_does_not_cover(capsys, briefs_copy):
    _edit(briefs_copy / "press.yaml", "Yet the two militaries rarely work together.",
          "Yet the two militaries rarely work together, and sovereignty explains why.")
    code, err = _run(capsys, "check-specs", "--data", str(DATA), "--briefs", str(briefs_copy))
    assert code == 1 and "promises 'sovereignty'" in err


@pytest.mark.parametrize("text, lang, rank", [
    ("The thesis suggests that oversight may help.", "en", 3 - 2),
    ("The study shows that oversight helps.", "en", 3),
    ("The author argues that oversight helps.", "en", 2),
    ("La tesis sostiene que la supervisión ayuda.", "es", 2),
    ("El estudio demuestra que la supervisión ayuda.", "es", 3),
    ("Oversight helps.", "en", 0),
])
def test_modality_lexicon(text, lang, rank):
    assert firmest(text, lang)[0] == rank


def test_spelling_flags_british_forms_and_accepts_the_word_list():
    words = word_list(DATA)
    found = dict(misspelled("The defence programmes of neighbours authorise SEDENA and militaries.", "en_US", words))
    assert set(found) == {"defence", "programmes", "neighbours", "authorise"}
    assert found["defence"] == "defense"


def test_sign_off_records_the_reviewer_and_the_claims_it_saw(capsys, tmp_path, data_copy):
    from policybrief.core.files import write_json
    from policybrief.qa.review import load_reviews, status

    out = tmp_path / "out"
    write_json(out / "briefs" / "press" / "press.factcheck.json", {"claims_sha256": "a" * 64})
    assert not (DATA / "reviews.yaml").exists()  # no sign-off ships on anyone's behalf
    code, err = _run(capsys, "sign-off", "press", "--reviewer", 'Ana "Ruiz"\nde León', "--data", str(data_copy),
                     "--output", str(out))
    assert code == 0, err
    reviews = load_reviews(data_copy)
    assert [(r.brief, r.reviewer, r.claims_sha256) for r in reviews] == [("press", 'Ana "Ruiz" de León', "a" * 64)]
    assert status(reviews, "press", "a" * 64).reviewed
    changed = status(reviews, "press", "b" * 64)
    assert not changed.reviewed and changed.changed_since and "changed since Ana" in changed.label()
    assert status(reviews, "congress", "a" * 64).label() == "Not yet fact-checked"


def test_sign_off_needs_a_built_sheet(capsys, tmp_path, data_copy):
    code, err = _run(capsys, "sign-off", "press", "--reviewer", "Ana Ruiz", "--data", str(data_copy), "--output", str(tmp_path))
    assert code == 1 and "build the brief first" in err and not (data_copy / "reviews.yaml").exists()


def test_review_gate_marks_or_holds_back_what_nobody_signed_off():
    from policybrief.distribute.pipeline import apply_reviews
    from policybrief.distribute.publish import Brief, Plan
    from policybrief.qa.review import Review

    def plan() -> Plan:
        return Plan(briefs={b: Brief({"id": b, "claims_sha256": c}, {}, [], {}) for b, c in (("press", "a" * 64), ("state", "b" * 64))})

    reviews = [Review(brief="press", reviewer="Ana Ruiz", date="2026-12-01", claims_sha256="a" * 64),
               Review(brief="state", reviewer="Ana Ruiz", date="2026-11-30", claims_sha256="c" * 64)]
    warned = plan()
    apply_reviews(warned, reviews, "warn", {"press", "state"})
    assert warned.briefs["press"].record["review"]["label"] == "Fact-checked by Ana Ruiz on 2026-12-01"
    assert warned.briefs["state"].record["review"]["label"].startswith("Not yet fact-checked (changed since Ana Ruiz")
    required = plan()
    apply_reviews(required, reviews, "required", {"press", "state"})
    assert list(required.briefs) == ["press"] and required.held_back == ["state"]
    assert any("held back state: not yet fact-checked" in n for n in required.notes)
