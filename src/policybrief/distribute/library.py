"""output/manifest.json and output/index.html: one entry per study, pointing at the study's own
manifest (sha256-pinned) and catalogue, so a library can serve many studies from one folder. The
page is a branded card per study (first brief's thumbnail, briefs, languages, links)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policybrief.core.files import sha256, write_atomic, write_json
from policybrief.render.brand import Brand, brand_of
from policybrief.render.i18n import month_year
from policybrief.render.templating import environment, render

from .catalogue import LANGUAGES, web_brand
from .edition import read_current_manifest
from .manifest import tool_versions


def study_entry(output: Path, study_id: str, title: str) -> dict:
    manifest = read_current_manifest(output / study_id)
    if manifest is None:
        raise FileNotFoundError(f"study '{study_id}' has published nothing yet ({output / study_id})")
    briefs = manifest["briefs"]
    thumbs = [p["path"] for p in manifest["site"] if p["path"].startswith("catalogue/")]
    entry = {
        "id": study_id,
        "title": title,
        "manifest": f"{study_id}/manifest.json",
        "sha256": sha256(output / study_id / "manifest.json"),
        "catalogue": f"{study_id}/index.html",
        "thumb": f"{study_id}/{thumbs[0]}" if thumbs else None,
        "briefs": len(briefs) + len([b for b in manifest["held_back"] if b not in {r['id'] for r in briefs}]),
        "published": len(briefs),
        "files": len(manifest["published"]),
        "held_back": manifest["held_back"],
        "languages": sorted({b["language"] for b in briefs}),
        "audiences": [b["audience"]["name"] for b in briefs],
        "date": max((b["date"] for b in briefs), default=None),
    }
    entry["date_text"] = month_year(entry["date"], "en") if entry["date"] else None
    return entry


def build_library(output: Path, templates: Path, studies: list[tuple[str, str]], checked: Brand | None = None) -> dict:
    entries = [study_entry(output, study_id, title) for study_id, title in studies]
    library = {"tools": tool_versions(), "studies": entries}
    brand, assets = web_brand(templates, checked)
    # Rendered before anything is written: a broken library.html.j2 (reported with its file and line)
    # leaves the previous index and manifest as they were.
    page = render(environment(templates), "library.html.j2", {"studies": entries, "brand": brand, "languages": LANGUAGES}, templates)
    for path, data in assets.items():
        write_atomic(output / path, data)
    write_atomic(output / "manifest.json", json.dumps(library, indent=2, ensure_ascii=False) + "\n")
    write_atomic(output / "index.html", page)
    return library


def library_command(output: str, templates: str, studies: list[str], titles: list[str], stamp: str,
                    brand: str | None = None) -> int:
    """`policybrief library`: output/manifest.json and output/index.html over every study."""
    if len(studies) != len(titles):
        print("error: library: give one --titles entry per --studies entry", file=sys.stderr)
        return 2
    library = build_library(Path(output), Path(templates), list(zip(studies, titles, strict=True)),
                            brand_of(Path(templates), brand))
    write_json(Path(stamp), {"studies": [s["id"] for s in library["studies"]], "manifest_sha256": sha256(Path(output) / "manifest.json")})
    print(f"ok: {output}/manifest.json and index.html list {len(library['studies'])} studies")
    return 0
