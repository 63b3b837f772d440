"""How jobs are laid out and run changes nothing in the outputs: Snakemake's cluster-generic executor
(each job a detached process) and batched render jobs (render_batch: several briefs per job, in a
pool of forked workers) give byte-identical files; Ctrl-C stops the detached jobs too."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import psutil
import pytest

from .conftest import SOURCE_CONFIG, STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e


def shas(m: dict) -> dict[str, str]:
    return {item["path"]: item["sha256"] for item in m["files"] + m["published"] + m["bundles"] + m["drafts"]}


def test_cluster_executor_gives_identical_outputs(tmp_path, manifest):
    project = copy_project(tmp_path / "project")
    done = run_workflow(project, "--workflow-profile", "profiles/cluster-local")
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    submitted = list((project / ".cluster-logs").iterdir())  # written by cluster/submit.sh, one per job
    assert len(submitted) >= 6, submitted
    clustered = json.loads((project / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))
    assert shas(clustered) == shas(manifest)


def _render_jobs(planned: str) -> list[str]:
    """The render jobs a dry run plans, as the rule names Snakemake prints."""
    return re.findall(r"^rule (render\w*):", planned, re.M)


def test_batched_render_jobs_give_identical_outputs_and_an_edit_reruns_its_batch(tmp_path, manifest):
    copy = copy_project(tmp_path / "project")
    planned = run_workflow(copy, "-n", config=("render_batch=0",))
    assert _render_jobs(planned.stdout) == ["render_garza_2010_1"], planned.stdout[-2000:]  # one job for the study

    # Batches of two, each rendered by two forked workers: the same bytes as a job per brief.
    pairs = ("render_batch=2",)
    done = run_workflow(copy, config=pairs)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    for number in (1, 2, 3):
        log = (copy / "output" / "logs" / STUDY / "render" / f"batch-{number}.log").read_text(encoding="utf-8")
        assert log.count("ok: ") == 2 and "render job: 2 briefs" in log, log
    batched = json.loads((copy / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))
    assert shas(batched) == shas(manifest)

    # Editing the press spec plans only the batch holding press (mexico-es, press).
    spec = copy / "briefs" / "press.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    planned = run_workflow(copy, "-n", config=pairs).stdout
    assert _render_jobs(planned) == ["render_garza_2010_2"], planned[-2000:]
    assert re.search(r"rule render_garza_2010_2:\s+input:.*?output: [^\n]*mexico-es\.pdf[^\n]*press\.pdf", planned, re.S), planned[-2000:]


def _job_processes(project, snakemake: subprocess.Popen) -> list[psutil.Process]:
    """Every process working in the project but the Snakemake we started: the submitted jobs."""
    return [p for p in psutil.process_iter(["cwd", "cmdline"])
            if p.pid != snakemake.pid and (p.info["cwd"] or "").startswith(str(project))]


def _running_renders(project, snakemake) -> set[str]:
    """Briefs whose render is running now, from the renderers' command lines."""
    found = set()
    for process in _job_processes(project, snakemake):
        words = process.info["cmdline"] or []
        if "policybrief" in words and "render" in words:
            found.add(words[words.index("render") + 1])
    return found


def test_ctrl_c_stops_the_jobs_the_cluster_profile_submitted(tmp_path):
    project = copy_project(tmp_path / "project")
    logs = project / "output" / "logs" / STUDY / "render"
    snakemake = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--workflow-profile", "profiles/cluster-local", "--config", SOURCE_CONFIG],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not _running_renders(project, snakemake):
            assert snakemake.poll() is None, "the build ended before a render job started"
            time.sleep(0.2)
        running = _running_renders(project, snakemake)
        snakemake.send_signal(signal.SIGINT)  # what Ctrl-C sends (the jobs run in sessions of their own)
        snakemake.wait(timeout=120)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _job_processes(project, snakemake):
            time.sleep(0.2)
        left = [" ".join(p.info["cmdline"] or []) for p in _job_processes(project, snakemake)]
        assert not left, left
        # Stopped, not left to finish: a render job that ran to its end logs its cost last.
        finished = [b for b in running if "render job:" in (logs / f"{b}.log").read_text(encoding="utf-8")]
        assert running and not finished, (running, finished)
    finally:
        if snakemake.poll() is None:
            snakemake.kill()
        for process in _job_processes(project, snakemake):
            process.kill()
