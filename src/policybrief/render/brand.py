"""The brand as the jobs use it: names, colours, fonts, type scale and logo shared by every format.

templates/_brand.yml (brand.yml format) is read and checked once per build, by the `brand` job
(brand_file.py, with the maintained `brand_yml` package), which writes it out as JSON for the others:
a render, reference-document, distribution or library job reads that JSON and does not import
brand_yml and pydantic (0.3 s a job with the content models loaded, 0.65 s without). The chart job
reads the brand file itself so as not to wait for the brand job.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from pathlib import Path

from policybrief.core.files import read_json
from policybrief.core.problems import InputError, Problem, display_path

from .templating import css_string

BRAND_FILE = "_brand.yml"
LOGO_MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@dataclass(frozen=True)
class Colours:
    primary: str
    accent: str
    text: str
    muted: str
    tint: str
    rule: str
    series: tuple[str, ...]


@dataclass(frozen=True)
class FontFile:
    family: str
    weight: str  # CSS font-weight: "400", "700", "100 900" for a variable font
    style: str
    file: str  # relative to the templates folder, as CSS and WeasyPrint read it
    path: Path


@dataclass(frozen=True)
class Fonts:
    body: str
    heading: str
    files: tuple[FontFile, ...]
    fallbacks: dict[str, tuple[str, ...]]

    def stack(self, family: str) -> str:
        """A CSS font-family value: the brand font, then its declared fallbacks."""
        names = (family, *self.fallbacks.get(family, ("sans-serif",)))
        return ", ".join(n if n in GENERIC_FAMILIES else str(css_string(n)) for n in dict.fromkeys(names))


@dataclass(frozen=True)
class Brand:
    name: str  # the series name in the masthead and the header
    publisher: str
    colors: Colours
    fonts: Fonts
    sizes: dict[str, float]  # points by role (brand_file.TypeScale)
    base_size: float
    line_height: float
    logo: Path | None  # resolved, inside the templates folder
    logo_alt: str
    translations: dict[str, str] = field(default_factory=dict)  # the series name by language

    def name_in(self, lang: str) -> str:
        """The series name in a brief's language (the brand's own when it gives none)."""
        return self.translations.get(lang, self.name)

    @property
    def logo_mime(self) -> str:
        return LOGO_MIME[self.logo.suffix.lower()] if self.logo else ""

    @property
    def logo_uri(self) -> str:
        """The logo as a data: URI ("" without a logo), for HTML and CSS."""
        return data_uri(self.logo, self.logo_mime) if self.logo else ""

    def css_variables(self) -> str:
        c = self.colors
        pairs = {
            "primary": c.primary, "accent": c.accent, "text": c.text, "muted": c.muted, "tint": c.tint, "rule": c.rule,
            "font-body": self.fonts.stack(self.fonts.body), "font-heading": self.fonts.stack(self.fonts.heading),
            "size-base": f"{self.base_size:g}pt", "line-height": f"{self.line_height:g}",
            **{f"size-{role}": f"{size:g}pt" for role, size in self.sizes.items()},
        }
        return ":root {\n" + "".join(f"  --brand-{k}: {v};\n" for k, v in pairs.items()) + "}\n"

    def font_faces(self) -> str:
        return "".join(
            f"@font-face {{ font-family: {css_string(f.family)}; font-weight: {f.weight}; font-style: {f.style}; src: url({css_string(f.file)}); }}\n"
            for f in self.fonts.files
        )


def data_uri(path: Path, mime: str) -> str:
    """A file as a data: URI, so the HTML page carries it."""
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def brand_record(brand: Brand, templates: Path) -> dict:
    """The checked brand as JSON: file paths relative to the templates folder, which it names as given."""
    base = Path(templates).resolve()
    record = asdict(brand)
    record["fonts"]["files"] = [{k: v for k, v in f.items() if k != "path"} for f in record["fonts"]["files"]]
    record["logo"] = brand.logo.relative_to(base).as_posix() if brand.logo else None
    return {"templates": Path(templates).as_posix(), **record}


def read_brand(path: Path, templates: Path | None = None) -> Brand:
    """The brand the `brand` job wrote (brand_record); refused when it was written for another
    templates folder than `templates` (its font and logo paths would point there), or is not one."""
    again = f"write it again with `policybrief brand --templates {templates or 'templates'} --out {path}`"
    try:
        return _brand_from(read_json(Path(path)), Path(path), templates, again)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # edited or not written by `policybrief brand`
        raise InputError([Problem(display_path(Path(path)), None, "brand", None,
                                  f"not a brand as `policybrief brand` writes it ({exc!r}); {again}")]) from None


def _brand_from(record: dict, path: Path, templates: Path | None, again: str) -> Brand:
    base = Path(record.pop("templates")).resolve()
    if templates is not None and base != Path(templates).resolve():
        raise InputError([Problem(display_path(path), None, "brand", "templates",
                                  f"written for the templates folder '{display_path(base)}', not '{display_path(Path(templates))}'; {again}")])
    fonts, colours, logo = record.pop("fonts"), record.pop("colors"), record.pop("logo")
    return Brand(
        **record,
        colors=Colours(**{**colours, "series": tuple(colours["series"])}),
        fonts=Fonts(fonts["body"], fonts["heading"], tuple(FontFile(**f, path=base / f["file"]) for f in fonts["files"]),
                    {k: tuple(v) for k, v in fonts["fallbacks"].items()}),
        logo=base / logo if logo else None,
    )


def brand_of(templates: Path, checked: str | Path | None = None) -> Brand:
    """A job's brand: the `brand` job's JSON when it is given one, else read and checked here."""
    if checked:
        return read_brand(Path(checked), templates)
    from .brand_file import load_brand

    return load_brand(Path(templates))
