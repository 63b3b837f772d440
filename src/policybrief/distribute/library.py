"""output/manifest.json and output/index.html: one entry per study, pointing at the study's own
manifest (sha256-pinned) and catalogue, so a library can serve many studies from one folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from policybrief.core.files import sha256, write_atomic
from policybrief.render.templating import environment, render

from .manifest import tool_versions


def build_library(output: Path, templates: Path, studies: list[tuple[str, str]]) -> dict:
    entries = []
    for study_id, title in studies:
        path = output / study_id / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        briefs = sorted({f["brief"] for f in manifest["files"]})
        entries.append({
            "id": study_id,
            "title": title,
            "manifest": f"{study_id}/manifest.json",
            "sha256": sha256(path),
            "catalogue": f"{study_id}/{manifest['catalogue']['path']}" if manifest.get("catalogue") else None,
            "briefs": len(briefs),
            "files": len(manifest["files"]),
            "published": len(briefs) - len(manifest["held_back"]),
            "held_back": manifest["held_back"],
            "languages": sorted({f["language"] for f in manifest["files"]}),
        })
    library = {"tools": tool_versions(), "studies": entries}
    # Rendered before anything is written: a broken library.html.j2 (reported with its file and line)
    # leaves the previous index and manifest as they were.
    page = render(environment(templates), "library.html.j2", {"studies": entries}, templates)
    write_atomic(output / "manifest.json", json.dumps(library, indent=2, ensure_ascii=False) + "\n")
    write_atomic(output / "index.html", page)
    return library


def library_command(output: str, templates: str, studies: list[str], titles: list[str]) -> int:
    """`policybrief library`: output/manifest.json and output/index.html over every study."""
    if len(studies) != len(titles):
        print("error: library: give one --titles entry per --studies entry", file=sys.stderr)
        return 2
    library = build_library(Path(output), Path(templates), list(zip(studies, titles, strict=True)))
    print(f"ok: {output}/manifest.json and index.html list {len(library['studies'])} studies")
    return 0
