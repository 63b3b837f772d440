"""output/manifest.json: the single index of what was built, with checksums and tool versions."""

from __future__ import annotations

import json
import platform
from pathlib import Path

from policybrief import __version__
from policybrief.core.files import sha256, write_atomic
from policybrief.qa.extract import extract, pdf_pages, word_count
from policybrief.spec.specs import load_spec


def tool_versions() -> dict[str, str]:
    from importlib.metadata import version

    from policybrief.render import pandoc_runner

    return {
        "policybrief": __version__,
        "weasyprint": version("weasyprint"),  # from the installed metadata: importing it costs 0.8 s
        "pandoc": pandoc_runner.version(),
        "python": platform.python_version(),
    }


def distribution(output_dir: Path) -> dict:
    """What the distribution steps made: published copies, bundles, e-mail drafts, catalogue."""
    build = output_dir / "build"

    def read(name):
        path = build / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    published = read("published.json") or {}
    extra = {
        "published": [f for entry in published.values() for f in entry["files"].values()],
        "held_back": sorted(b for b, entry in published.items() if not entry["published"]),
        "bundles": list((read("bundles.json") or {}).values()),
        "drafts": [{**d, "sha256": sha256(output_dir / d["path"])} for d in read("drafts.json") or []],
    }
    for key, name in (("catalogue", "index.html"), ("qa_report", "qa.html")):
        if (output_dir / name).is_file():
            extra[key] = {"path": name, "sha256": sha256(output_dir / name)}
    return extra


def write_manifest(output_dir: Path, briefs_dir: Path, records: list[Path]) -> dict:
    files, inputs = [], {}
    for record_path in sorted(records):
        record = json.loads(Path(record_path).read_text(encoding="utf-8"))
        spec = load_spec(Path(briefs_dir) / f"{record['brief']}.yaml").spec
        folder = Path(record_path).parent
        qa_path = folder / f"{spec.id}.qa.json"
        qa = json.loads(qa_path.read_text(encoding="utf-8"))
        qa_status = qa["status"]
        for fmt in spec.formats:
            path = folder / record["files"][fmt]
            digest = sha256(path)
            measured = qa.get("files", {}).get(fmt) == digest  # QA's numbers describe exactly this file
            files.append({
                "brief": spec.id,
                "audience": spec.audience.name,
                "language": spec.language,
                "format": fmt,
                "path": path.relative_to(output_dir).as_posix(),
                "bytes": path.stat().st_size,
                "sha256": digest,
                "pages": (qa["scores"]["pages"] if measured else pdf_pages(path)) if fmt == "pdf" else None,
                "max_pages": spec.max_pages,
                "words": qa["scores"]["words"] if fmt == "pdf" and measured else word_count(extract(path)),
                "qa": qa_path.relative_to(output_dir).as_posix(),
                "qa_status": qa_status,
            })
        inputs[spec.id] = record["inputs"]
    manifest = {"tools": tool_versions(), "files": files, "inputs": inputs, **distribution(Path(output_dir))}
    write_atomic(Path(output_dir) / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest
