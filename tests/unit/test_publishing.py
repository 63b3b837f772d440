"""Publishing pieces that need no build: the edition switch, brand contrast, the placeholder gate,
reading levels in words, SMTP settings and the sending log."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.core.problems import InputError
from policybrief.distribute import edition
from policybrief.distribute.catalogue import reading_level_words
from policybrief.distribute.smtp import read_log, read_settings
from policybrief.qa.accessibility import check_brand_contrast, contrast_failures
from policybrief.qa.gates import Report, placeholder_gate

from ..conftest import ROOT

# --- the edition switch -------------------------------------------------------------------------

def fake_edition(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict]:
    """An edition's files and a manifest listing them (every path under published/)."""
    import hashlib

    listed = [{"brief": "b", "format": p.rsplit(".", 1)[1], "path": p, "sha256": hashlib.sha256(d).hexdigest()} for p, d in files.items()]
    manifest = {"briefs": [], "published": listed, "bundles": [], "drafts": [], "site": []}
    return {**files, "manifest.json": json.dumps(manifest).encode()}, manifest


def publish(study: Path, files: dict[str, bytes]) -> tuple[Path, list[str]]:
    content, _ = fake_edition(files)
    staging = edition.new_staging(study)
    for path, data in content.items():
        (staging / path).parent.mkdir(parents=True, exist_ok=True)
        (staging / path).write_bytes(data)
    import hashlib

    return edition.commit(study, staging, hashlib.sha256(content["manifest.json"]).hexdigest()[:12])


def test_an_edition_switches_in_whole_and_the_stable_paths_follow(tmp_path):
    study = tmp_path / "study"
    first, _ = publish(study, {"published/b/b.pdf": b"one", "published/b/b.docx": b"one"})
    assert (study / "published" / "b" / "b.pdf").read_bytes() == b"one"
    assert os.readlink(study / "current") == f"editions/{first.name}"
    second, _ = publish(study, {"published/b/b.pdf": b"two"})
    assert (study / "published" / "b" / "b.pdf").read_bytes() == b"two"
    assert not (study / "published" / "b" / "b.docx").exists()
    assert json.loads((study / "manifest.json").read_text())["published"][0]["path"] == "published/b/b.pdf"
    third, _ = publish(study, {"published/b/b.pdf": b"three"})
    kept = sorted(p.name for p in (study / "editions").iterdir())
    assert kept == sorted([second.name, third.name])  # the current edition and the one before it


def test_the_same_content_repairs_the_current_edition_in_place(tmp_path):
    study = tmp_path / "study"
    made, _ = publish(study, {"published/b/b.pdf": b"one", "published/b/b.html": b"<p>"})
    _, manifest = fake_edition({"published/b/b.pdf": b"one", "published/b/b.html": b"<p>"})
    (study / "published" / "b" / "b.pdf").write_bytes(b"corrupt")
    (study / "published" / "b" / "b.html").unlink()
    (study / "published" / "b" / "planted.eml").write_bytes(b"Bcc: x@example.org")
    assert edition.damage(made, manifest) == ["published/b/b.html (missing)", "published/b/b.pdf (changed)",
                                              "published/b/planted.eml (not in the manifest)"]
    assert edition.published_state(study, tmp_path / "stamp").startswith("damaged: ")
    again, repaired = publish(study, {"published/b/b.pdf": b"one", "published/b/b.html": b"<p>"})
    assert again == made and sorted(repaired) == ["published/b/b.html", "published/b/b.pdf", "published/b/planted.eml (removed)"]
    assert edition.damage(made, manifest) == [] and edition.published_state(study, tmp_path / "stamp") == "ok"


def test_a_folder_in_place_of_a_link_is_moved_aside(tmp_path):
    """Output made before editions had real folders under the stable names."""
    study = tmp_path / "study"
    (study / "published" / "old").mkdir(parents=True)
    (study / "published" / "old" / "old.pdf").write_bytes(b"old")
    (study / "mail" / "old").mkdir(parents=True)
    (study / "mail" / "sent.jsonl").write_text("", encoding="utf-8")
    publish(study, {"published/b/b.pdf": b"new"})
    assert (study / "published").is_symlink() and sorted(p.name for p in (study / "published").iterdir()) == ["b"]
    assert sorted(p.name for p in (study / "mail").iterdir()) == ["sent.jsonl"]  # the log stays; old drafts go


def test_published_folders_follow_the_umask(tmp_path):
    study = tmp_path / "study"
    old = os.umask(0o027)
    try:
        made, _ = publish(study, {"published/b/b.pdf": b"x"})
    finally:
        os.umask(old)
    assert (made.stat().st_mode & 0o777, (made / "published").stat().st_mode & 0o777) == (0o750, 0o750)


# --- brand contrast (item 12) -----------------------------------------------------------------

def test_contrast_failures_name_the_colour_and_the_background():
    failures = contrast_failures({"colors.primary": "#9FE2BF", "colors.text": "#1F2328"}, {"colors.series[0]": "#FFD500"},
                                 {"white": "#FFFFFF", "the tint": "#EEF2F7"})
    names = [name for name, _message in failures]
    assert names == ["colors.primary", "colors.primary", "colors.series[0]", "colors.series[0]"]
    assert "4.5:1" in failures[0][1] and "on white" in failures[0][1] and "3.0:1 for chart marks" in failures[2][1]


def test_the_shipped_brand_passes_and_a_pale_primary_fails_make_check(tmp_path, capsys):
    check_brand_contrast(ROOT / "templates")
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    brand = templates / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('  primary: navy', '  primary: "#9FE2BF"'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_brand_contrast(templates)
    assert "colors.primary" in str(caught.value) and "#9FE2BF on white" in str(caught.value)
    code = main(["check", "--data", str(ROOT / "data"), "--briefs", str(ROOT / "briefs"), "--templates", str(templates),
                 "--source", str(ROOT.parent / "shared" / "seed" / "thesis-garza-2010.md")])
    assert code == 1 and "_brand.yml" in capsys.readouterr().err


# --- placeholders (item 7) --------------------------------------------------------------------

class Texts:
    def __init__(self, text: str):
        self.texts = {"pdf": text, "docx": text, "html": text}


@pytest.mark.parametrize("text, found", [
    ("Untitled brief. Write the bottom line for this audience here: two to four sentences.", "Untitled brief, Write the bottom line"),
    ("Costs are TBD and the TODO list grows.", "TBD, TODO"),
    ("lorem ipsum dolor sit amet", "lorem ipsum"),
    ("See table XXX.", "XXX"),
])
def test_placeholder_gate_fails_in_every_format(text, found):
    report = Report("b", "en")
    placeholder_gate(report, Texts(text))
    assert [m.measure for m in report.failures] == ["placeholder text in pdf", "placeholder text in docx", "placeholder text in html"]
    assert {m.value for m in report.failures} == {found}


def test_placeholder_gate_leaves_real_prose_alone():
    report = Report("b", "es")
    placeholder_gate(report, Texts("Todo el comercio creció; la cooperación militar, no. Tbd. xxx."))
    assert report.failures == []


def test_every_scaffold_text_is_a_placeholder(tmp_path, monkeypatch):
    """What `new-brief` writes for the author to replace is caught wherever the brief shows it."""
    import yaml

    from policybrief.edit.scaffold import new_brief
    from policybrief.qa.gates import PLACEHOLDER

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # take every default, as a script would
    path = new_brief(str(tmp_path), str(ROOT / "data"), id="draft", audience="Policy staff", language="en", pages=2,
                     tags="economy")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    shown = {"title": spec["title"], "subtitle": spec["subtitle"], "decides": spec["audience"]["decides"],
             "bottom line": spec["framing"]["bottom_line"]}
    assert {name: text for name, text in shown.items() if not PLACEHOLDER.search(text)} == {}


# --- reading level in words (item 13) ---------------------------------------------------------

@pytest.mark.parametrize("index, value, words", [
    ("flesch-kincaid-grade", 12.6, "grade 13 (Flesch–Kincaid)"),
    ("fernandez-huerta", 50.6, "Fernández-Huerta 51: fairly difficult"),
    ("fernandez-huerta", 72, "Fernández-Huerta 72: fairly easy"),
    ("szigriszt-pazos", 48.2, "Szigriszt-Pazos 48: somewhat difficult"),
])
def test_reading_level_in_words(index, value, words):
    assert reading_level_words(index, value) == words


RECORD = {"id": "x", "title": "T", "subtitle": "S", "audience": {"name": "A", "detail": "D", "decides": "E"}, "language": "en",
          "formats": ["pdf"], "max_pages": 1, "bottom_line": "B", "date": "2010-03-01",
          "qa": {"path": "published/x/x.qa.json", "sha256": "0" * 64, "status": "pass", "pages": 1, "words": 300,
                 "reading_level": 10.4, "reading_index": "flesch-kincaid-grade"}}


def test_catalogue_has_open_graph_tags_only_with_a_public_url():
    from policybrief.distribute.catalogue import card, render_catalogue, web_brand

    published = [{"brief": "x", "format": "pdf", "path": "published/x/x.pdf", "bytes": 2048, "sha256": "0" * 64}]
    cards = [card(RECORD, published, {"path": "catalogue/x.png", "width": 360, "height": 466})]
    brand, _assets = web_brand(ROOT / "templates")
    study = {"title": "A thesis", "citation": "A. Author, A thesis (2010)", "evidence_date": "Evidence as of March 2010"}
    without = render_catalogue(ROOT / "templates", cards, brand, study, "T", "")
    with_url = render_catalogue(ROOT / "templates", cards, brand, study, "T", "https://briefs.example.org/")
    assert "og:" not in without
    assert '<meta property="og:image" content="https://briefs.example.org/catalogue/x.png">' in with_url
    assert "grade 10 (Flesch–Kincaid)" in without and '<time datetime="2010-03-01">March 2010</time>' in without


# --- SMTP settings and the sending log (items 10, 11) -----------------------------------------

@pytest.mark.parametrize("setting, value, named", [
    ("SMTP_SECURITY", "tls", "SMTP_SECURITY"), ("SMTP_SECURITY", "STARTTLS", "SMTP_SECURITY"),
    ("SMTP_SECURITY", "starttls ", "SMTP_SECURITY"), ("SMTP_PORT", "abc", "SMTP_PORT"), ("SMTP_PORT", "70000", "SMTP_PORT"),
    ("SMTP_HOST", "", "SMTP_HOST"),
])
def test_smtp_settings_are_checked_by_name(setting, value, named):
    environ = {"SMTP_HOST": "smtp.example.org", "SMTP_PORT": "587", "SMTP_SECURITY": "starttls", setting: value}
    with pytest.raises(InputError) as caught:
        read_settings(environ)
    assert [p.field for p in caught.value.problems] == [named] and repr(value) in str(caught.value)


def test_no_encryption_with_a_login_only_to_this_machine():
    login = {"SMTP_SECURITY": "none", "SMTP_USER": "me", "SMTP_PASSWORD": "secret", "SMTP_PORT": "2525"}
    with pytest.raises(InputError) as caught:
        read_settings({**login, "SMTP_HOST": "smtp.example.org"})
    assert "clear text" in str(caught.value)
    assert read_settings({**login, "SMTP_HOST": "127.0.0.1"}).security == "none"
    assert read_settings({**login, "SMTP_HOST": "localhost"}).port == 2525
    assert read_settings({"SMTP_HOST": "smtp.example.org", "SMTP_SECURITY": "ssl"}).port == 465


def test_a_truncated_log_names_file_and_line(tmp_path):
    log = tmp_path / "sent.jsonl"
    log.write_text('{"message_id": "<a@x>", "to": "a@example.org", "status": "sent"}\n{"message_id": "<b@x>", "to": "b@ex', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_log(log)
    assert [p.line for p in caught.value.problems] == [2] and "sent.jsonl:2" in str(caught.value)
