"""Configuration, validation and helpers shared by the rule files. No rules here."""

import functools
import os
import shlex
import sys
import time
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from policybrief.core.problems import InputError
from policybrief.core.names import LANGUAGES as SPEC_LANGUAGES
from policybrief.distribute.edition import published_state
from policybrief.spec.project import brief_ids
from policybrief.spec.project import (
    batches,
    brief_plan,
    check_config_paths,
    code_files,
    failure_report,
    input_files,
    study_epoch,
    study_settings,
)

# Logs written after this moment belong to this run (the end-of-run report reads only those).
RUN_STARTED = time.time()

validate(config, "../schemas/config.schema.yaml")
try:
    # Inputs inside the project, an output folder that overlaps no input: checked before any job.
    check_config_paths(config, workflow.basedir)
except InputError as exc:
    raise WorkflowError(exc.report())

# The package's CLI, run with the interpreter that runs Snakemake (no reliance on PATH): each job
# is a plain process that Snakemake owns. Named by its environment's `bin/python`, not by the name
# Snakemake was started with (`snakemake`, `python -m snakemake`, `python3 -m …` give python,
# python3, …): the command is a param, and a param that changes re-runs every job.
PYTHON = Path(sys.prefix, "bin", "python")
if not (PYTHON.is_file() and os.path.samefile(PYTHON, sys.executable)):
    PYTHON = Path(sys.executable)  # no environment of its own (a system Python): the running one
PB = f"{shlex.quote(str(PYTHON))} -m policybrief"
OUT = config["output"]
TEMPLATES = config["templates"]
try:
    # id -> data, briefs, source, recipients, title and the brief ids to build.
    STUDIES = study_settings(config["studies"], config["only"])
except ValueError as exc:
    raise WorkflowError(str(exc))
# Render jobs: one per brief (render_batch 1), or one per batch of a study's briefs rendering them
# in one process with a pool of `threads` workers (imports and loaded data shared).
RENDER_BATCH = config["render_batch"]
RENDER_BATCHES = [(study_id, number, ids) for study_id, s in STUDIES.items()
                  for number, ids in enumerate(batches(s["brief_ids"], RENDER_BATCH), start=1)]
REFERENCE_DOCX = config["reference_docx"] or f"{OUT}/build/reference.docx"
BRAND_JSON = f"{OUT}/build/brand.json"

TEMPLATE_FILES = input_files(TEMPLATES)
# The languages a brief can be written in: a chart is drawn in each.
LANGUAGES = list(SPEC_LANGUAGES)
# The package's own code, by layer: a job reruns when the code it runs changes, and only then
# (editing the mail code re-distributes, it does not re-render).
# Relative to the working directory, like every other input: a project copied or moved elsewhere
# keeps its Snakemake records valid and rebuilds nothing.
PACKAGE = Path(os.path.relpath(Path(workflow.basedir) / "src" / "policybrief"))
RENDER_CODE = code_files(PACKAGE, ["core", "content", "spec", "render", "qa"])
CHART_CODE = BRAND_CODE = code_files(PACKAGE, ["core", "content", "render"])
CHECK_CODE = code_files(PACKAGE, ["core", "content", "spec"])
DISTRIBUTE_CODE = code_files(PACKAGE, ["core", "content", "spec", "render", "qa", "distribute"])
# The brand file, its fonts and the images a logo can be (the brand job checks the logo it names);
# a chart needs the translations as well.
BRAND_FILES = [f for f in TEMPLATE_FILES if "fonts" in Path(f).parts or Path(f).name == "_brand.yml"
               or Path(f).suffix.lower() in (".svg", ".png", ".jpg", ".jpeg")]
CHART_TEMPLATE_FILES = BRAND_FILES + [f for f in TEMPLATE_FILES if "locale" in Path(f).parts]


def study(wildcards):
    return STUDIES[wildcards.study]


def study_data(wildcards):
    return study(wildcards)["data"]


def study_briefs(wildcards):
    return study(wildcards)["briefs"]


def study_source(wildcards):
    return study(wildcards)["source"]


def study_recipients(wildcards):
    return study(wildcards)["recipients"]


def study_title(wildcards):
    return study(wildcards)["title"]


def study_brief_ids(wildcards):
    return study(wildcards)["brief_ids"]


def spec_file(wildcards):
    return f"{study_briefs(wildcards)}/{wildcards.brief}.yaml"


@functools.cache
def study_data_files(study_id):
    s = STUDIES[study_id]
    return [f for f in input_files(s["data"]) if f != s["recipients"] and Path(f).name != "reviews.yaml"]


def data_files(wildcards):
    """A study's content files, listed once per study. Not its recipients list (it feeds the
    e-mail drafts) nor its sign-offs (they feed publishing): neither changes a brief."""
    return study_data_files(wildcards.study)


def reviews_file(wildcards):
    """The study's sign-offs, when there are any (data/reviews.yaml, written by `policybrief sign-off`)."""
    path = Path(study_data(wildcards)) / "reviews.yaml"
    return [str(path)] if path.is_file() else []


def structure_file(wildcards):
    return f"{study_data(wildcards)}/structure.yaml"


def junctures_file(wildcards):
    return f"{study_data(wildcards)}/junctures.yaml"


def spec_files(wildcards):
    return [f"{study_briefs(wildcards)}/{b}.yaml" for b in study_brief_ids(wildcards)]


@functools.cache
def _epoch(study_id):
    return study_epoch(STUDIES[study_id]["data"])


def epoch(wildcards):
    """SOURCE_DATE_EPOCH from the study's own date: same inputs, same bytes, committed or not."""
    return _epoch(wildcards.study)


def charts_folder(wildcards):
    return f"{OUT}/{wildcards.study}/build/charts"


def brief_folder(wildcards):
    return f"{OUT}/{wildcards.study}/briefs/{wildcards.brief}"


def study_folder(wildcards):
    return f"{OUT}/{wildcards.study}"


@functools.cache
def plan_of(study_id, brief):
    return brief_plan(f"{STUDIES[study_id]['briefs']}/{brief}.yaml")


def chart_of(study_id, brief):
    """The chart in the brief's own language, for a brief that prints one: the others need not wait
    for the chart job, nor re-render when the chart changes."""
    lang = plan_of(study_id, brief).chart
    return [f"{OUT}/{study_id}/build/charts/{lang}/cooperation.svg"] if lang else []


def chart_for(wildcards):
    return chart_of(wildcards.study, wildcards.brief)


# The jobs render jobs wait for (brand, reference document, the chart for briefs that print it) go
# first, ahead of those nothing waits for until the end (the data check, the thesis page); render
# jobs come between, never above the first.
PREREQUISITE_PRIORITY = 100


def render_priority_of(study_id, briefs):
    """Longest render jobs first (their page limits stand for their length): on two cores the
    6-page brief started fourth left one core idle for its last 4 s. Above the jobs renders need not
    wait for (the data check, the thesis page), which still run beside them."""
    return min(1 + sum(plan_of(study_id, b).pages for b in briefs), PREREQUISITE_PRIORITY - 1)


def render_priority(wildcards):
    return render_priority_of(wildcards.study, [wildcards.brief])


def brief_files(study_id, brief):
    """What a render job makes for one brief: the three formats (in the Snakemake report), the build
    record, the QA result and the fact-check sheet."""
    stem = f"{OUT}/{study_id}/briefs/{brief}/{brief}"
    shown = {fmt: report(f"{stem}.{fmt}", caption="../report/brief.rst", category=study_id, subcategory=brief)
             for fmt in ("pdf", "docx", "html")}
    sheet = {f"factcheck_{ext}": f"{stem}.factcheck.{ext}" for ext in ("json", "html", "pdf")}
    return {**shown, "record": f"{stem}.build.json", "qa": f"{stem}.qa.json", **sheet}


def study_outputs(pattern):
    """`pattern` (with {brief} and {ext}) for every brief of the wildcards' study."""

    def paths(wildcards):
        return [
            pattern.format(study=wildcards.study, brief=b, ext=ext)
            for b in study_brief_ids(wildcards)
            for ext in (["pdf", "docx", "html"] if "{ext}" in pattern else [None])
        ]

    return paths


def print_qa_tables(this_run_only=False):
    """The quality tables last on screen, where a long log cannot bury them. After a failure only
    the tables this run wrote: an earlier build's all-PASS table would say the opposite of the truth."""
    import json

    for study_id in STUDIES:
        summary = Path(OUT) / study_id / "build" / "qa-summary.json"
        if summary.is_file() and not (this_run_only and summary.stat().st_mtime < RUN_STARTED):
            table = json.loads(summary.read_text(encoding="utf-8"))["table"]
            print(f"\nQuality gates: {study_id}\n{table}\n", flush=True)  # before the problems, on stderr


def print_failure():
    """After a failed run: the quality tables of this run, then every problem the failed jobs
    reported, each once (jobs write to their logs only; Snakemake does not repeat them)."""
    print_qa_tables(this_run_only=True)
    problems = failure_report(Path(OUT) / "logs", RUN_STARTED)  # (`report` is a Snakemake keyword)
    if problems:
        print(f"\n{problems}\n", file=sys.stderr)


def every_spec(wildcards):
    """Every spec of the study, built in this run or not: a removed spec withdraws its brief."""
    briefs = study_briefs(wildcards)
    return [f"{briefs}/{b}.yaml" for b in brief_ids(briefs)]


def edition_stamp(wildcards):
    return f"{OUT}/{wildcards.study}/build/edition.json"


def publication_state(wildcards):
    """'ok' or what is damaged in the served edition: a changed value reruns the job, which repairs it."""
    return published_state(f"{OUT}/{wildcards.study}", edition_stamp(wildcards))

def render_memory(threads):
    """MB for a render job: the parent's imports plus a worker per thread (peak RSS is about 200 MB
    for the largest brief; see bench/results.md)."""
    return 300 + 300 * max(threads - 1, 0)


def output_dir(wildcards):
    """The output folder (a function, not a literal prefix: see `snakemake --lint`)."""
    return OUT


def templates_dir(wildcards):
    """The shared templates folder (a function, not a literal prefix: see `snakemake --lint`)."""
    return TEMPLATES


wildcard_constraints:
    study="[a-z0-9][a-z0-9-]{0,48}",
    brief="[a-z0-9][a-z0-9-]{0,48}",
    lang="[a-z]{2}",
