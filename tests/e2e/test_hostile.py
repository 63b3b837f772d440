"""Hostile input against the real workflow, one case per family: paths, config overlaps, deep
nesting, surrogates, impossible dates, fonts, bibliography, reporting and the preview server.
Each case asserts the message (file, line, record, field), that no traceback is shown, and that
output/<study>/published/ is byte-identical afterwards."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from policybrief.cli import main

from ..conftest import SOURCE
from .conftest import STUDY, preview_server, run_workflow

pytestmark = pytest.mark.e2e
SECRET = "CANARY-5d1e-NOT-FOR-OUTPUT"


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(project, tmp_path_factory) -> Path:
    """A private copy of the built project: these tests break its inputs."""
    copy = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(project, copy, symlinks=True)
    assert digests(copy / "output" / STUDY / "published")
    return copy


@pytest.fixture
def hostile(site, tmp_path):
    """Edit the project's inputs for one case; every input is put back afterwards, and the case
    checks that the published set did not change."""
    saved: dict[Path, bytes | None] = {}

    def edit(relative: str, old: str | None = None, new: str | None = None, *, text: str | None = None,
             link_to: Path | None = None) -> Path:
        path = site / relative
        if path not in saved:
            saved[path] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        if link_to is not None:
            path.unlink(missing_ok=True)
            os.symlink(link_to, path)
        elif text is not None:
            path.write_text(text, encoding="utf-8")
        else:
            content = path.read_text(encoding="utf-8")
            assert old in content, f"fixture text not found in {relative}: {old!r}"
            path.write_text(content.replace(old, new, 1), encoding="utf-8")
        return path

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    edit.secret = secret
    published = digests(site / "output" / STUDY / "published")
    yield edit
    for path, content in saved.items():
        path.unlink(missing_ok=True)
        if content is not None:
            path.write_bytes(content)
    assert digests(site / "output" / STUDY / "published") == published


def line_in(path: Path, fragment: str) -> int:
    """The line of the file where `fragment` stands (the test's own edit)."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def build(site: Path, *config: str) -> str:
    """Run the workflow expecting it to refuse; return everything it printed."""
    done = run_workflow(site, config=config)
    said = done.stdout + done.stderr
    assert done.returncode != 0, said[-3000:]
    assert "Traceback" not in said, said[-3000:]
    assert SECRET not in said
    return said


def check(site: Path) -> int:
    """`policybrief check` over the project copy, as a template editor runs it."""
    return main(["check", "--data", str(site / "data"), "--briefs", str(site / "briefs"),
                 "--templates", str(site / "templates"), "--source", str(SOURCE)])


def test_paths_that_escape_are_refused(site, hostile, capsys):
    hostile("templates/sections/caveat.html.j2", link_to=hostile.secret)
    code = check(site)
    err = capsys.readouterr().err
    assert code == 1 and "'sections/caveat.html.j2' resolves to" in err and "outside" in err and SECRET not in err
    hostile("data/references.json", link_to=hostile.secret)
    said = build(site)
    assert re.search(r"data/references\.json: '.*references\.json' resolves to .*secret\.txt, outside .*/data", said)
    said = build(site, f"studies={{{STUDY}: {{source: '{SOURCE}', recipients: /etc/passwd}}}}")
    assert "field 'studies.garza-2010.recipients': '/etc/passwd' resolves to /etc/passwd, outside" in said
    assert "root:" not in said  # no line of a file outside the project is quoted


def test_output_folders_that_overlap_inputs_are_refused(site, hostile):
    before = digests(site / "data"), digests(site / "templates")
    said = build(site, "output=data")
    assert "config/config.yaml: field 'output': 'data'" in said and "overlaps studies.garza-2010.data" in said
    said = build(site, "templates=/etc")
    assert "field 'templates': '/etc' resolves to /etc, outside" in said
    assert (digests(site / "data"), digests(site / "templates")) == before


def test_deep_nesting_is_a_message(site, hostile):
    hostile("data/vocabulary.yaml", text="tags: " + "[" * 20000 + "]" * 20000 + "\n")
    hostile("data/references.json", text="[\n" + "[" * 20000 + "]" * 20000 + "\n]\n")
    said = build(site)
    assert "data/vocabulary.yaml:1: invalid YAML: nested more than 32 levels deep" in said
    assert "data/references.json:2: nested more than 32 levels deep" in said
    assert "RecursionError" not in said


def test_a_lone_surrogate_is_a_message(site, hostile):
    hostile("data/findings.yaml", "    en: Close trading partners, distant militaries", '    en: "Close \\udc00 partners"')
    said = build(site)
    line = line_in(site / "data/findings.yaml", "Close \\udc00 partners")
    assert f"data/findings.yaml:{line}: record 'f-partner-not-ally', field 'headline.en': contains U+DC00, a lone surrogate" in said
    assert "UnicodeEncodeError" not in said


def test_impossible_dates_are_messages(site, hostile):
    hostile("data/study.yaml", 'date: "2010-03"', 'date: "2010-13"')
    hostile("data/junctures.yaml", 'years: "1941-1945"', 'years: "1945-1941"')
    said = build(site)
    assert re.search(r"data/study\.yaml:\d+: record 'garza-2010', field 'date': month 13 does not exist", said)
    line = line_in(site / "data/junctures.yaml", 'years: "1945-1941"')
    assert re.search(rf"data/junctures\.yaml:{line}: record 'wwii', field 'years': years 1945-1941 run backwards", said)


def test_characters_no_font_can_draw_and_fonts_from_outside(site, hostile):
    hostile("data/findings.yaml", "    en: Close trading partners, distant militaries", '    en: "Close \\U0001F91D partners\\u2060"')
    said = build(site)
    line = line_in(site / "data/findings.yaml", "Close \\U0001F91D partners")
    assert f"data/findings.yaml:{line}: record 'f-partner-not-ally', field 'headline.en': contains U+1F91D (HANDSHAKE)" in said
    assert "an emoji the bundled fonts cannot draw" in said


def test_a_font_file_from_outside_the_templates_is_refused(site, hostile):
    font = next(p.relative_to(site) for p in sorted((site / "templates" / "fonts").glob("*.ttf")))
    outside = hostile.secret.with_suffix(".ttf")
    shutil.copy(site / font, outside)
    hostile(str(font), link_to=outside)
    said = build(site)
    # The brand file's font path is resolved and refused before any renderer could load it.
    assert f"resolves to {outside.resolve()}, outside {(site / 'templates').resolve()}" in said


def test_a_logo_from_outside_the_templates_is_refused(site, hostile, capsys):
    hostile("templates/logo.svg", link_to=hostile.secret)
    code = check(site)
    err = capsys.readouterr().err
    assert code == 1 and "logo" in err and "outside" in err and SECRET not in err


def test_a_hostile_bibliography_is_stopped_before_pandoc(site, hostile):
    path = hostile("data/references.json", '"id": "paz1997",\n  "type": "book",', '"id": "paz1997",\n  "type": "bok",')
    text = path.read_text(encoding="utf-8")
    start = text.index('"id": "benitez1995"')
    parts = text.index('"date-parts"', start)
    year = re.search(r"\d{4}", text[parts:]).group()
    path.write_text(text[:parts] + text[parts:].replace(year, f"{year}, 0", 1), encoding="utf-8")
    said = build(site)
    line = text[:text.index('"type": "bok"')].count("\n") + 1
    assert f"data/references.json:{line}: record 'paz1997', field 'type': unknown CSL type 'bok' (did you mean 'book'?)" in said
    assert "record 'benitez1995', field 'issued.date-parts': month 0 does not exist" in said


def test_a_failed_build_reports_each_problem_once_without_an_old_quality_table(site, hostile):
    hostile("data/hypotheses.yaml", "  verdict: partially-supported", "  verdict: : partially-supported")
    hostile("data/recommendations.yaml", "[f-merida-equipment, f-autonomy", "[f-merida-equipement, f-autonomy")
    said = build(site)
    syntax = f"data/hypotheses.yaml:{line_in(site / 'data/hypotheses.yaml', 'verdict: : partially')}: invalid YAML: a second ': ' on this line"
    rests = line_in(site / "data/recommendations.yaml", "[f-merida-equipement, f-autonomy")
    reference = (f"data/recommendations.yaml:{rests}: record 'r-merida-conditionality', field 'rests_on': refers to unknown "
                 "finding 'f-merida-equipement' (did you mean 'f-merida-equipment'?)")
    assert said.count(syntax) == 1 and said.count(reference) == 1
    assert "Quality gates:" not in said  # the earlier build's all-PASS table
    tail = said[said.index("The build stopped"):]
    assert syntax in tail and reference in tail


@pytest.fixture
def preview(site, hostile):
    """The preview server on a free port, over the project copy, with a hostile brief file name."""
    hostile("briefs/<img src=x onerror=alert(document.domain)>.yaml", text="id: x\n")
    with preview_server(site / "data", site / "briefs", site / "templates") as (port, ws):

        def get(path: str, **headers) -> tuple[int, str]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}", **headers})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            connection.close()
            return response.status, body

        yield get, ws


def test_the_preview_escapes_refuses_and_answers_every_request(site, hostile, preview):
    get, ws = preview
    status, index = get("/")
    assert status == 200 and "<img src=x" not in index and "&lt;img src=x onerror=alert(document.domain)&gt;" in index
    assert get("/", Host="attacker.example:8000")[0] == 403  # DNS rebinding
    status, _ = get("/brief/press/pages", **{"Sec-Fetch-Site": "cross-site"})
    assert status == 403 and not (ws.cache / "press").exists()  # no PDF was built
    assert get("/brief/press", Origin="http://attacker.example")[0] == 403
    for path in ("/brief/PRESS/web", "/brief/press/page/abc.png", "/brief/nobody", "/brief/press/page/9.png", "/nowhere"):
        status, body = get(path)
        assert status == 404 and "Not found" in body, path
    hostile("templates/sections/bottom_line.html.j2", "{{ brief.bottom_line }}", "{{ brief.bottom_lin }}")
    for path in ("/brief/press", "/brief/press/web"):
        status, body = get(path)
        assert "sections/bottom_line.html.j2:3: template error" in body and "bottom_lin" in body, path
    assert json.loads(get("/version")[1])["version"] >= 0
