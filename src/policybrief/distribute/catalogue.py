"""output/index.html: a static catalogue of the published briefs, one card each, with thumbnails."""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup

from policybrief.core.files import write_atomic
from policybrief.qa.extract import pdf_page_images
from policybrief.render.brand import Brand, load_brand
from policybrief.render.templating import environment, render
from policybrief.spec.specs import load_spec


def thumbnail(pdf: Path, width: int = 360) -> bytes:
    """The first page as PNG."""
    return pdf_page_images(pdf, width, pages=1)[0]


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def brand_context(brand: Brand) -> dict:
    """The brand's colours, font stacks and logo for the catalogue page (font stacks are CSS already quoted)."""
    c = brand.colors
    return {"primary": c.primary, "accent": c.accent, "text": c.text, "muted": c.muted, "rule": c.rule, "tint": c.tint,
            "font_body": Markup(brand.fonts.stack(brand.fonts.body)), "font_heading": Markup(brand.fonts.stack(brand.fonts.heading)),
            "logo": brand.logo_uri, "logo_alt": brand.logo_alt}


def build_catalogue(output_dir: Path, briefs_dir: Path, templates: Path, published: dict, base_url: str, title: str) -> list[str]:
    cards = []
    for brief, entry in sorted(published.items()):
        if not entry["published"]:
            continue
        spec = load_spec(briefs_dir / f"{brief}.yaml").spec
        qa = json.loads((output_dir / "briefs" / brief / f"{brief}.qa.json").read_text(encoding="utf-8"))
        thumb = Path("catalogue") / f"{brief}.png"
        if "pdf" in entry["files"]:
            write_atomic(output_dir / thumb, thumbnail(output_dir / entry["files"]["pdf"]["path"]))
        cards.append({
            "id": brief, "title": spec.title, "subtitle": spec.subtitle, "audience": spec.audience.name,
            "audience_detail": spec.audience.detail, "language": spec.language,
            "pages": qa["scores"]["pages"], "max_pages": spec.max_pages,
            "reading_level": qa["scores"]["reading_level"], "reading_index": qa["scores"]["reading_index"],
            "status": qa["status"], "thumb": thumb.as_posix() if "pdf" in entry["files"] else None,
            "files": [{"format": fmt.upper(), "path": f["path"], "size": human_size(f["bytes"]), "sha256": f["sha256"]}
                      for fmt, f in sorted(entry["files"].items(), key=lambda kv: ("pdf", "docx", "html").index(kv[0]))],
            "bundle": f"bundles/{brief}.zip",
        })
    html = render(environment(templates), "catalogue.html.j2", {
        "cards": cards, "base_url": base_url.rstrip("/"), "title": title, "brand": brand_context(load_brand(templates)),
        "audiences": sorted({c["audience"] for c in cards}), "languages": sorted({c["language"] for c in cards}),
    }, templates)
    write_atomic(output_dir / "index.html", html)
    return ["index.html"] + [c["thumb"] for c in cards if c["thumb"]]
