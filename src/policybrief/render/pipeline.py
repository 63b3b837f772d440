"""Build one brief in every format it asks for, in one process (imports and set-up paid once)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from policybrief.content.loading import load_content
from policybrief.core.files import write_atomic
from policybrief.spec.project import input_files
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from .brand import Brand, brand_of, data_uri
from .citations import resolve
from .context import ChartImages, build_context, citation_plan
from .i18n import translations
from .templating import environment, render

STYLESHEET = "brief.css"


@dataclass(frozen=True)
class Paths:
    data: Path
    briefs: Path
    templates: Path
    charts: Path  # folder holding <lang>/cooperation.svg and .png
    reference_docx: Path
    brand: Path | None = None  # the brand job's JSON; without it the brand file is read here


def input_digests(paths: Paths, brief_id: str) -> dict[str, str]:
    """sha256 of every file a brief was built from, so the manifest says exactly what went in (the
    templates' documentation is not an input: see spec.project.input_files)."""
    files = [paths.briefs / f"{brief_id}.yaml", paths.reference_docx, *sorted(paths.data.glob("*")),
             *map(Path, input_files(paths.templates))]
    return {p.as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def style_context(brand: Brand, templates: Path, target: str, lang: str = "en") -> dict:
    css = (templates / STYLESHEET).read_text(encoding="utf-8")
    faces = brand.font_faces() if target == "print" else ""
    return {
        "styles": Markup(brand.css_variables() + faces + css),
        "brand": {"name": brand.name_in(lang), "publisher": brand.publisher, "logo": brand.logo_uri},
    }


@dataclass(frozen=True)
class Prepared:
    """Everything a brief's pages are made from, before any renderer runs."""

    content: object
    spec_file: object
    chosen: object
    tr: object
    notes: object

    @property
    def spec(self):
        return self.spec_file.spec


def _resolve_notes(plan, content, data: Path, csl: Path, lang: str, with_bibliography: bool):
    """Notes through citeproc; a language with its own reference forms (references.<lang>.yaml)
    gets a reference list with those forms, written to a temporary file for pandoc."""
    citations = [cites for _key, cites in plan]
    if not content.reference_forms.get(lang):
        return resolve(citations, data / "references.json", csl, lang, with_bibliography)
    with tempfile.TemporaryDirectory(prefix="policybrief-refs-") as folder:
        bibliography = Path(folder) / f"references.{lang}.json"
        bibliography.write_text(json.dumps(content.references_in(lang), ensure_ascii=False), encoding="utf-8")
        return resolve(citations, bibliography, csl, lang, with_bibliography)


def prepare(brief_id: str, data: Path, briefs: Path, templates: Path, content=None) -> Prepared:
    """Load and validate, select the records, and format the notes through citeproc. A job that
    renders several briefs of one study loads its `content` once and hands it in."""
    content = load_content(data) if content is None else content
    spec_file = load_spec(briefs / f"{brief_id}.yaml")
    spec = spec_file.spec
    chosen = select(spec_file, content)
    tr = translations(templates, spec.language)
    plan = citation_plan(spec, content, chosen, tr)
    with_bibliography = "references" in spec.sections
    short = with_bibliography or spec.notes == "short"
    csl = templates / "csl" / ("chicago-note-bibliography.csl" if short else "chicago-fullnote-bibliography.csl")
    notes = _resolve_notes(plan, content, data, csl, spec.language, with_bibliography)
    return Prepared(content, spec_file, chosen, tr, notes)


@functools.lru_cache(maxsize=8)
def _environment(templates: Path, lang: str):
    """One environment per language and process, so each template compiles once per process rather
    than once per page (three pages a brief). Jinja reloads a template whose file changed."""
    return environment(templates, translations(templates, lang))


def render_page(prepared: Prepared, chart: ChartImages | None, brand: Brand, templates: Path, target: str) -> str:
    """The brief's HTML for one target: `web`, `print` (for WeasyPrint) or `docx` (for pandoc)."""
    spec = prepared.spec
    context = build_context(spec, prepared.content, prepared.chosen, prepared.notes, chart, prepared.tr, target)
    context.update(style_context(brand, templates, target, spec.language))
    return render(_environment(Path(templates), spec.language), f"{spec.template}.html.j2", context, templates)


def furniture(prepared: Prepared, brand: Brand, templates: Path):
    """The DOCX header and footer texts in the brief's language."""
    from .docx_layout import Furniture, logo_png  # python-docx and PDFium only where a DOCX is made

    tr, spec = prepared.tr, prepared.spec
    return Furniture(series=brand.name_in(spec.language), evidence=prepared.content.study.evidence_date.get(spec.language),
                     running_title=spec.title, page=tr.gettext("Page"), of=tr.gettext("of"),
                     logo_png=logo_png(brand, templates), logo_alt=brand.logo_alt)


def chart_images(folder: Path) -> ChartImages:
    return ChartImages(data_uri(folder / "cooperation.svg", "image/svg+xml"), data_uri(folder / "cooperation.png", "image/png"))


def build_brief(brief_id: str, paths: Paths, out_dir: Path, record_path: Path, source_date_epoch: int,
                prepared: Prepared | None = None) -> dict:
    """Render <brief>.html, .pdf and .docx into out_dir and write the build record.

    All three formats are always rendered, so quality checks can compare them; the spec's
    `formats` decide which are published and distributed.
    """
    from .pdf import render_pdf
    from .to_docx import html_to_docx

    prepared = prepared or prepare(brief_id, paths.data, paths.briefs, paths.templates)
    spec, chosen, notes = prepared.spec, prepared.chosen, prepared.notes
    brand = brand_of(paths.templates, paths.brand)
    chart = chart_images(paths.charts / spec.language) if "chart" in spec.sections else None

    def page(target: str) -> str:
        return render_page(prepared, chart, brand, paths.templates, target)

    # fontTools, which subsets fonts for WeasyPrint, stamps each subset with the current time unless
    # SOURCE_DATE_EPOCH is set; pandoc reads it for DOCX dates. Same inputs, same bytes.
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    outputs = {fmt: out_dir / f"{brief_id}.{fmt}" for fmt in ("html", "pdf", "docx")}
    write_atomic(outputs["html"], page("web"))
    write_atomic(outputs["pdf"], render_pdf(page("print"), paths.templates))
    docx = html_to_docx(page("docx"), paths.reference_docx, source_date_epoch, brand, furniture(prepared, brand, paths.templates))
    write_atomic(outputs["docx"], docx)
    record = {
        "brief": brief_id,
        "language": spec.language,
        "selected": chosen.ids(),
        "excluded": {k: [{"id": e.id, "reason": e.reason} for e in v] for k, v in chosen.excluded.items()},
        "notes": len(notes.notes),
        "formats": list(spec.formats),
        "inputs": input_digests(paths, brief_id),
        "files": {fmt: path.name for fmt, path in outputs.items()},
    }
    write_atomic(record_path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return record
