"""Synthetic studies for scale runs: the shipped study's schema and anchors, varied in size.

Each study is a copy of a real one (data + brief specs) with, chosen by a seeded generator:
- 0 to 3x as many extra findings (copies of real ones under new ids, priority 3), so loading,
  validation and anchor verification grow with the data;
- a different number of findings per brief (the specs' `limit`s), so briefs vary in length
  while staying inside their page and word limits.
Anchors are kept, so every study verifies against the same thesis text.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from policybrief.core.problems import InputError
from policybrief.core.yamlio import load_yaml

# Findings per brief in a synthetic study: (fewest, most). Briefs not listed keep their spec.
FINDINGS_PER_BRIEF = {"congress": (2, 5), "defense": (3, 7), "state": (2, 6), "research": (6, 9)}


def _load(path: Path):
    document, problems = load_yaml(path)
    if problems:
        raise InputError(problems)
    return document.data


class _NoAliases(yaml.SafeDumper):
    """Copied records share nested values; write each out in full (our loader refuses aliases)."""

    def ignore_aliases(self, data):
        return True


def _dump(data, path: Path) -> None:
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def make_study(data: Path, briefs: Path, dest: Path, seed: int) -> dict:
    """Write dest/data and dest/briefs; return the study's config entry (without `source`)."""
    rng = random.Random(seed)
    shutil.copytree(data, dest / "data")
    shutil.copytree(briefs, dest / "briefs")
    findings = _load(dest / "data" / "findings.yaml")
    extra = []
    for number in range(rng.randint(0, 3 * len(findings))):
        copy = dict(rng.choice(findings))
        copy.update(id=f"{copy['id']}-s{number + 1}", priority=3)
        extra.append(copy)
    _dump(findings + extra, dest / "data" / "findings.yaml")
    for brief, (fewest, most) in FINDINGS_PER_BRIEF.items():
        spec_path = dest / "briefs" / f"{brief}.yaml"
        if spec_path.is_file():
            spec = _load(spec_path)
            # A spec that names its findings keeps them (they carry the topics it covers and fit
            # its pages); one that selects by tags gets a varied limit.
            rules = spec["select"]["findings"]
            named = list(rules.get("include", []))
            rules["limit"] = len(named) if named else rng.randint(fewest, most)
            _dump(spec, spec_path)
    return {
        "data": str(dest / "data"),
        "briefs": str(dest / "briefs"),
        "title": f"Synthetic {dest.name} ({len(findings) + len(extra)} findings)",
    }


def make_studies(data: Path, briefs: Path, dest: Path, count: int, source: Path, seed: int = 2010) -> dict[str, dict]:
    """`count` studies under dest/, ids study-001...; the `studies:` entry of a workflow config."""
    studies = {}
    for number in range(1, count + 1):
        study_id = f"study-{number:03d}"
        studies[study_id] = {**make_study(data, briefs, dest / study_id, seed + number), "source": str(source)}
    return studies


def synthetic_command(data: str, briefs: str, templates: str, source: str, count: int, out: str, seed: int) -> int:
    """`policybrief synthetic`: `count` studies and a workflow config that builds them."""
    dest = Path(out).resolve()
    studies = make_studies(Path(data), Path(briefs), dest, count, Path(source).resolve(), seed)
    config = {"studies": studies, "templates": str(Path(templates).resolve()), "output": str(dest / "output")}
    (dest / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"ok: {count} studies in {dest}; build them with: "
          f"snakemake --configfile {dest / 'config.yaml'} --replace-workflow-config")
    return 0
