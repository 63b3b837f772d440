from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT


def run_workflow(output: Path, *extra: str) -> subprocess.CompletedProcess:
    """The real workflow, as a user runs it, writing into `output`."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--config", f"output={output}", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("build-a") / "output"
    done = run_workflow(output)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return output


@pytest.fixture(scope="session")
def manifest(built) -> dict:
    return json.loads((built / "manifest.json").read_text(encoding="utf-8"))
