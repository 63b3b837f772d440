"""`policybrief check`: everything a template editor touches, without building any PDF."""

from __future__ import annotations

from pathlib import Path

from policybrief.content.loading import load_content
from policybrief.core.problems import InputError, Problem
from policybrief.qa.accessibility import check_brand_contrast
from policybrief.qa.gates import catalogue_gaps
from policybrief.render.i18n import LOCALES, catalogue_path
from policybrief.spec.specs import load_specs

from .preview import Workspace, render_web


def check_project(data: str, briefs: str, templates: str, source: str) -> int:
    """Data, specs, templates, catalogues and brand; every problem reported at once."""
    problems: list[Problem] = []

    def collect(step, *step_args):
        """Run one check; keep its problems and go on."""
        try:
            return step(*step_args)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    templates_dir = Path(templates)
    content = collect(load_content, data)
    collect(check_brand_contrast, templates_dir)  # loads and validates the brand, then its colour contrast
    specs = collect(load_specs, Path(briefs)) or []
    for lang in (code for code in LOCALES if code != "en"):
        problems += [Problem(str(catalogue_path(templates_dir, lang)), None, None, gap, "untranslated, fuzzy or missing a plural form")
                     for gap in catalogue_gaps(templates_dir, lang)]
    if content is not None and not problems:
        ws = Workspace(Path(data), Path(briefs), templates_dir, Path(source))
        for spec_file in specs:
            collect(render_web, ws, spec_file.spec.id)
    if problems:
        raise InputError(problems)
    print(f"ok: data, {len(specs)} brief specs, templates, catalogues and brand are valid (no PDF built)")
    return 0
