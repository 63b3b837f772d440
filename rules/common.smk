"""Configuration, validation and helpers shared by the rule files. No rules here."""

import shlex
from pathlib import Path
import sys

from snakemake.utils import validate

from policybrief.workflow import brief_ids, brief_language, input_files, source_date_epoch

validate(config, "../schemas/config.schema.yaml")

# The package's CLI, run with the interpreter that runs Snakemake (no reliance on PATH).
PB = f"{shlex.quote(sys.executable)} -m policybrief"
OUT = config["output"]
DATA = config["data"]
BRIEFS_DIR = config["briefs"]
TEMPLATES = config["templates"]
BRIEFS = config["only"] or brief_ids(BRIEFS_DIR)
EPOCH = source_date_epoch(workflow.basedir, [DATA, BRIEFS_DIR, TEMPLATES])
REFERENCE_DOCX = config["reference_docx"] or f"{OUT}/build/reference.docx"

# Content files only: the recipients list feeds the e-mail drafts, not the briefs.
DATA_FILES = [f for f in input_files(DATA) if f != config["recipients"]]
TEMPLATE_FILES = input_files(TEMPLATES)
# The package's own code: changing how briefs are made rebuilds them.
CODE_FILES = input_files(Path(workflow.basedir) / "src" / "policybrief")

# What the chart is drawn from: the junctures, the brand, fonts and translations; not every data file.
CHART_INPUTS = [f"{DATA}/junctures.yaml", f"{TEMPLATES}/brand.yaml"] + [
    f for f in TEMPLATE_FILES if "/fonts/" in f or "/locale/" in f
]


def print_qa_table(summary_path):
    """The quality table last on screen, where a long log cannot bury it."""
    summary = Path(summary_path)
    if summary.is_file():
        import json

        print("\nQuality gates\n" + json.loads(summary.read_text(encoding="utf-8"))["table"] + "\n")


def chart_for(wildcards):
    """The chart in the brief's own language, so an English edit does not rebuild the Spanish brief."""
    lang = brief_language(f"{BRIEFS_DIR}/{wildcards.brief}.yaml")
    return f"{OUT}/build/charts/{lang}/cooperation.svg"


wildcard_constraints:
    brief="[a-z0-9][a-z0-9-]{0,48}",
    lang="[a-z]{2}",
