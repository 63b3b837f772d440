"""The whole workflow through Snakemake's cluster-generic executor, each job a detached process:
every job is self-contained, and the outputs are identical to a local run."""

from __future__ import annotations

import json

import pytest

from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e


def test_cluster_executor_gives_identical_outputs(tmp_path, manifest):
    project = copy_project(tmp_path / "project")
    done = run_workflow(project, "--workflow-profile", "profiles/cluster-local")
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    submitted = list((project / ".cluster-logs").iterdir())  # written by cluster/submit.sh, one per job
    assert len(submitted) >= 6, submitted
    clustered = json.loads((project / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))

    def shas(m: dict) -> dict[str, str]:
        return {item["path"]: item["sha256"] for item in m["files"] + m["published"] + m["bundles"] + m["drafts"]}

    assert shas(clustered) == shas(manifest)
