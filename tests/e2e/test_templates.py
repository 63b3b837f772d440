"""Template editing: a rebrand is one file, and a scaffolded brief builds with no code change."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from PIL import Image

from policybrief.cli import main
from policybrief.distribute.catalogue import render_catalogue, web_brand
from policybrief.render.brand import BRAND_FILE
from policybrief.render.brand_file import load_brand
from policybrief.render.docx_package import read_parts
from policybrief.render.pipeline import Paths, build_brief
from policybrief.render.reference_docx import build_reference_docx

from ..conftest import ROOT
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NEW = "#7A1F5C"


def pdf_colour(hex_colour: str) -> bytes:
    return " ".join(f"{int(hex_colour[i:i + 2], 16) / 255:.6f}".rstrip("0") for i in (1, 3, 5)).encode() + b" rg"


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").is_file(), reason="needs Debian's fonts-dejavu-core for a second font")
def test_changing_the_brand_file_rebrands_pdf_html_docx_and_catalogue(tmp_path):
    """Colour, logo and font changed in _brand.yml only, and found in every format."""
    for folder in ("data", "briefs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    templates = tmp_path / "templates"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(DEJAVU / name, templates / "fonts" / name)
    (templates / "neo-logo.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="{NEW}"/></svg>')
    brand = yaml.safe_load((templates / BRAND_FILE).read_text(encoding="utf-8"))
    brand["color"]["palette"]["navy"] = NEW  # primary names the palette colour
    brand["typography"]["base"]["family"] = "DejaVu Sans"
    brand["typography"]["fonts"].append({"family": "DejaVu Sans", "source": "file", "files": [
        {"path": "fonts/DejaVuSans.ttf", "weight": 400}, {"path": "fonts/DejaVuSans-Bold.ttf", "weight": 700}]})
    brand["logo"]["images"]["mark"]["path"] = "neo-logo.svg"
    (templates / BRAND_FILE).write_text(yaml.safe_dump(brand, sort_keys=False, allow_unicode=True), encoding="utf-8")

    reference = tmp_path / "reference.docx"
    build_reference_docx(load_brand(templates), reference)
    paths = Paths(tmp_path / "data", tmp_path / "briefs", templates, tmp_path / "charts", reference)  # congress has no chart
    out = tmp_path / "out"
    build_brief("congress", paths, out, out / "congress.build.json", 1267401600)
    logo = "data:image/svg+xml;base64," + base64.b64encode((templates / "neo-logo.svg").read_bytes()).decode()

    with pikepdf.open(out / "congress.pdf") as pdf:
        fonts = {str(f.get("/BaseFont")) for page in pdf.pages for f in page.Resources.Font.values()}
        content = pdf.pages[0].Contents.read_bytes()
    assert any("DejaVu-Sans" in f for f in fonts), fonts
    assert pdf_colour(NEW) in content

    html = (out / "congress.html").read_text(encoding="utf-8")
    assert f"--brand-primary: {NEW};" in html and '--brand-font-body: "DejaVu Sans"' in html and logo in html

    parts = read_parts((out / "congress.docx").read_bytes())
    styles, table = parts["word/styles.xml"].decode(), parts["word/fontTable.xml"].decode()
    assert f'w:val="{NEW[1:]}"' in styles and 'w:ascii="DejaVu Sans"' in styles
    assert re.search(r'<w:font w:name="DejaVu Sans">.*?<w:embedRegular .*?<w:embedBold ', table, re.S)
    header_logo = Image.open(io.BytesIO(next(data for name, data in parts.items() if name.startswith("word/media/"))))
    assert tuple(int(NEW[i:i + 2], 16) for i in (1, 3, 5)) in {c[:3] for _n, c in header_logo.convert("RGBA").getcolors(1 << 16)}

    brand, assets = web_brand(templates)
    page = render_catalogue(templates, [], brand, {"citation": "", "evidence_date": "", "title": "T"}, "Rebranded", "")
    assert f"--brand-primary: {NEW};" in page and '"DejaVu Sans"' in page and 'src="assets/neo-logo.svg"' in page
    assert assets["assets/neo-logo.svg"] == (templates / "neo-logo.svg").read_bytes()


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
