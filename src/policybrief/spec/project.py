"""Small helpers the Snakefile calls at parse time (kept here so they are unit-tested)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from policybrief.content.models import ID_PATTERN

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


def brief_language(spec_path: str | Path) -> str:
    """The `language:` of a spec, read without full validation (the render job validates);
    an unreadable spec falls back to English so the rule's own error message can surface."""
    import yaml

    try:
        value = yaml.safe_load(Path(spec_path).read_text(encoding="utf-8")).get("language")
    except (OSError, yaml.YAMLError, AttributeError, UnicodeDecodeError):
        return "en"
    return value if value in ("en", "es") else "en"


def input_files(folder: str | Path) -> list[str]:
    """Every file under a folder, so that editing any of them reruns the rules that read it."""
    return sorted(str(p) for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def study_epoch(data_dir: str | Path) -> int:
    """SOURCE_DATE_EPOCH for a study: the first day of its `date:` (study.yaml, YYYY-MM), UTC.
    Taken from the content, not from git, so the same inputs give the same bytes whether or not
    they are committed, and a commit alone never rebuilds anything."""
    import yaml

    try:
        value = yaml.safe_load((Path(data_dir) / "study.yaml").read_text(encoding="utf-8")).get("date")
        return int(datetime.strptime(str(value), "%Y-%m").replace(tzinfo=UTC).timestamp())
    except (OSError, yaml.YAMLError, AttributeError, UnicodeDecodeError, ValueError):
        return UNREADABLE_DATE_EPOCH


def code_files(package: str | Path, layers: list[str]) -> list[str]:
    """The package modules a job runs: the top-level modules and the named layers' subpackages, so
    that editing, say, the mail code does not re-render the briefs."""
    package = Path(package)
    top = sorted(str(p) for p in package.glob("*.py"))
    return top + [f for layer in layers for f in input_files(package / layer)]
