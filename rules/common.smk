"""Configuration, validation and helpers shared by the rule files. No rules here."""

import functools
import shlex
from pathlib import Path
import sys

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from policybrief.workflow import brief_language, input_files, source_date_epoch, study_settings

validate(config, "../schemas/config.schema.yaml")

# The package's CLI, run with the interpreter that runs Snakemake (no reliance on PATH), through
# policybrief.warm: each job is forked from a process that has already imported the renderers.
PB = f"{shlex.quote(sys.executable)} -m policybrief.warm"
OUT = config["output"]
TEMPLATES = config["templates"]
try:
    # id -> data, briefs, source, recipients, title and the brief ids to build.
    STUDIES = study_settings(config["studies"], config["only"])
except ValueError as exc:
    raise WorkflowError(str(exc))
# (study, brief) pairs: the render jobs.
BRIEFS = [(study, brief) for study, s in STUDIES.items() for brief in s["brief_ids"]]
REFERENCE_DOCX = config["reference_docx"] or f"{OUT}/build/reference.docx"

TEMPLATE_FILES = input_files(TEMPLATES)
# The package's own code: changing how briefs are made rebuilds them.
CODE_FILES = input_files(Path(workflow.basedir) / "src" / "policybrief")
# Fonts and translations: what a chart needs from the templates besides brand.yaml.
CHART_TEMPLATE_FILES = [f"{TEMPLATES}/brand.yaml"] + [f for f in TEMPLATE_FILES if "/fonts/" in f or "/locale/" in f]


def study(wildcards):
    return STUDIES[wildcards.study]


@functools.cache
def study_data_files(study_id):
    s = STUDIES[study_id]
    return [f for f in input_files(s["data"]) if f != s["recipients"]]


def data_files(wildcards):
    """A study's content files, listed once per study. Not its recipients list: that feeds the
    e-mail drafts, not the briefs."""
    return study_data_files(wildcards.study)


def spec_files(wildcards):
    s = study(wildcards)
    return [f"{s['briefs']}/{b}.yaml" for b in s["brief_ids"]]


@functools.cache
def study_epoch(study_id):
    s = STUDIES[study_id]
    return source_date_epoch(workflow.basedir, [s["data"], s["briefs"], TEMPLATES])


def epoch(wildcards):
    """Time of the last commit touching the study's inputs or the templates (same inputs, same bytes)."""
    return study_epoch(wildcards.study)


def chart_for(wildcards):
    """The chart in the brief's own language, so an English edit does not rebuild the Spanish brief."""
    lang = brief_language(f"{study(wildcards)['briefs']}/{wildcards.brief}.yaml")
    return f"{OUT}/{wildcards.study}/build/charts/{lang}/cooperation.svg"


def study_outputs(pattern):
    """`pattern` (with {brief} and {ext}) for every brief of the wildcards' study."""

    def paths(wildcards):
        return [
            pattern.format(study=wildcards.study, brief=b, ext=ext)
            for b in study(wildcards)["brief_ids"]
            for ext in (["pdf", "docx", "html"] if "{ext}" in pattern else [None])
        ]

    return paths


def print_qa_tables():
    """The quality tables last on screen, where a long log cannot bury them."""
    import json

    for study_id in STUDIES:
        summary = Path(OUT) / study_id / "build" / "qa-summary.json"
        if summary.is_file():
            table = json.loads(summary.read_text(encoding="utf-8"))["table"]
            print(f"\nQuality gates: {study_id}\n{table}\n")


wildcard_constraints:
    study="[a-z0-9][a-z0-9-]{0,48}",
    brief="[a-z0-9][a-z0-9-]{0,48}",
    lang="[a-z]{2}",
