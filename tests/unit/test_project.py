"""Project-level promises: environment.yml matches pyproject, workflow helpers, config schema."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from policybrief.spec.project import (
    UNREADABLE_DATE_EPOCH,
    batches,
    brief_ids,
    code_files,
    input_files,
    study_epoch,
    study_settings,
)

from ..conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    # hunspell-en: the dictionary, which pip users get from Debian (make installs it as root).
    not_on_pypi = ("python", "pip", "hunspell-en")
    listed = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str) and _name(d) not in not_on_pypi}
    assert listed == wanted
    assert {"pip": ["-e ."]} in env["dependencies"]


def test_workflow_helpers(tmp_path):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "Bad Name.yaml").write_text("x", encoding="utf-8")
    assert brief_ids(tmp_path) == ["a"]
    assert input_files(tmp_path) == sorted(str(p) for p in tmp_path.iterdir())



def test_the_epoch_comes_from_the_study_date_not_from_git(tmp_path):
    (tmp_path / "study.yaml").write_text('date: "2012-07"\n', encoding="utf-8")
    assert study_epoch(tmp_path) == 1341100800  # 2012-07-01T00:00:00Z
    (tmp_path / "study.yaml").write_text('date: "2012-13"\n', encoding="utf-8")
    assert study_epoch(tmp_path) == UNREADABLE_DATE_EPOCH
    assert study_epoch(tmp_path / "missing") == UNREADABLE_DATE_EPOCH


def test_render_batches_keep_every_brief_once_in_order():
    ids = ["a", "b", "c", "d", "e"]
    assert batches(ids, 1) == [["a"], ["b"], ["c"], ["d"], ["e"]]
    assert batches(ids, 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert batches(ids, 0) == [ids] == batches(ids, 9)
    assert batches([], 0) == []


def test_code_files_are_narrowed_to_the_layers_a_job_runs():
    package = ROOT / "src" / "policybrief"
    render = code_files(package, ["core", "content", "spec", "render", "qa"])
    assert str(package / "render" / "pdf.py") in render and str(package / "cli.py") in render
    assert not any("/distribute/" in f or "/edit/" in f for f in render)


def test_bad_config_is_refused_before_anything_runs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--config", "only=congress"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "only" in (done.stdout + done.stderr) and "is not of type 'array'" in (done.stdout + done.stderr)


def test_a_full_disk_never_leaves_a_half_written_file(tmp_path, monkeypatch):
    import errno
    import os

    import pytest

    from policybrief.core.files import write_atomic

    target = tmp_path / "brief.pdf"
    write_atomic(target, b"previous good version")

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_atomic(target, b"new version that does not fit")
    assert target.read_bytes() == b"previous good version"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_study_settings_fill_defaults_and_filter_briefs(tmp_path):
    for study in ("a", "b"):
        (tmp_path / study).mkdir()
        for brief in ("press", "research") if study == "a" else ("press",):
            (tmp_path / study / f"{brief}.yaml").write_text("x", encoding="utf-8")
    studies = {s: {"data": f"d/{s}", "briefs": str(tmp_path / s), "source": "t.md"} for s in ("a", "b")}
    every = study_settings(studies, [])
    assert every["a"]["brief_ids"] == ["press", "research"] and every["b"]["brief_ids"] == ["press"]
    assert every["a"]["recipients"] == "d/a/distribution.csv" and every["a"]["title"] == "Policy briefs"
    only = study_settings(studies, ["research"])
    assert only["a"]["brief_ids"] == ["research"] and only["b"]["brief_ids"] == []
    with pytest.raises(ValueError, match="no study has a spec for: budget"):
        study_settings(studies, ["budget"])


@pytest.mark.parametrize("override, message", [
    ("studies={Bad_Id: {data: data, briefs: briefs, source: x}}", "does not match"),
    ("studies={other: {data: data, briefs: briefs}}", "'source' is a required property"),
    ("only=[nowhere]", "no study has a spec for: nowhere"),
])
def test_bad_studies_config_is_refused_before_anything_runs(override, message):
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--config", override],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert message in done.stdout + done.stderr


def test_synthetic_studies_are_valid_and_vary_in_size(tmp_path):
    from policybrief.content.loading import load_content
    from policybrief.content.synthetic import make_studies
    from policybrief.content.verify import verify
    from policybrief.spec.selection import select
    from policybrief.spec.specs import load_specs

    from ..conftest import SOURCE

    studies = make_studies(ROOT / "data", ROOT / "briefs", tmp_path, 3, SOURCE)
    assert list(studies) == ["study-001", "study-002", "study-003"]
    sizes, research = set(), set()
    for study in studies.values():
        content = load_content(study["data"])
        assert verify(content, SOURCE) == []
        sizes.add(len(content.findings))
        for spec_file in load_specs(Path(study["briefs"])):
            chosen = select(spec_file, content)
            research.add((spec_file.spec.id, len(chosen.findings)))
    # The studies vary in size; briefs that name their findings print the same ones in each.
    assert len(sizes) > 1 and min(sizes) >= 13 and research
    make_studies(ROOT / "data", ROOT / "briefs", tmp_path / "again", 3, SOURCE)
    for study_id in studies:
        for name in ("data/findings.yaml", "briefs/research.yaml"):
            first = (tmp_path / study_id / name).read_bytes()
            assert first == (tmp_path / "again" / study_id / name).read_bytes()


def test_the_catalog_test_config_plans_a_build():
    """`.test/config/config.yaml` is what the Snakemake workflow catalog runs."""
    done = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--directory", ".test"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "render" in done.stdout and "output/" not in done.stdout.replace(".test/", "")
