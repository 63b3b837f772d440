"""A study's catalogue (output/<study>/index.html): one card per published brief, in the brand's
colours, fonts and logo, with thumbnails, the publication date and the reading level in words."""

from __future__ import annotations

import struct
from pathlib import Path

from markupsafe import Markup

from policybrief.qa.extract import pdf_page_images
from policybrief.render.brand import Brand, brand_of
from policybrief.render.i18n import month_year
from policybrief.render.templating import environment, render

LANGUAGES = {"en": "English", "es": "Español"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "html": "HTML"}
# Reading-ease scales as readers know them: (lowest score, words). Fernández-Huerta keeps Flesch's
# bands; Szigriszt-Pazos is read on the INFLESZ scale (Barrio-Cantalejo et al., 2008).
EASE_BANDS = {
    "fernandez-huerta": ("Fernández-Huerta", [(90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "standard"),
                                              (50, "fairly difficult"), (30, "difficult"), (float("-inf"), "very difficult")]),
    "szigriszt-pazos": ("Szigriszt-Pazos", [(80, "very easy"), (65, "fairly easy"), (55, "normal"),
                                            (40, "somewhat difficult"), (float("-inf"), "very difficult")]),
}


def reading_level_words(index: str, value: float) -> str:
    """'grade 13 (Flesch–Kincaid)', 'Fernández-Huerta 51: fairly difficult'."""
    score = round(value)
    if index == "flesch-kincaid-grade":
        return f"grade {score} (Flesch–Kincaid)"
    name, bands = EASE_BANDS[index]
    return f"{name} {score}: {next(words for floor, words in bands if score >= floor)}"


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def thumbnail(pdf: Path, width: int = 360) -> bytes:
    """The first page as PNG."""
    return pdf_page_images(pdf, width, pages=1)[0]


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), for the page to reserve the space."""
    return struct.unpack(">II", png[16:24])


def web_brand(templates: Path, brand: Brand | None = None) -> tuple[dict, dict[str, bytes]]:
    """The brand as the web pages use it (`brand`, else read from the templates), and the files they
    need (logo, fonts and their licences) under assets/, so a page served from its own folder looks
    like the briefs."""
    brand = brand or brand_of(templates)
    # The brand resolves its logo (inside the templates folder); the page refers to it by that name.
    logo = brand.logo.relative_to(Path(templates).resolve()).as_posix() if brand.logo else None
    files = {*(f.file for f in brand.fonts.files), *([logo] if logo else [])}
    files |= {p.relative_to(templates).as_posix() for f in brand.fonts.files
              for p in (Path(templates) / f.file).parent.glob("OFL*.txt")}
    assets = {f"assets/{name}": (Path(templates) / name).read_bytes() for name in sorted(files)}
    faces = "".join(f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; font-style: {f.style}; '
                    f'src: url("assets/{f.file}"); font-display: swap; }}\n' for f in brand.fonts.files)
    context = {"name": brand.name, "publisher": brand.publisher, "logo": f"assets/{logo}" if logo else "",
               "logo_alt": brand.logo_alt,
               "styles": Markup(faces + brand.css_variables())}
    return context, assets


def card(record: dict, published: list[dict], thumb: dict | None) -> dict:
    """What one catalogue card shows, from the brief's publication record."""
    qa = record["qa"]
    order = ("pdf", "docx", "html")
    files = sorted((e for e in published if e["brief"] == record["id"]), key=lambda e: order.index(e["format"]))
    return {
        "id": record["id"], "title": record["title"], "subtitle": record["subtitle"],
        "audience": record["audience"]["name"], "audience_detail": record["audience"]["detail"],
        "language": record["language"], "language_name": LANGUAGES.get(record["language"], record["language"]),
        "date": record["date"], "date_text": month_year(record["date"], "en"),
        "pages": qa["pages"], "max_pages": record["max_pages"],
        "reading": reading_level_words(qa["reading_index"], qa["reading_level"]),
        "status": qa["status"], "thumb": thumb, "qa": qa["path"],
        "files": [{"format": FORMAT_LABELS[e["format"]], "path": e["path"], "size": human_size(e["bytes"]), "sha256": e["sha256"]}
                  for e in files],
        "bundle": f"bundles/{record['id']}.zip",
        "review": (record.get("review") or {}).get("label", "Not yet fact-checked"),
        "reviewed": bool((record.get("review") or {}).get("reviewed")),
    }


def render_catalogue(templates: Path, cards: list[dict], brand: dict, study: dict, title: str, base_url: str) -> str:
    return render(environment(templates), "catalogue.html.j2", {
        "cards": cards, "brand": brand, "study": study, "title": title, "base_url": base_url.rstrip("/"),
        "audiences": sorted({c["audience"] for c in cards}),
        "languages": [(code, LANGUAGES.get(code, code)) for code in sorted({c["language"] for c in cards})],
    }, templates)
