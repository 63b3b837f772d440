"""One render job: render a brief in every format and measure the files it made, in one process,
so a QA result can never describe other files."""

from __future__ import annotations

import sys
from pathlib import Path

from policybrief.core.files import read_json, sha256, write_json


def measure(brief: str, folder: Path, record: dict, out: Path, templates: Path, source: Path, warn_only: list[str],
            spec_file, content) -> int:
    """Run the quality gates on a built brief's files and write <brief>.qa.json to `out`."""
    from .gates import check_brief, thesis_years

    files = {fmt: folder / f"{brief}.{fmt}" for fmt in ("pdf", "docx", "html")}
    report = check_brief(spec_file, content, record, files, templates, thesis_years(source))
    result = report.as_dict(set(warn_only))
    result["files"] = {fmt: sha256(path) for fmt, path in files.items()}
    write_json(out, result)
    print(f"{brief}: {result['status']} ({len(report.failures)} of {len(report.measures)} measures failed)")
    return 0


def render_and_measure(brief: str, data: str, briefs: str, templates: str, source: str, charts: str, reference_docx: str,
                       out: str, record: str, epoch: int, qa: str | None, warn_only: list[str]) -> int:
    """`policybrief render`: HTML, PDF and DOCX of one brief, its build record, and (with --qa) its QA result."""
    from policybrief.render.pandoc_runner import PandocError
    from policybrief.render.pdf import RenderError
    from policybrief.render.pipeline import Paths, build_brief, prepare

    paths = Paths(Path(data), Path(briefs), Path(templates), Path(charts), Path(reference_docx))
    try:
        prepared = prepare(brief, paths.data, paths.briefs, paths.templates)
        built = build_brief(brief, paths, Path(out), Path(record), epoch, prepared)
    except (RenderError, PandocError) as exc:
        print(f"error: brief '{brief}': {exc}", file=sys.stderr)
        return 1
    print(f"ok: {brief}: " + ", ".join(sorted(built["files"].values())))
    if not qa:
        return 0
    code = measure(brief, Path(out), built, Path(qa), paths.templates, Path(source), warn_only,
                   prepared.spec_file, prepared.content)
    try:
        write_factcheck(prepared.spec, prepared.content, Path(out), paths.templates, Path(source))
    except RenderError as exc:
        print(f"error: brief '{brief}': fact-check sheet: {exc}", file=sys.stderr)
        return 1
    return code


def write_factcheck(spec, content, folder: Path, templates: Path, source: Path) -> None:
    """The reviewer's sheet beside the brief; it links to the study's thesis page (thesis-html)."""
    from policybrief.content.source import SourceText

    from .extract import parse_brief_html
    from .factcheck import write_sheet

    html = parse_brief_html(folder / f"{spec.id}.html")
    write_sheet(spec, content, html, SourceText.read(source, content.structure), templates, folder, THESIS_HREF)


# From output/<study>/briefs/<id>/ to output/<study>/thesis.html (rules/qa.smk, rule thesis_html).
THESIS_HREF = "../../thesis.html"


def measure_built(brief: str, data: str, briefs: str, templates: str, source: str, dir: str, out: str,
                  warn_only: list[str]) -> int:
    """`policybrief qa`: measure a brief built earlier (its files and build record in `dir`)."""
    from policybrief.content.loading import load_content
    from policybrief.spec.specs import load_spec

    folder = Path(dir)
    record = read_json(folder / f"{brief}.build.json")
    return measure(brief, folder, record, Path(out), Path(templates), Path(source), warn_only,
                   load_spec(Path(briefs) / f"{brief}.yaml"), load_content(data))
