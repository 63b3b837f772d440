"""Small helpers the Snakefile calls at parse time (kept here so they are unit-tested)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .models import ID_PATTERN

# 2010-03-01T00:00:00Z: the thesis date, used when the inputs are not in a git checkout.
FALLBACK_EPOCH = 1267401600


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


def source_date_epoch(root: str | Path, paths: list[str]) -> int:
    """Time of the last commit touching the inputs: same inputs, same timestamps inside the files."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", *paths],
            cwd=root, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return FALLBACK_EPOCH
    stamp = done.stdout.strip()
    return int(stamp) if done.returncode == 0 and stamp.isdigit() else FALLBACK_EPOCH
