"""A study shaped unlike the shipped thesis, built end to end beside it through Snakemake.

The fixture (tests/fixtures/valdera-2021, fictional) has six chapters numbered 1-6 with numbered
sections, no hypotheses, two juncture dimensions of its own, its own actors, tags and figures. Built
in one workflow run with the shipped study, its briefs pass QA and print its own numbering, actors,
figures and dimensions, nothing of the shipped thesis, and the shipped study's briefs are
byte-identical to a build of the shipped study alone.
"""

from __future__ import annotations

import json
import re

import pytest

from policybrief.content.loading import load_content
from policybrief.core.files import sha256
from policybrief.qa.extract import docx_text, html_text, pdf_text, squash
from policybrief.render.i18n import figure_parts, translations

from ..conftest import ROOT
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e

FIXTURE = "valdera-2021"
FOLDER = f"tests/fixtures/{FIXTURE}"  # relative to the project copy
STUDIES = (f"studies={{{FIXTURE}: {{data: {FOLDER}/data, briefs: {FOLDER}/briefs, source: {FOLDER}/source.md, "
           "title: 'Valdera Basin (fictional test fixture)'}}")
# The fixture's own briefs must pass; the shipped study's QA is not this test's subject, so a
# failing shipped brief must not stop the fixture from being distributed.
WARN = "qa={mode: warn, warn_only: []}"
# Words of the shipped thesis that a brief of another study has no business printing.
SHIPPED_WORDS = ("Garza", "Mexico", "México", "NAFTA", "TLCAN", "Merida", "Mérida", "Trading Partners",
                 "Naval Postgraduate", "9/11", "hypothes", "hipótesis")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(output of the shipped study built alone, output of both studies built in one run)."""
    outputs = []
    for name, config in (("alone", (WARN,)), ("both", (STUDIES, WARN))):
        project = copy_project(tmp_path_factory.mktemp(name) / "project")
        done = run_workflow(project, config=config)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        outputs.append(project / "output")
    return tuple(outputs)


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / FOLDER / "data")


def _briefs(output):
    return sorted(p.name for p in (output / FIXTURE / "briefs").iterdir())


def _texts(output, brief: str) -> dict[str, str]:
    folder = output / FIXTURE / "briefs" / brief
    return {"pdf": squash(pdf_text(folder / f"{brief}.pdf")), "docx": squash(docx_text(folder / f"{brief}.docx")),
            "html": squash(html_text(folder / f"{brief}.html"))}


def _record(output, brief: str) -> dict:
    return json.loads((output / FIXTURE / "briefs" / brief / f"{brief}.build.json").read_text(encoding="utf-8"))


def test_both_studies_are_built_and_indexed(builds):
    _alone, both = builds
    library = json.loads((both / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in library["studies"]] == [STUDY, FIXTURE]
    assert _briefs(both) == sorted(p.stem for p in (ROOT / FOLDER / "briefs").glob("*.yaml"))


def test_fixture_briefs_pass_every_gate_and_are_published(builds):
    _alone, both = builds
    for brief in _briefs(both):
        result = json.loads((both / FIXTURE / "briefs" / brief / f"{brief}.qa.json").read_text(encoding="utf-8"))
        failed = [m["message"] for m in result["measures"] if not m["passed"]]
        assert result["status"] == "pass" and not failed, failed
    entry = next(s for s in json.loads((both / "manifest.json").read_text(encoding="utf-8"))["studies"] if s["id"] == FIXTURE)
    assert entry["published"] == entry["briefs"] == len(_briefs(both))


def test_notes_cite_the_fixtures_own_chapter_numbers(builds, content):
    """Every locator a note prints is one of the fixture's places (ch. 4.1, cap. 6): none of the
    shipped thesis's roman chapters, and no section printed twice (ch. 4.4.1)."""
    _alone, both = builds
    places = {c.id for c in content.structure.chapters} | set(content.structure.section_places())
    for brief in _briefs(both):
        for fmt, text in _texts(both, brief).items():
            printed = set(re.findall(r"\b(?:ch|cap)\. ([0-9A-Z][\w.]*?)(?=[,;)\s])", text))
            assert printed and printed <= places, (brief, fmt, printed - places)


def test_fixture_actors_and_figures_print(builds, content):
    _alone, both = builds
    for brief in _briefs(both):
        record, texts = _record(both, brief), _texts(both, brief)
        lang = record["language"]
        actors = {r.actor for r in content.recommendations if r.id in record["selected"]["recommendations"] and r.kind == "recommendation"}
        figures = [content.figure(f) for f in record["selected"]["figures"]]
        for fmt, text in texts.items():
            for actor in actors:
                # Actor headings print in capitals in the PDF (CSS): compare case-blind.
                assert squash(content.vocabulary.actors[actor].get(lang)).casefold() in text.casefold(), (brief, fmt, actor)
            for figure in figures:
                assert figure_parts(figure, lang, translations(ROOT / "templates", lang))["value"] in text, (brief, fmt, figure.id)
                assert squash(figure.label(lang)) in text, (brief, fmt, figure.id)
    # Between them the fixture's briefs print every actor that has a recommendation, and figures.
    printed = set()
    for brief in _briefs(both):
        printed |= {r.actor for r in content.recommendations if r.id in _record(both, brief)["selected"]["recommendations"]}
    assert printed == {r.actor for r in content.recommendations}
    assert any(_record(both, b)["selected"]["figures"] for b in _briefs(both))


def test_fixture_junctures_show_its_own_dimensions(builds, content):
    _alone, both = builds
    shown = 0
    for brief in _briefs(both):
        record = _record(both, brief)
        html = (both / FIXTURE / "briefs" / brief / f"{brief}.html").read_text(encoding="utf-8")
        if 'id="junctures"' not in html:
            continue
        shown += 1
        lang, text = record["language"], _texts(both, brief)["pdf"]
        assert squash(content.junctures.title.get(lang)) in text
        for dimension in content.junctures.dimensions:
            assert dimension.label.get(lang) in text, (brief, dimension.id)
        for juncture in content.junctures.junctures:
            ratings = [f"{content.junctures.scale[juncture.ratings[d.id]].get(lang)} ({juncture.ratings[d.id]})"
                       for d in content.junctures.dimensions]
            assert " ".join(ratings) in text, (brief, juncture.id, ratings)
    assert shown >= 2  # an English and a Spanish brief
    research = (both / FIXTURE / "briefs" / "research" / "research.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="data:image/svg\+xml;base64,[^"]*" alt="([^"]*)"', research).group(1)
    assert "drought pressure High (4/4)" in alt and "joint governance Limited (2/4)" in alt


def test_fixture_briefs_print_nothing_of_the_shipped_thesis(builds):
    _alone, both = builds
    for brief in _briefs(both):
        html = (both / FIXTURE / "briefs" / brief / f"{brief}.html").read_text(encoding="utf-8")
        assert 'id="hypotheses"' not in html
        for fmt, text in _texts(both, brief).items():
            leaked = [w for w in SHIPPED_WORDS if w.casefold() in text.casefold()]
            assert not leaked, (brief, fmt, leaked)


def test_adding_the_fixture_leaves_the_shipped_briefs_byte_identical(builds):
    alone, both = builds
    briefs = sorted(p.stem for p in (ROOT / "briefs").glob("*.yaml"))
    files = [f"{STUDY}/briefs/{b}/{b}.{fmt}" for b in briefs for fmt in ("pdf", "docx", "html")]
    changed = [f for f in files if sha256(alone / f) != sha256(both / f)]
    assert not changed


def test_fixture_chart_prints_the_fixtures_own_headline_and_caption(builds, content):
    _alone, both = builds
    text = _texts(both, "research")["pdf"]
    assert squash(content.study.chart.title.en) in text and squash(content.study.chart.caption.en) in text
    assert "military" not in text.casefold()


def test_fixture_catalogue_and_mail_name_the_fixture(builds, content):
    """The catalogue and the mail drafts of another study name that study, never the shipped thesis."""
    from email import message_from_bytes, policy

    _alone, both = builds
    catalogue = squash(html_text(both / FIXTURE / "index.html"))
    bodies = [message_from_bytes(p.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
              for p in sorted((both / FIXTURE / "drafts").rglob("*.eml"))]
    assert bodies
    for text in (catalogue, *map(squash, bodies)):
        assert not [w for w in SHIPPED_WORDS if w.casefold() in text.casefold()]
        assert content.study.handle_url in text
