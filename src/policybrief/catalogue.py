"""output/index.html: a static catalogue of the published briefs, one card each, with thumbnails."""

from __future__ import annotations

import io
import json
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .briefs import load_spec
from .build import write_atomic


def thumbnail(pdf: Path, width: int = 360) -> bytes:
    """First page as PNG (pdfium renders; no system poppler needed)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


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
    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)), autoescape=True, undefined=StrictUndefined)
    html = env.get_template("catalogue.html.j2").render(
        cards=cards, base_url=base_url.rstrip("/"), title=title,
        audiences=sorted({c["audience"] for c in cards}), languages=sorted({c["language"] for c in cards}),
    )
    write_atomic(output_dir / "index.html", html)
    return ["index.html"] + [c["thumb"] for c in cards if c["thumb"]]
