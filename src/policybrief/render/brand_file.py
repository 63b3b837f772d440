"""The brand file, templates/_brand.yml in the brand.yml format (https://posit-dev.github.io/brand-yml/),
read and checked: every problem at once, each with its line.

The file is parsed by the maintained `brand_yml` package, so a brand file written for Quarto or Shiny
works unchanged. What the standard lacks (colour roles such as the accent and the box tint, font
fallbacks, the print type scale, the series name) lives under `defaults: policybrief:`, with defaults
drawn from the standard's own fields. The `brand` job runs this once per build and writes the result
as JSON (brand.py), which the other jobs read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import brand_yml
from brand_yml.file import FileLocationLocal
from pydantic import Field, TypeAdapter, ValidationError

from policybrief.content.models import Str, Strict
from policybrief.core.files import write_json
from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem
from policybrief.core.validation import explain, validate_document
from policybrief.core.yamlio import YamlDocument, load_yaml

from .brand import BRAND_FILE, LOGO_MIME, Brand, Colours, FontFile, Fonts, brand_record

SETTINGS = ("defaults", "policybrief")
HEX = r"^#[0-9A-Fa-f]{6}$"
FONT_SUFFIXES = (".ttf", ".otf")
# Where a colour role comes from when `defaults.policybrief.colors` does not name it: brand.yml's
# theme colours (and the palette's conventional `accent`), first one defined wins.
ROLE_SOURCES = {
    "text": ("foreground", "dark"),
    "primary": ("primary", "foreground"),
    "accent": ("accent", "danger", "secondary", "primary"),
    "muted": ("secondary", "foreground"),
    "tint": ("light", "background"),
    "rule": ("tertiary", "secondary"),
}
Points = Annotated[float, Field(gt=3, lt=96)]


class ColourRoles(Strict):
    text: Str | None = None
    primary: Str | None = None
    accent: Str | None = None
    muted: Str | None = None
    tint: Str | None = None
    rule: Str | None = None
    series: Annotated[list[Str], Field(min_length=3)] | None = None


class TypeScale(Strict):
    """Font sizes in points, one per role; the stylesheet and the Word styles read the same numbers."""

    title: Points = 24
    subtitle: Points = 13
    section: Points = 12.5
    subsection: Points = 11
    item: Points = 10.5
    lead: Points = 11
    audience: Points = 9.5
    label: Points = 9
    small: Points = 8.8
    caption: Points = 8.5
    reference: Points = 7.8
    note: Points = 7.3
    figure: Points = 17


class Settings(Strict):
    """`defaults: policybrief:` in the brand file."""

    series: Str | None = None
    # The series name in other languages (a Spanish brief prints no English layout string).
    series_translations: dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Str] = {}
    publisher: Str | None = None
    logo: Str = "medium"
    colors: ColourRoles = ColourRoles()
    fallbacks: dict[Str, list[Str]] = {}
    type_scale: TypeScale = Field(TypeScale(), alias="type-scale")


def _problem(doc: YamlDocument, path: tuple, message: str) -> Problem:
    return Problem(doc.file, doc.line_of(path), "brand", ".".join(map(str, path)), message)


def _settings(doc: YamlDocument, parsed: brand_yml.Brand) -> tuple[Settings | None, list[Problem]]:
    raw = (parsed.defaults or {}).get("policybrief", {})
    try:
        return TypeAdapter(Settings).validate_python(raw), []
    except ValidationError as exc:
        return None, [_problem(doc, (*SETTINGS, *e["loc"]), explain(e)) for e in exc.errors()]


def _colours(doc: YamlDocument, parsed: brand_yml.Brand, roles: ColourRoles) -> tuple[Colours | None, list[Problem]]:
    """Each role from `defaults.policybrief.colors` (a palette or theme name, or a hex value), else
    from the standard's theme colours; every value must end as #RRGGBB."""
    named = parsed.color.to_dict() if parsed.color else {}
    problems: list[Problem] = []

    def resolve(value: str, where: tuple) -> str | None:
        hex_value = named.get(value, value)
        if re.fullmatch(HEX, hex_value):
            return hex_value.upper()
        problems.append(_problem(doc, where, f"'{value}' is neither a colour name in `color` nor a #RRGGBB value"))
        return None

    chosen: dict[str, Any] = {}
    for role, sources in ROLE_SOURCES.items():
        if getattr(roles, role):
            chosen[role] = resolve(getattr(roles, role), (*SETTINGS, "colors", role))
            continue
        source = next((s for s in sources if s in named), None)
        if source is None:
            problems.append(_problem(doc, ("color",), f"no colour for the {role} role: set color.{sources[0]} "
                                                      f"or defaults.policybrief.colors.{role}"))
        else:
            chosen[role] = resolve(source, ("color", source))
    series_names = roles.series or [n for n in ("primary", "accent", "success") if n in named or n in chosen]
    chosen["series"] = tuple(chosen.get(n) or resolve(n, (*SETTINGS, "colors", "series")) for n in series_names)
    if problems:
        return None, problems
    if len(chosen["series"]) < 3:
        return None, [_problem(doc, (*SETTINGS, "colors", "series"), "the chart needs three series colours; list them")]
    return Colours(**chosen), []


def _asset(doc: YamlDocument, templates: Path, location: Any, field: tuple, suffixes) -> tuple[Path | None, list[Problem]]:
    """A local file named in the brand file, resolved inside the templates folder."""
    if not isinstance(location, FileLocationLocal):
        return None, [_problem(doc, field, f"'{location}' is not a local file; download it into the templates folder "
                                          "and name it by its path there")]
    try:
        path = inside(templates, location.root, doc.file, ".".join(map(str, field)))
    except InputError as exc:
        return None, [Problem(p.file, doc.line_of(field), "brand", p.field, p.message) for p in exc.problems]
    if path.suffix.lower() not in suffixes:
        return None, [_problem(doc, field, f"'{location}' is not one of {', '.join(suffixes)}")]
    if not path.is_file():
        return None, [_problem(doc, field, f"file '{location}' does not exist in the templates folder")]
    return path, []


def _font_files(doc: YamlDocument, parsed: brand_yml.Brand, templates: Path) -> tuple[list[FontFile], list[Problem]]:
    files, problems = [], []
    fonts = parsed.typography.fonts if parsed.typography else []
    for i, font in enumerate(fonts):
        for j, entry in enumerate(getattr(font, "files", [])):  # google, bunny and system fonts name a family only
            path, more = _asset(doc, templates, entry.path, ("typography", "fonts", i, "files", j, "path"), FONT_SUFFIXES)
            problems += more
            if path:
                weight = {"auto": "400", "normal": "400", "bold": "700"}.get(str(entry.weight), str(entry.weight))
                files.append(FontFile(font.family, weight, entry.style, path.relative_to(templates.resolve()).as_posix(), path))
    return files, problems


def _logo(doc: YamlDocument, parsed: brand_yml.Brand, templates: Path, choice: str) -> tuple[Path | None, str | None, list[Problem]]:
    """The print logo: the size or image `defaults.policybrief.logo` names (medium by default), light variant."""
    for name in dict.fromkeys((choice, "smallest", "largest")):
        resource = parsed.use_logo(name, variant="light", required=False) if parsed.logo else None
        if resource is not None:
            path, problems = _asset(doc, templates, resource.path, ("logo",), tuple(LOGO_MIME))
            return path, resource.alt, problems
    return None, None, []


def _parsed(doc: YamlDocument) -> tuple[brand_yml.Brand | None, list[Problem]]:
    parsed, problems = validate_document(doc, brand_yml.Brand, is_list=False)
    return parsed, [Problem(p.file, p.line, "brand", p.field, p.message) for p in problems]


def load_brand(templates_dir: Path) -> Brand:
    """Read and check templates/_brand.yml; every problem at once, each with its line."""
    templates = Path(templates_dir)
    doc, problems = load_yaml(templates / BRAND_FILE)
    if doc is None:
        raise InputError(problems)
    parsed, more = _parsed(doc)
    problems += more
    if parsed is None:
        raise InputError(problems)
    settings, more = _settings(doc, parsed)
    problems += more
    if settings is None:
        raise InputError(problems)
    colours, more = _colours(doc, parsed, settings.colors)
    problems += more
    files, more = _font_files(doc, parsed, templates)
    problems += more
    logo, alt, more = _logo(doc, parsed, templates, settings.logo)
    problems += more
    typography = parsed.typography
    base = typography.base if typography else None
    if base is None or not base.family:
        problems.append(_problem(doc, ("typography", "base"), "the body font is required: typography.base.family"))
    base_size = _points(base.size if base else None)
    if base_size is None:
        problems.append(_problem(doc, ("typography", "base", "size"), f"'{base.size}' is not a length in pt, px, rem or em"))
    meta_name = parsed.meta.name if parsed.meta and parsed.meta.name else None
    series = settings.series or (meta_name and (meta_name.short or meta_name.full))
    if not series:
        problems.append(_problem(doc, ("meta",), "the series name is required: meta.name or defaults.policybrief.series"))
    if problems:
        raise InputError(problems)
    headings = typography.headings
    return Brand(
        translations=dict(settings.series_translations),
        name=series,
        publisher=settings.publisher or (meta_name and meta_name.full) or series,
        colors=colours,
        fonts=Fonts(base.family, (headings and headings.family) or base.family, tuple(files),
                    {k: tuple(v) for k, v in settings.fallbacks.items()}),
        sizes=settings.type_scale.model_dump(),
        base_size=base_size,
        line_height=base.line_height or 1.36,
        logo=logo,
        logo_alt=alt or series,
    )


def _points(size: str | None) -> float | None:
    """brand.yml sizes are CSS lengths; print wants points. rem/em count from a 10 pt page base."""
    if not size:
        return 10.0
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(pt|px|rem|em)", size.strip())
    if not match:
        return None
    return float(match.group(1)) * {"pt": 1.0, "px": 0.75, "rem": 10.0, "em": 10.0}[match.group(2)]


def write_brand(templates: str, out: str) -> int:
    """`policybrief brand`: check the brand file and write it as JSON for the build's other jobs."""
    write_json(Path(out), brand_record(load_brand(Path(templates)), Path(templates)))
    print(f"ok: {out}")
    return 0
