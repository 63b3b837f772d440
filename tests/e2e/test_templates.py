"""Template editing: a rebrand is one file, and a scaffolded brief builds with no code change."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml

from policybrief.cli import main
from policybrief.render.brand import load_brand
from policybrief.render.pipeline import Paths, build_brief
from policybrief.render.reference_docx import build_reference_docx

from ..conftest import ROOT
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def pdf_colour(hex_colour: str) -> bytes:
    return " ".join(f"{int(hex_colour[i:i + 2], 16) / 255:.6f}".rstrip("0") for i in (1, 3, 5)).encode() + b" rg"


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").is_file(), reason="needs Debian's fonts-dejavu-core for a second font")
def test_swapping_the_brand_file_rebrands_pdf_and_docx(tmp_path, built):
    for folder in ("data", "briefs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    templates = tmp_path / "templates"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(DEJAVU / name, templates / "fonts" / name)
    (templates / "neo-logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#7A1F5C"/></svg>')
    brand = yaml.safe_load((templates / "brand.yaml").read_text(encoding="utf-8"))
    brand["colors"]["primary"] = "#7A1F5C"
    brand["fonts"]["body"] = "DejaVu Sans"
    brand["fonts"]["files"] += [{"family": "DejaVu Sans", "weight": 400, "style": "normal", "file": "fonts/DejaVuSans.ttf"},
                                {"family": "DejaVu Sans", "weight": 700, "style": "normal", "file": "fonts/DejaVuSans-Bold.ttf"}]
    brand["logo"] = "neo-logo.svg"
    (templates / "brand.yaml").write_text(yaml.safe_dump(brand, sort_keys=False), encoding="utf-8")

    reference = tmp_path / "reference.docx"
    build_reference_docx(load_brand(templates), reference)
    paths = Paths(tmp_path / "data", tmp_path / "briefs", templates, built / "build" / "charts", reference)
    out = tmp_path / "out"
    build_brief("congress", paths, out, out / "congress.build.json", 1267401600)

    with pikepdf.open(out / "congress.pdf") as pdf:
        fonts = {str(f.get("/BaseFont")) for page in pdf.pages for f in page.Resources.Font.values()}
        content = pdf.pages[0].Contents.read_bytes()
    assert any("DejaVu-Sans" in f for f in fonts), fonts
    assert pdf_colour("#7A1F5C") in content
    with zipfile.ZipFile(out / "congress.docx") as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:val="7A1F5C"' in styles and 'w:ascii="DejaVu Sans"' in styles
    assert "neo-logo" not in (out / "congress.html").read_text() and "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI0MCI" in (out / "congress.html").read_text()


def test_a_scaffolded_brief_builds_with_no_code_change(tmp_path):
    project = copy_project(tmp_path / "project")
    code = main(["new-brief", "--briefs", str(project / "briefs"), "--data", str(project / "data"), "--id", "budget",
                 "--audience", "Appropriations analysts", "--language", "en", "--pages", "2", "--tags", "congress,assistance",
                 "--title", "What the Money Buys"])
    assert code == 0
    assert re.search(r"^id: budget$", (project / "briefs" / "budget.yaml").read_text(encoding="utf-8"), re.M)
    done = run_workflow(project, config=("only=[budget]", "qa={'mode': 'warn', 'warn_only': []}"))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert (project / "output" / STUDY / "briefs" / "budget" / "budget.pdf").is_file()
