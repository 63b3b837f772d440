"""Small helpers the Snakefile calls at parse time (kept here so they are unit-tested)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from policybrief.core.names import ID_PATTERN, LANGUAGES, MAX_PAGES
from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem
from policybrief.core.yamlio import load_yaml

# 1980-01-01, the earliest time a zip entry (DOCX) can hold: only for a study whose date cannot be
# read, and the data check then reports why.
UNREADABLE_DATE_EPOCH = 315532800


def brief_ids(briefs_dir: str | Path) -> list[str]:
    """Ids of every spec file; names that are not valid ids are left to `check-specs` to report."""
    return sorted(p.stem for p in Path(briefs_dir).glob("*.yaml") if re.match(ID_PATTERN, p.stem))


def study_settings(studies: dict[str, dict], only: list[str]) -> dict[str, dict]:
    """Every configured study with its defaults filled in and the ids of the briefs to build
    (those named in `only`, in every study that has them; all of them when `only` is empty)."""
    settings = {}
    for study_id, study in studies.items():
        briefs = brief_ids(study["briefs"])
        settings[study_id] = {
            "recipients": f"{study['data']}/distribution.csv",
            "title": "Policy briefs",
            **study,
            "brief_ids": [b for b in briefs if b in only] if only else briefs,
        }
    unknown = sorted(set(only) - {b for s in settings.values() for b in brief_ids(s["briefs"])})
    if unknown:
        raise ValueError(f"config 'only' names briefs that no study has a spec for: {', '.join(unknown)}")
    return settings


def _fields(path: Path, *names: str) -> tuple:
    """Top-level fields of a YAML file, read once with the strict reader (bounded size and depth, so
    a hostile file cannot stall or crash the workflow while it plans); None for each if unreadable."""
    try:
        doc, problems = load_yaml(path)
    except OSError:
        return (None,) * len(names)
    data = doc.data if doc is not None and not problems and isinstance(doc.data, dict) else {}
    return tuple(data.get(name) for name in names)


def batches(brief_ids: list[str], size: int) -> list[list[str]]:
    """A study's brief ids in consecutive batches of `size` (0: one batch of all): one render job each."""
    size = size or len(brief_ids) or 1
    return [brief_ids[start:start + size] for start in range(0, len(brief_ids), size)]


class BriefPlan(NamedTuple):
    chart: str | None  # the language of the chart the brief prints; None when it prints none
    pages: int  # its page limit: how long its render job runs, roughly (a fact-check sheet grows with it too)


def brief_plan(spec_path: str | Path) -> BriefPlan:
    """What the workflow needs of a spec while it plans, read once, without full validation (an
    unreadable spec waits for the English chart, and its render job reports the spec's problems)."""
    language, sections, pages = _fields(Path(spec_path), "language", "sections", "max_pages")
    chart = None if isinstance(sections, list) and "chart" not in sections else (language if language in LANGUAGES else "en")
    usable = isinstance(pages, int) and not isinstance(pages, bool)
    return BriefPlan(chart, min(max(pages, 1), MAX_PAGES) if usable else 1)


# Documentation beside the inputs (templates/README.md, csl/README.md): no job reads it.
DOCUMENTATION = (".md",)


def input_files(folder: str | Path) -> list[str]:
    """Every file under a folder, so that editing any of them reruns the rules that read it; not
    its documentation, which changes no output."""
    return sorted(str(p) for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in DOCUMENTATION)


def study_epoch(data_dir: str | Path) -> int:
    """SOURCE_DATE_EPOCH for a study: the first day of its `date:` (study.yaml, YYYY-MM), UTC.
    Taken from the content, not from git, so the same inputs give the same bytes whether or not
    they are committed, and a commit alone never rebuilds anything."""
    (value,) = _fields(Path(data_dir) / "study.yaml", "date")
    try:
        return int(datetime.strptime(str(value), "%Y-%m").replace(tzinfo=UTC).timestamp())
    except ValueError:  # month 13, year 0, not a date: the data check says which
        return UNREADABLE_DATE_EPOCH


def code_files(package: str | Path, layers: list[str]) -> list[str]:
    """The package modules a job runs: the top-level modules and the named layers' subpackages, so
    that editing, say, the mail code does not re-render the briefs."""
    package = Path(package)
    top = sorted(str(p) for p in package.glob("*.py"))
    return top + [f for layer in layers for f in input_files(package / layer)]


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def check_config_paths(config: dict, root: str | Path, where: str = "config/config.yaml") -> None:
    """Refuse, before anything runs, a configured path that would let the workflow read outside the
    project or write into its own inputs: every study's data, briefs and recipients, the templates
    and a reference DOCX must resolve (symlinks followed) inside `root`; the output folder may be
    anywhere that does not overlap an input (the folders above, the thesis texts, the code).
    The thesis text may live outside: it is only searched, never quoted or embedded."""
    root = Path(root).resolve()
    problems: list[Problem] = []
    inputs: dict[str, Path] = {}

    def contained(value: str, field: str) -> None:
        try:
            inputs[field] = inside(root, Path(value).absolute(), where, field)
        except InputError as exc:
            problems.extend(exc.problems)

    for study_id, study in config["studies"].items():
        for name in ("data", "briefs"):
            contained(study[name], f"studies.{study_id}.{name}")
        contained(study.get("recipients") or f"{study['data']}/distribution.csv", f"studies.{study_id}.recipients")
        inputs[f"studies.{study_id}.source"] = Path(study["source"]).resolve()
    contained(config["templates"], "templates")
    if config.get("reference_docx"):
        contained(config["reference_docx"], "reference_docx")
    inputs.update({"the workflow's code (src/)": root / "src", "the workflow's rules (rules/)": root / "rules"})
    output = Path(config["output"]).resolve()
    for field, path in inputs.items():
        if _overlap(output, path):
            problems.append(Problem(where, None, None, "output",
                                    f"'{config['output']}' ({output}) overlaps {field} ({path}); the output folder must be "
                                    "separate from every input, or a build would write into its own inputs"))
    if problems:
        raise InputError(problems)


def failure_report(logs: str | Path, since: float) -> str:
    """The problems reported by the jobs that failed in this run (their logs were written after
    `since`), each once: a data problem that stopped six render jobs and the data check is one line."""
    entries: list[str] = []
    for log in sorted(Path(logs).rglob("*.log")):
        if log.stat().st_mtime < since:
            continue
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("error: ")), None)
        if start is None:
            if any(line.startswith("Traceback") for line in lines):
                entries.append(f"{log}: the job stopped unexpectedly: {lines[-1]}")
            continue
        for line in lines[start:]:
            if line.startswith("error: ") and line.endswith(" found:"):
                continue  # the "N problems found:" heading of one job
            if line.startswith(("error: ", "  - ")) or not entries:
                entries.append(line.removeprefix("error: ").removeprefix("  - "))
            else:
                entries[-1] += "\n    " + line.strip()
    unique = list(dict.fromkeys(entries))
    if not unique:
        return ""
    count = f"{len(unique)} problem{'s' if len(unique) != 1 else ''}"
    return "\n".join([f"The build stopped: {count} (each listed once; job logs under {logs}):", *(f"  - {e}" for e in unique)])
