"""The render job: render briefs in every format, measure the files each made and write its
fact-check sheet, in one process, so a QA result can never describe other files. Several briefs (one Snakemake job per batch) share the
process's imports and the study's loaded content; with more than one worker they render in parallel
in forked worker processes, which inherit both instead of paying for them again."""

from __future__ import annotations

import functools
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from policybrief.core.files import read_json, sha256, write_json
from policybrief.core.problems import InputError


def measure(brief: str, folder: Path, record: dict, out: Path, templates: Path, years: set[int], warn_only: list[str],
            spec_file, content, html=None) -> int:
    """Run the quality gates on a built brief's files and write <brief>.qa.json to `out`."""
    from .gates import check_brief

    files = {fmt: folder / f"{brief}.{fmt}" for fmt in ("pdf", "docx", "html")}
    report = check_brief(spec_file, content, record, files, templates, years, html)
    result = report.as_dict(set(warn_only))
    result["files"] = {fmt: sha256(path) for fmt, path in files.items()}
    write_json(out, result)
    print(f"{brief}: {result['status']} ({len(report.failures)} of {len(report.measures)} measures failed)", flush=True)
    return 0


def _render_one(brief: str, paths, out: Path, epoch: int, years: set[int], source, warn_only: list[str], content) -> int:
    """One brief into <out>/<brief>/: its three formats, build record, QA result and fact-check sheet."""
    from policybrief.render.pandoc_runner import PandocError
    from policybrief.render.pdf import RenderError
    from policybrief.render.pipeline import build_brief, prepare

    from .extract import parse_brief_html
    from .factcheck import write_sheet

    folder = out / brief
    try:
        prepared = prepare(brief, paths.data, paths.briefs, paths.templates, content=content)
        built = build_brief(brief, paths, folder, folder / f"{brief}.build.json", epoch, prepared)
    except (RenderError, PandocError) as exc:
        print(f"error: brief '{brief}': {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"ok: {brief}: " + ", ".join(sorted(built["files"].values())), flush=True)
    # The web page is parsed once, for the gates and for the sheet.
    html = parse_brief_html(folder / f"{brief}.html")
    code = measure(brief, folder, built, folder / f"{brief}.qa.json", paths.templates, years, warn_only,
                   prepared.spec_file, prepared.content, html)
    try:
        write_sheet(prepared.spec, prepared.content, html, source, paths.templates, folder, THESIS_HREF)
    except RenderError as exc:
        print(f"error: brief '{brief}': fact-check sheet: {exc}", file=sys.stderr, flush=True)
        return 1
    return code


# From output/<study>/briefs/<id>/ to output/<study>/thesis.html (rules/qa.smk, rule thesis_html).
THESIS_HREF = "../../thesis.html"


# The job a forked worker runs, handed over at fork (not pickled: it holds the loaded content).
_job = None


def _adopt(job) -> None:
    global _job
    _job = job


def _in_worker(brief: str) -> int | list:
    """A worker's result crosses back pickled: bad input comes back as its problems (an InputError
    is rebuilt from them in the job's own process, so every brief's problems are reported at once)."""
    try:
        return _job(brief)
    except InputError as exc:
        return exc.problems


def _import_renderers() -> None:
    """What every brief needs, imported before the workers fork so that they share it."""
    import policybrief.qa.accessibility
    import policybrief.qa.factcheck
    import policybrief.qa.gates
    import policybrief.render.pdf
    import policybrief.render.pipeline
    import policybrief.render.to_docx  # noqa: F401


def _run_all(job, briefs: list[str], workers: int) -> int:
    if workers > 1 and len(briefs) > 1:
        _import_renderers()
        with ProcessPoolExecutor(min(workers, len(briefs)), mp_context=get_context("fork"), initializer=_adopt,
                                 initargs=(job,)) as pool:
            results = list(pool.map(_in_worker, briefs))
    else:
        _adopt(job)
        results = [_in_worker(brief) for brief in briefs]
    problems = [p for r in results if isinstance(r, list) for p in r]
    if problems:
        raise InputError(problems)
    return max(results)


def _cpu_seconds() -> float:
    """CPU time of this process and of every process it waited for (workers, pandoc)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def render_and_measure(brief: list[str], data: str, briefs: str, templates: str, source: str, charts: str,
                       reference_docx: str, out: str, epoch: int, warn_only: list[str], workers: int,
                       brand: str | None = None) -> int:
    """`policybrief render`: for each brief, <out>/<brief>/<brief>.{html,pdf,docx}, its build record and
    its QA result; `workers` processes render them in parallel."""
    from policybrief.content.loading import load_content
    from policybrief.content.source import SourceText
    from policybrief.render.pipeline import Paths

    from .gates import thesis_years

    paths = Paths(Path(data), Path(briefs), Path(templates), Path(charts), Path(reference_docx), brand and Path(brand))
    # Loaded once for every brief of the job (the briefs of one job belong to one study).
    content = load_content(paths.data)
    job = functools.partial(_render_one, paths=paths, out=Path(out), epoch=epoch, years=thesis_years(Path(source)),
                            source=SourceText.read(Path(source), content.structure), warn_only=warn_only, content=content)
    code = _run_all(job, brief, workers)
    # For the benchmark (bench/run.py): the job's own cost, next to Snakemake's benchmark file.
    print(f"render job: {len(brief)} briefs, {_cpu_seconds():.2f} CPU-s", flush=True)
    return code


def measure_built(brief: str, data: str, briefs: str, templates: str, source: str, dir: str, out: str,
                  warn_only: list[str]) -> int:
    """`policybrief qa`: measure a brief built earlier (its files and build record in `dir`)."""
    from policybrief.content.loading import load_content
    from policybrief.spec.specs import load_spec

    from .gates import thesis_years

    folder = Path(dir)
    record = read_json(folder / f"{brief}.build.json")
    return measure(brief, folder, record, Path(out), Path(templates), thesis_years(Path(source)), warn_only,
                   load_spec(Path(briefs) / f"{brief}.yaml"), load_content(data))
