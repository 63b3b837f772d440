"""The brand file in the brand.yml format: the shipped one, one written for Quarto, project settings
under `defaults:`, and paths that try to leave the templates folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from docx import Document

from policybrief.core.problems import InputError
from policybrief.render.brand import BRAND_FILE, brand_of, read_brand
from policybrief.render.brand_file import load_brand, write_brand
from policybrief.render.reference_docx import build_reference_docx

from ..conftest import ROOT

TEMPLATES = ROOT / "templates"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#447099"/></svg>'
# A brand file as Quarto documents it (https://quarto.org/docs/authoring/brand.html): nothing of ours.
QUARTO = """\
meta:
  name: Posit Software, PBC
logo: posit.svg
color:
  palette:
    blue: "#447099"
    orange: "#EE6331"
    gray: "#404041"
    white: "#FFFFFF"
    green: "#72994E"
  foreground: gray
  background: white
  primary: blue
  secondary: "#707073"
  tertiary: "#C2C2C4"
  success: green
  danger: orange
  light: "#F4F4F4"
typography:
  base: Open Sans
  headings:
    family: Roboto Slab
    weight: 600
"""


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A private copy of templates/ that a test may rebrand."""
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def test_the_shipped_brand_has_every_role_font_and_logo():
    brand = load_brand(TEMPLATES)
    assert (brand.name, brand.publisher) == ("Policy Brief Series", "Policy Brief Series, digests of public-domain research")
    c = brand.colors
    assert (c.primary, c.accent, c.text, c.muted, c.tint, c.rule) == ("#1B365D", "#A23B2A", "#1F2328", "#555E6B", "#EEF2F7", "#C9D3E0")
    assert c.series == ("#1B365D", "#A23B2A", "#4F7A3A")
    assert (brand.fonts.body, brand.fonts.heading) == ("Source Sans Pro", "Source Serif Pro")
    assert {f.path.name for f in brand.fonts.files} == {p.name for p in (TEMPLATES / "fonts").glob("*.ttf")}
    assert brand.logo == (TEMPLATES / "logo.svg").resolve() and brand.logo_uri.startswith("data:image/svg+xml;base64,")
    assert brand.sizes["title"] == 24 and brand.base_size == 10 and brand.line_height == 1.36


def test_a_brand_file_written_for_quarto_works_unchanged(templates):
    (templates / BRAND_FILE).write_text(QUARTO, encoding="utf-8")
    (templates / "posit.svg").write_text(LOGO, encoding="utf-8")
    brand = load_brand(templates)
    assert brand.name == "Posit Software, PBC"
    # Roles the standard lacks come from its theme colours: accent from danger, tint from light.
    assert (brand.colors.primary, brand.colors.accent, brand.colors.text, brand.colors.tint) == ("#447099", "#EE6331", "#404041", "#F4F4F4")
    assert brand.colors.series == ("#447099", "#EE6331", "#72994E")
    assert (brand.fonts.body, brand.fonts.heading, brand.fonts.files) == ("Open Sans", "Roboto Slab", ())
    assert '--brand-font-heading: "Roboto Slab", sans-serif;' in brand.css_variables()
    assert brand.logo.name == "posit.svg" and brand.logo_alt == "Posit Software, PBC"


def test_the_brand_jobs_json_gives_back_the_same_brand(templates, tmp_path):
    """What the `brand` job writes is what every other job reads: the shipped brand and a Quarto one
    (no font files) come back equal, with paths resolved inside the templates folder."""
    out = tmp_path / "brand.json"
    assert write_brand(str(TEMPLATES), str(out)) == 0
    assert read_brand(out) == load_brand(TEMPLATES)
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["logo"] == "logo.svg" and all(not Path(f["file"]).is_absolute() for f in record["fonts"]["files"])
    (templates / BRAND_FILE).write_text(QUARTO, encoding="utf-8")
    (templates / "posit.svg").write_text(LOGO, encoding="utf-8")
    write_brand(str(templates), str(out))
    assert read_brand(out) == load_brand(templates) and brand_of(templates, out).logo == (templates / "posit.svg").resolve()
    # Written for one templates folder, it is no brand for another: its paths point into the first.
    with pytest.raises(InputError, match="written for the templates folder"):
        brand_of(TEMPLATES, out)
    # Edited by hand or not a brand at all: a message naming the file, not a traceback.
    for text in ('{"templates": 1', json.dumps({"templates": str(templates)}), "[]"):
        out.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="not a brand as `policybrief brand` writes it"):
            brand_of(templates, out)


def test_jobs_that_read_the_brand_json_do_not_import_brand_yml():
    """The point of the `brand` job: the library, catalogue and render code import neither brand_yml
    nor (for the library) pydantic."""
    code = ("import sys, policybrief.distribute.library; a = {'brand_yml', 'pydantic'} & set(sys.modules); "
            "import policybrief.render.pipeline, policybrief.distribute.pipeline; b = 'brand_yml' in sys.modules; "
            "print(sorted(a), b)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "False"]


def test_project_settings_under_defaults_drive_css_and_word_styles(templates, tmp_path):
    text = (templates / BRAND_FILE).read_text(encoding="utf-8")
    (templates / BRAND_FILE).write_text(text.replace("      title: 24\n", "      title: 30\n").replace("accent: brick", "accent: fern"),
                                        encoding="utf-8")
    brand = load_brand(templates)
    assert brand.colors.accent == "#4F7A3A"
    assert "--brand-size-title: 30pt;" in brand.css_variables()
    build_reference_docx(brand, tmp_path / "ref.docx")
    styles = Document(str(tmp_path / "ref.docx")).styles
    assert styles["Title"].font.size.pt == 30
    assert str(styles["Kicker"].font.color.rgb) == "4F7A3A"


@pytest.mark.parametrize("field, value, expected", [
    ("logo", "fonts/../../../x.svg", "field 'logo': 'fonts/../../../x.svg' resolves to"),
    ("font", "fonts/../../outside.ttf", "field 'typography.fonts.0.files.0.path': 'fonts/../../outside.ttf' resolves to"),
    ("font", "https://example.org/font.ttf", "is not a local file; download it into the templates folder"),
])
def test_paths_that_leave_the_templates_folder_are_refused(templates, field, value, expected):
    text = (templates / BRAND_FILE).read_text(encoding="utf-8")
    old = "path: logo.svg" if field == "logo" else "path: fonts/SourceSansPro-Regular.ttf"
    (templates / BRAND_FILE).write_text(text.replace(old, f"path: {value}"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_brand(templates)
    message = str(caught.value)
    assert expected in message and f"{BRAND_FILE}:" in message
    assert "outside" in message or "local file" in message


def test_a_symlink_out_of_the_templates_folder_is_refused(templates, tmp_path):
    outside = tmp_path / "elsewhere.ttf"
    shutil.copy(TEMPLATES / "fonts" / "SourceSansPro-Bold.ttf", outside)
    os.remove(templates / "fonts" / "SourceSansPro-Bold.ttf")
    (templates / "fonts" / "SourceSansPro-Bold.ttf").symlink_to(outside)
    with pytest.raises(InputError) as caught:
        load_brand(templates)
    assert f"resolves to {outside.resolve()}, outside {templates.resolve()}" in str(caught.value)


def test_every_problem_is_reported_at_once_with_its_line(templates):
    text = (templates / BRAND_FILE).read_text(encoding="utf-8")
    text = text.replace("tint: light", "tint: lite").replace("path: logo.svg", "path: missing.svg")
    (templates / BRAND_FILE).write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(InputError) as caught:
        load_brand(templates)
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {"defaults.policybrief.colors.tint", "logo"}
    assert "'lite' is neither a colour name" in problems["defaults.policybrief.colors.tint"].message
    assert lines[problems["defaults.policybrief.colors.tint"].line - 1].strip() == "tint: lite"
    assert "does not exist" in problems["logo"].message


def test_a_brand_file_the_standard_rejects_names_the_field(templates):
    (templates / BRAND_FILE).write_text(textwrap.dedent("""\
        meta: {name: X}
        colour: {primary: "#000000"}
        typography: {base: Open Sans}
        """), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_brand(templates)
    assert [(p.field, p.line) for p in caught.value.problems] == [("colour", 2)]
