"""Project-level promises: environment.yml matches pyproject, workflow helpers, config schema."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from policybrief.workflow import FALLBACK_EPOCH, brief_ids, input_files, source_date_epoch

from ..conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r): r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")}
    assert listed == wanted
    assert {"pip": ["-e ."]} in env["dependencies"]


def test_workflow_helpers(tmp_path):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "Bad Name.yaml").write_text("x", encoding="utf-8")
    assert brief_ids(tmp_path) == ["a"]
    assert input_files(tmp_path) == sorted(str(p) for p in tmp_path.iterdir())
    assert source_date_epoch(tmp_path, ["."]) == FALLBACK_EPOCH  # not a git checkout
    assert source_date_epoch(ROOT, ["data"]) > FALLBACK_EPOCH


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

    from policybrief.build import write_atomic

    target = tmp_path / "brief.pdf"
    write_atomic(target, b"previous good version")

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_atomic(target, b"new version that does not fit")
    assert target.read_bytes() == b"previous good version"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]
