"""The input boundary, unit by unit: every hostile or malformed input gets a message naming file,
line, record and field (never a traceback), all problems in one run, and no path leaves its folder."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.core.problems import InputError
from policybrief.core.yamlio import MAX_INPUT_BYTES, load_yaml
from policybrief.spec.project import check_config_paths, failure_report

from ..conftest import DATA, ROOT


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(data: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_content(data)
    return caught.value.problems


def _line_of(path: Path, fragment: str) -> int:
    """The 1-based line where `fragment` first appears: computed from the file, not from the loader."""
    text = path.read_text(encoding="utf-8")
    return text[: text.index(fragment)].count("\n") + 1


def _only(problems, **expected):
    matching = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert matching, f"no problem with {expected} in:\n" + "\n".join(map(str, problems))
    return matching[0]


# --- the strict reader: size, depth, surrogates, plain words --------------------------------------

def test_deep_yaml_nesting_is_a_message_not_a_recursion_error(tmp_path, capsys, data_copy):
    (data_copy / "vocabulary.yaml").write_text("tags: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    (data_copy / "structure.yaml").write_text("chapters:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)), encoding="utf-8")
    code = main(["validate", "--data", str(data_copy)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "RecursionError" not in err
    problems = _problems(data_copy)
    assert _only(problems, file=str(data_copy / "vocabulary.yaml")).line == 1
    assert _only(problems, file=str(data_copy / "structure.yaml")).line == 32  # the level past the limit of 32
    assert "nested more than 32 levels deep" in err


def test_deep_json_nesting_is_a_message(data_copy):
    (data_copy / "references.json").write_text("[\n" + "[" * 20000 + "]" * 20000 + "\n]\n", encoding="utf-8")
    problem = _only(_problems(data_copy), file=str(data_copy / "references.json"))
    assert problem.line == 2 and "nested more than 32 levels deep" in problem.message


def test_a_lone_surrogate_is_refused_where_it_is_written(capsys, data_copy):
    _edit(data_copy / "findings.yaml", "    en: Close trading partners, distant militaries", '    en: "Close \\ud800 partners"')
    code = main(["validate", "--data", str(data_copy)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "UnicodeEncodeError" not in err
    problem = _only(_problems(data_copy), record="f-partner-not-ally")
    line = (data_copy / "findings.yaml").read_text(encoding="utf-8").splitlines().index('    en: "Close \\ud800 partners"') + 1
    assert (problem.line, problem.field) == (line, "headline.en") and "U+D800" in problem.message


def test_an_oversized_file_is_refused_before_parsing(data_copy):
    path = data_copy / "findings.yaml"
    path.write_text("# padding\n" * (MAX_INPUT_BYTES // 10 + 1), encoding="utf-8")
    started = time.monotonic()
    problem = _only(_problems(data_copy), file=str(path))
    assert time.monotonic() - started < 5
    assert "input files are limited to 1,000,000 bytes" in problem.message


@pytest.mark.parametrize("text, line, words", [
    ('a: "never closed\nb: 1\nc: 2\n', 1, "a quote opened here is never closed"),
    ("a:\n\tb: 1\n", 2, "a tab character; YAML is indented with spaces only"),
    ("title: Note: this breaks\n", 1, "a value that contains a colon followed by a space must be in quotes"),
    ("a:\n  b: 1\n c: 2\n", 3, "indented differently"),
    ("a: [1, 2\nb: 3\n", 1, "not closed with ']'"),
    ("a: 1\nb\nc: 2\n", 2, "no ': ' between key and value"),
])
def test_yaml_syntax_errors_in_plain_words_at_the_line(tmp_path, text, line, words):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = load_yaml(path)
    assert doc is None and len(problems) == 1
    assert problems[0].line == line and words in problems[0].message
    assert "<block" not in problems[0].message and "scanning" not in problems[0].message


# --- impossible dates ------------------------------------------------------------------------------

def test_impossible_dates_and_reversed_years(capsys, data_copy):
    _edit(data_copy / "study.yaml", 'date: "2010-03"', 'date: "2010-13"')
    _edit(data_copy / "junctures.yaml", 'years: "1941-1945"', 'years: "1945-1941"')
    _edit(data_copy / "figures.csv", ",c. 2008,", ",c. 0000,")
    problems = _problems(data_copy)
    study = _only(problems, field="date")
    assert study.file.endswith("study.yaml") and study.line == _line_of(data_copy / "study.yaml", "date:")
    assert "month 13 does not exist" in study.message
    years = _only(problems, record="wwii", field="years")
    assert years.line == _line_of(data_copy / "junctures.yaml", 'years: "1945-1941"') and "run backwards" in years.message
    period = _only(problems, field="period")
    assert period.line == 3 and "year 0 is not a real year" in period.message
    assert main(["validate", "--data", str(data_copy)]) == 1 and "Traceback" not in capsys.readouterr().err


def test_year_zero_in_the_study_date(data_copy):
    _edit(data_copy / "study.yaml", 'date: "2010-03"', 'date: "0000-03"')
    assert "year 0 is not a real year" in _only(_problems(data_copy), field="date").message


# --- characters a reader would not see, or no bundled font can draw --------------------------------

@pytest.mark.parametrize("escape, code", [
    ("\\u2060", "U+2060"),       # word joiner
    ("\\U000E0041", "U+E0041"),  # tag character
    ("\\u061C", "U+061C"),       # Arabic letter mark
    ("\\x07", "U+0007"),         # a control character, through a YAML escape
    ("\\U0001F600", "U+1F600"),  # an emoji
    ("\\U0001F1F2\\U0001F1FD", "U+1F1F2"),  # a flag
])
def test_invisible_and_undrawable_characters_are_refused_at_load(data_copy, escape, code):
    _edit(data_copy / "findings.yaml", "    en: Close trading partners, distant militaries", f'    en: "Close {escape} partners"')
    problem = _only(_problems(data_copy), record="f-partner-not-ally", field="headline.en")
    line = (data_copy / "findings.yaml").read_text(encoding="utf-8").splitlines().index(f'    en: "Close {escape} partners"') + 1
    assert problem.line == line and code in problem.message


def test_symbols_the_fonts_draw_are_accepted(data_copy):
    _edit(data_copy / "findings.yaml", "    en: Close trading partners, distant militaries", '    en: "Close partners ✓ © ™ café"')
    assert load_content(data_copy).findings[0].headline.en == "Close partners ✓ © ™ café"


# --- the bibliography ------------------------------------------------------------------------------

def test_the_bibliography_is_validated_with_the_data(data_copy):
    path = data_copy / "references.json"
    _edit(path, '"id": "paz1997",\n  "type": "book",', '"id": "paz1997",\n  "type": "bok",')
    _edit(path, '"id": "baldwin1993",', '"id": "baldwin1993",\n  "note": "' + "long " * 1000 + '",')
    refs = json.loads(path.read_text(encoding="utf-8"))
    benitez = next(r for r in refs if r["id"] == "benitez1995")
    text = path.read_text(encoding="utf-8")
    start = text.index('"id": "benitez1995"')
    date_at = text.index('"date-parts"', start)
    year = benitez["issued"]["date-parts"][0][0]
    text = text[:date_at] + text[date_at:].replace(f"{year}\n", f"{year},\n     13\n", 1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(data_copy)
    kind = _only(problems, record="paz1997", field="type")
    assert kind.line == _line_of(path, '"type": "bok"') and "unknown CSL type 'bok' (did you mean 'book'?)" in kind.message
    date = _only(problems, record="benitez1995", field="issued.date-parts")
    assert date.line == text[:date_at].count("\n") + 1 and "month 13 does not exist" in date.message
    note = _only(problems, record="baldwin1993", field="note")
    assert note.line == _line_of(path, '"note"') and "the limit is 4000" in note.message


def test_a_huge_bibliography_is_refused_at_once(data_copy):
    refs = json.loads((data_copy / "references.json").read_text(encoding="utf-8"))
    refs[0]["note"] = "x " * 5_000_000  # a 10 MB note
    (data_copy / "references.json").write_text(json.dumps(refs), encoding="utf-8")
    assert "input files are limited" in _only(_problems(data_copy), file=str(data_copy / "references.json")).message


# --- cross-references: at the field's line, with a suggestion, every problem in one run -----------

def test_a_cross_reference_error_is_at_the_field_line_with_a_suggestion(data_copy):
    path = data_copy / "recommendations.yaml"
    _edit(path, "  rests_on: [f-merida-equipment, f-autonomy", "  rests_on:\n    - f-autonomy\n    - f-merida-equipement\n    - f-assistance-not-partnership\n  #")
    problem = _only(_problems(data_copy), field="rests_on")
    assert problem.line == _line_of(path, "- f-merida-equipement") and problem.record == "r-merida-conditionality"
    assert "unknown finding 'f-merida-equipement' (did you mean 'f-merida-equipment'?)" in problem.message


def test_unknown_actors_list_the_valid_actors(data_copy):
    _edit(data_copy / "recommendations.yaml", "  actor: us-congress\n", "  actor: us-congres\n")
    message = _only(_problems(data_copy), field="actor").message
    assert "(did you mean 'us-congress'?)" in message
    assert "known: dod-northcom, gov-mexico, mexican-congress, state, us-congress, us-government" in message


def test_a_syntax_error_does_not_hide_cross_reference_errors_elsewhere(data_copy):
    _edit(data_copy / "hypotheses.yaml", "  verdict: partially-supported", "  verdict: : partially-supported")
    _edit(data_copy / "findings.yaml", "  tags: [economy, defense, congress, diplomacy]", "  tags: [economy, defence]")
    _edit(data_copy / "recommendations.yaml", "  actor: us-congress\n", "  actor: us-congres\n")
    problems = _problems(data_copy)
    assert {Path(p.file).name for p in problems} == {"hypotheses.yaml", "findings.yaml", "recommendations.yaml"}
    assert "unknown tag 'defence' (did you mean 'defense'?)" in _only(problems, field="tags").message


def test_check_inputs_reports_data_and_spec_problems_in_one_run(capsys, tmp_path, data_copy):
    briefs = tmp_path / "briefs"
    shutil.copytree(ROOT / "briefs", briefs)
    _edit(data_copy / "hypotheses.yaml", "  verdict: partially-supported", "  verdict: : partially-supported")
    _edit(briefs / "congress.yaml", "    actors: [us-congress,", "    actors: [us-congres,")
    _edit(briefs / "press.yaml", "formats: [pdf, docx, html]", "formats: [pdf, pdf]")
    (briefs / "state.yml").write_text((briefs / "state.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["check-inputs", "--data", str(data_copy), "--briefs", str(briefs), "--source", "unused.md"])
    err = capsys.readouterr().err
    assert code == 1 and "5 problems found" in err
    assert "unused.md: field 'source': the thesis text does not exist" in err
    assert f"{briefs / 'congress.yaml'}:{_line_of(briefs / 'congress.yaml', 'actors: [us-congres')}" in err
    assert "unknown actor 'us-congres' (did you mean 'us-congress'?); known: dod-northcom" in err
    assert "field 'formats': may list each value once; repeated: pdf" in err
    assert "state.yml: is not read: brief specs are files named <id>.yaml" in err
    assert f"hypotheses.yaml:{_line_of(data_copy / 'hypotheses.yaml', 'verdict: : partially')}: invalid YAML" in err


# --- paths that escape -----------------------------------------------------------------------------

def test_a_data_file_symlinked_out_of_the_data_folder_is_refused(tmp_path, data_copy, capsys):
    secret = tmp_path / "secret.json"
    secret.write_text('[{"id": "leak", "type": "book", "title": "SECRET-CONTENT"}]', encoding="utf-8")
    (data_copy / "references.json").unlink()
    os.symlink(secret, data_copy / "references.json")
    assert main(["validate", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "references.json" in err and "outside" in err and "SECRET-CONTENT" not in err


def _config(**paths) -> dict:
    study = {"data": "data", "briefs": "briefs", "source": "../thesis.md", **paths.pop("study", {})}
    return {"studies": {"s": study}, "templates": "templates", "output": "output", "reference_docx": "", **paths}


@pytest.mark.parametrize("config, field, words", [
    (_config(output="data"), "output", "overlaps studies.s.data"),
    (_config(output="templates/out"), "output", "overlaps templates"),
    (_config(output="."), "output", "overlaps studies.s.briefs"),
    (_config(output=".."), "output", "overlaps the workflow's code"),
    (_config(templates="/etc"), "templates", "outside"),
    (_config(study={"recipients": "/etc/passwd"}), "studies.s.recipients", "outside"),
    (_config(reference_docx="../other.docx"), "reference_docx", "outside"),
])
def test_config_paths_are_refused_before_anything_runs(tmp_path, monkeypatch, config, field, words):
    for folder in ("data", "briefs", "templates", "src", "rules"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        check_config_paths(config, tmp_path)
    messages = [p.message for p in caught.value.problems if p.field == field and p.file == "config/config.yaml"]
    assert any(words in m for m in messages), messages
    assert not any("root:" in m for m in messages)  # never a line of the file it names


def test_config_paths_inside_the_project_and_output_elsewhere_are_accepted(tmp_path, monkeypatch):
    for folder in ("data", "briefs", "templates"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path)
    check_config_paths(_config(output=str(tmp_path.parent / "elsewhere")), tmp_path)


def test_a_line_break_in_a_mail_header_setting_is_refused_by_the_schema():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--config", r'mail={from: "a\r\nBcc: x@example.org"}'],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "Failed validating 'pattern'" in said and "['mail']['properties']['from']" in said


# --- specs -----------------------------------------------------------------------------------------

def test_spec_files_that_would_be_skipped_are_reported(capsys, tmp_path):
    briefs = tmp_path / "briefs"
    shutil.copytree(ROOT / "briefs", briefs)
    for name in ("press.yml", "Press.yaml", "press.yaml.bak"):
        shutil.copy(briefs / "press.yaml", briefs / name)
    (briefs / ".hidden.yaml").write_text("ignored", encoding="utf-8")
    assert main(["check-specs", "--data", str(DATA), "--briefs", str(briefs)]) == 1
    err = capsys.readouterr().err
    assert "3 problems found" in err and ".hidden" not in err
    for name in ("press.yml", "Press.yaml", "press.yaml.bak"):
        assert f"{briefs / name}: is not read" in err


# --- templates -------------------------------------------------------------------------------------

def _render_press(templates: Path):
    from policybrief.render.brand_file import load_brand
    from policybrief.render.pipeline import prepare, render_page

    prepared = prepare("press", DATA, ROOT / "briefs", templates)
    with pytest.raises(InputError) as caught:
        render_page(prepared, None, load_brand(templates), templates, "web")
    return caught.value.problems[0]


def test_a_template_error_names_the_included_file_and_line(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    _edit(templates / "sections" / "bottom_line.html.j2", "{{ brief.bottom_line }}", "{{ brief.bottom_lin }}")
    problem = _render_press(templates)
    assert problem.file == str(templates / "sections" / "bottom_line.html.j2")
    assert problem.line == _line_of(templates / "sections" / "bottom_line.html.j2", "brief.bottom_lin")
    assert "bottom_lin" in problem.message


def test_a_template_symlinked_out_of_the_templates_folder_is_refused(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    outside = tmp_path / "outside.j2"
    outside.write_text("SECRET-TEMPLATE {{ brief }}", encoding="utf-8")
    (templates / "sections" / "bottom_line.html.j2").unlink()
    os.symlink(outside, templates / "sections" / "bottom_line.html.j2")
    problem = _render_press(templates)
    assert "outside" in problem.message and "SECRET-TEMPLATE" not in problem.message


# --- reporting: each problem once, from this run's logs --------------------------------------------

def test_the_failure_report_lists_each_problem_once_from_this_runs_logs(tmp_path):
    logs = tmp_path / "logs"
    problem = "  - data/findings.yaml:26: record 'f-x', field 'priority': Input should be a valid integer"
    for job in ("check_inputs", "render/press", "render/state"):
        (logs / job).parent.mkdir(parents=True, exist_ok=True)
        (logs / f"{job}.log").write_text(f"error: 1 problem found:\n{problem}\n", encoding="utf-8")
    old = logs / "render" / "old.log"
    old.write_text("error: brief 'old': a problem an earlier run had\n", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    (logs / "chart.log").write_text("Traceback (most recent call last):\n  File x\nKeyError: 'boom'\n", encoding="utf-8")
    report = failure_report(logs, time.time() - 60)
    assert report.count("Input should be a valid integer") == 1
    assert "2 problems" in report and "earlier run" not in report
    assert "chart.log: the job stopped unexpectedly: KeyError: 'boom'" in report


def test_the_workflow_plans_past_hostile_files(tmp_path):
    """The Snakefile reads a study's date and each spec's language while planning: a hostile file
    there must leave the planning to the data check, not crash it."""
    from policybrief.spec.project import UNREADABLE_DATE_EPOCH, BriefPlan, brief_plan, study_epoch

    (tmp_path / "study.yaml").write_text("date: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    assert study_epoch(tmp_path) == UNREADABLE_DATE_EPOCH
    (tmp_path / "study.yaml").write_text('date: "0000-03"\n', encoding="utf-8")
    assert study_epoch(tmp_path) == UNREADABLE_DATE_EPOCH
    (tmp_path / "spec.yaml").write_text('language: "es\\ud800"\nmax_pages: true\n', encoding="utf-8")
    assert brief_plan(tmp_path / "spec.yaml") == BriefPlan("en", 1)
    (tmp_path / "spec.yaml").write_text("language: es\n" + "#" * MAX_INPUT_BYTES, encoding="utf-8")
    assert brief_plan(tmp_path / "spec.yaml") == BriefPlan("en", 1)
    (tmp_path / "spec.yaml").write_text("language: es\nmax_pages: 4\nsections: [findings]\n", encoding="utf-8")
    assert brief_plan(tmp_path / "spec.yaml") == BriefPlan(None, 4)
