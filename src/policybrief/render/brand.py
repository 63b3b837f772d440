"""The brand file (templates/brand.yaml): colours, fonts and logo shared by every format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from policybrief.content.models import Str, Strict
from policybrief.core.problems import InputError, Problem
from policybrief.core.validation import validate_document
from policybrief.core.yamlio import load_yaml

Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
AssetPath = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*\.(ttf|otf|svg|png)$")]


class Colours(Strict):
    primary: Colour
    accent: Colour
    text: Colour
    muted: Colour
    tint: Colour
    rule: Colour
    series: Annotated[list[Colour], Field(min_length=3)]


class FontFile(Strict):
    family: Str
    weight: Literal[300, 400, 500, 600, 700, 800]
    style: Literal["normal", "italic"]
    file: AssetPath


class Fonts(Strict):
    body: Str
    heading: Str
    files: Annotated[list[FontFile], Field(min_length=1)]


class Brand(Strict):
    name: Str
    publisher: Str
    colors: Colours
    fonts: Fonts
    logo: AssetPath

    def css_variables(self) -> str:
        c = self.colors
        pairs = {
            "primary": c.primary, "accent": c.accent, "text": c.text, "muted": c.muted, "tint": c.tint, "rule": c.rule,
            "font-body": f'"{self.fonts.body}", "Source Sans Pro", "Helvetica Neue", Arial, sans-serif',
            "font-heading": f'"{self.fonts.heading}", "Source Serif Pro", Georgia, serif',
        }
        return ":root {\n" + "".join(f"  --brand-{k}: {v};\n" for k, v in pairs.items()) + "}\n"

    def font_faces(self) -> str:
        return "".join(
            f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; font-style: {f.style}; src: url("{f.file}"); }}\n'
            for f in self.fonts.files
        )


def load_brand(templates_dir: Path) -> Brand:
    path = Path(templates_dir) / "brand.yaml"
    doc, problems = load_yaml(path)
    if doc is None:
        raise InputError(problems)
    brand, more = validate_document(doc, Brand, is_list=False)
    problems += more
    if brand is not None:
        for field_name, asset in [("fonts.files", f.file) for f in brand.fonts.files] + [("logo", brand.logo)]:
            if not (Path(templates_dir) / asset).is_file():
                line = doc.line_of(tuple(field_name.split(".")))
                problems.append(Problem(doc.file, line, "brand", field_name, f"file '{asset}' does not exist in templates/"))
    if problems:
        raise InputError(problems)
    return brand
