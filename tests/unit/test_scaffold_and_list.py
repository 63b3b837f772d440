"""`policybrief new-brief` writes specs through a YAML emitter and only once they are valid;
`policybrief list` shows every id with the briefs that print it."""

from __future__ import annotations

import re
import shutil

import pytest

from policybrief.cli import main
from policybrief.content.loading import load_content
from policybrief.edit.scaffold import new_brief
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec, load_specs

from ..conftest import DATA, ROOT


@pytest.fixture
def briefs(tmp_path):
    folder = tmp_path / "briefs"
    shutil.copytree(ROOT / "briefs", folder)
    return folder


def test_any_title_is_written_safely(briefs):
    title = 'Say "no": the \'real\' cost\nof aid # not a comment'
    path = new_brief(str(briefs), str(DATA), id="budget", audience="Analysts: appropriations", language="en",
                     pages=2, tags="congress,assistance", title=title)
    spec = load_spec(path).spec
    assert spec.title == " ".join(title.split()) and spec.audience.name == "Analysts: appropriations"
    assert path.read_text(encoding="utf-8").startswith("# Brief spec written by `policybrief new-brief`")


def test_nothing_is_written_unless_the_spec_is_valid(briefs, capsys):
    before = sorted(p.name for p in briefs.iterdir())
    code = main(["new-brief", "--briefs", str(briefs), "--data", str(DATA), "--id", "fence", "--audience", "x",
                 "--language", "en", "--pages", "1", "--tags", "border", "--title", "T"])
    err = capsys.readouterr().err
    assert code == 1 and "the rules select no findings" in err and "nothing was written to" in err
    assert sorted(p.name for p in briefs.iterdir()) == before


@pytest.mark.parametrize("pages, sections, notes", [
    (1, ["bottom_line", "findings", "about"], "short"),
    (2, ["bottom_line", "key_figures", "findings", "recommendations", "caveat", "about"], "short"),
    (5, ["bottom_line", "key_figures", "findings", "recommendations", "caveat", "about"], "full"),
])
def test_the_proposal_is_sized_to_the_pages(briefs, pages, sections, notes):
    spec = load_spec(new_brief(str(briefs), str(DATA), id="sized", audience="x", language="en", pages=pages,
                               tags="congress", title="T")).spec
    assert (spec.sections, spec.notes, spec.max_pages) == (sections, notes, pages)
    assert spec.select.findings.limit == {1: 3, 2: 4}.get(pages, 6)


def test_the_proposal_leaves_out_sections_the_data_cannot_fill(briefs):
    spec = load_spec(new_brief(str(briefs), str(DATA), id="theory", audience="x", language="en", pages=2,
                               tags="theory", title="T")).spec
    assert "key_figures" not in spec.sections  # no figure carries the tag


def test_list_shows_every_id_with_the_briefs_that_print_it(capsys):
    assert main(["list", "--data", str(DATA), "--briefs", str(ROOT / "briefs")]) == 0
    out = capsys.readouterr().out
    for heading in ("findings (13)", "recommendations (7)", "figures (29)", "tags (", "actors ("):
        assert heading in out
    users = sorted(s.spec.id for s in load_specs(ROOT / "briefs") if "f-partner-not-ally" in select(s, load_content(DATA)).ids()["findings"])
    assert re.search(rf"^  f-partner-not-ally +{', '.join(users)} +Close trading partners", out, re.M)
    assert re.search(r"^  border-length +- +Length of the U\.S\.-Mexico border$", out, re.M)
    assert re.search(r"^  mexican-congress +mexico-es, research +Mexican Congress", out, re.M)  # as actor or partner
