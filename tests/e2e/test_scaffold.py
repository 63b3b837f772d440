"""`policybrief new-brief --pages N` proposes a brief that fits N pages, measured on the built PDF."""

from __future__ import annotations

import shutil

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.qa.gates import check_brief, thesis_years
from policybrief.render.pipeline import Paths, build_brief
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT, SOURCE

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language, tags", [("en", "civil-military,congress,assistance"), ("es", "defense")])
def test_a_one_page_proposal_fits_one_page(tmp_path, built, language, tags):
    briefs = tmp_path / "briefs"
    shutil.copytree(ROOT / "briefs", briefs)
    assert main(["new-brief", "--briefs", str(briefs), "--data", str(DATA), "--id", "short", "--audience", "Press officers",
                 "--language", language, "--pages", "1", "--tags", tags, "--title", "One Page"]) == 0
    paths = Paths(DATA, briefs, ROOT / "templates", built / "build" / "charts", built.parent / "build" / "reference.docx")
    out = tmp_path / "out"
    record = build_brief("short", paths, out, out / "short.build.json", 1267401600)
    files = {fmt: out / f"short.{fmt}" for fmt in ("pdf", "docx", "html")}
    report = check_brief(load_spec(briefs / "short.yaml"), load_content(DATA), record, files, ROOT / "templates", thesis_years(SOURCE))
    length = {m.measure: m for m in report.measures if m.gate == "length"}
    assert length["pdf pages"].value == "1" and all(m.passed for m in length.values()), [m.message for m in length.values()]
    assert len(record["selected"]["findings"]) >= 1
