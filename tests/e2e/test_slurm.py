"""The workflow on a real SLURM cluster: a single-node cluster (Debian's munged, slurmctld and slurmd,
started here as root on localhost) runs every non-local job that snakemake-executor-plugin-slurm
submits with profiles/slurm, and the outputs are byte-identical to a local build.

Needs root, the SLURM and MUNGE daemons (.ci/run installs them) and the plugin
(cluster/slurm-requirements.txt; .ci/run installs it into .venv/slurm-plugin). Without them the test
is skipped, except in CI, where it fails."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e

DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel")
PLUGIN_DIR = ROOT / ".venv" / "slurm-plugin"  # where .ci/run installs cluster/slurm-requirements.txt
MUNGE_SOCKET = Path("/run/munge/munge.socket.2")  # the default, which a configless slurmd uses
CONFIGLESS = Path("/run/slurm/conf")  # slurmd caches the controller's config here; clients read it


def _plugin_path() -> str | None:
    """A PYTHONPATH entry that makes the plugin importable ('' when it already is), None without it."""
    if PLUGIN_DIR.is_dir():
        return str(PLUGIN_DIR)
    found = subprocess.run([sys.executable, "-c", "import snakemake_executor_plugin_slurm"], capture_output=True, check=False)
    return "" if found.returncode == 0 else None


def _missing() -> str:
    if os.geteuid() != 0:
        return "the SLURM daemons must be started as root"
    absent = [name for name in DAEMONS if not shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")]
    if absent:
        return f"not installed: {', '.join(absent)} (apt-get install slurmctld slurmd slurm-client munge)"
    if Path("/etc/slurm/slurm.conf").exists():
        return "/etc/slurm/slurm.conf exists: this machine belongs to a cluster already"
    if _plugin_path() is None:
        return "snakemake-executor-plugin-slurm is not installed (pip install -r cluster/slurm-requirements.txt)"
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _munge_answers() -> bool:
    encoded = subprocess.run(["munge", "-n"], capture_output=True, check=False)
    return encoded.returncode == 0 and subprocess.run(["unmunge"], input=encoded.stdout, capture_output=True,
                                                      check=False).returncode == 0


def _slurm_conf(folder: Path, host: str, ctld_port: int, slurmd_port: int) -> str:
    return f"""\
ClusterName=policybrief
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmctldParameters=enable_configless
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
# Finished jobs stay visible to squeue (there is no accounting database for sacct) for 10 minutes.
MinJobAge=600
NodeName={host} NodeAddr=127.0.0.1 CPUs=2 RealMemory=8000 State=UNKNOWN
PartitionName=main Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


@dataclass
class Cluster:
    folder: Path
    conf: Path

    def jobs(self) -> list[tuple[str, str]]:
        """(state, comment) of every job the controller remembers; the plugin puts the rule in the comment."""
        listed = subprocess.run(["squeue", "--states=all", "--noheader", "--format=%T|%k"], capture_output=True, text=True,
                                env={**os.environ, "SLURM_CONF": str(self.conf)}, check=True)
        return [tuple(line.split("|", 1)) for line in listed.stdout.splitlines()]


def _stop(pid_file: Path) -> None:
    if pid_file.is_file():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the SLURM test cannot run in CI: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("slurm")
    for sub in ("state", "spool"):
        (folder / sub).mkdir()
    started_munge = not _munge_answers()
    if started_munge:
        key = folder / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o400)
        MUNGE_SOCKET.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["munged", "--force", f"--socket={MUNGE_SOCKET}", f"--key-file={key}", f"--pid-file={folder}/munged.pid",
                        f"--log-file={folder}/munged.log", f"--seed-file={folder}/munged.seed"], check=True)
    host = socket.gethostname().split(".")[0]
    ctld_port = _free_port()
    conf = folder / "slurm.conf"
    conf.write_text(_slurm_conf(folder, host, ctld_port, _free_port()), encoding="utf-8")
    subprocess.run(["slurmctld", "-f", str(conf)], check=True)
    # Configless: the node fetches slurm.conf from the controller and caches it under /run/slurm/conf,
    # where every client on this host (and in the jobs) finds it, as on a real node.
    subprocess.run(["slurmd", "-N", host, "--conf-server", f"127.0.0.1:{ctld_port}"], check=True)
    state = Cluster(folder, conf)
    try:
        deadline = time.monotonic() + 60
        idle = ""
        while time.monotonic() < deadline and idle != "idle":
            time.sleep(0.5)
            idle = subprocess.run(["sinfo", "--noheader", "--format=%T"], capture_output=True, text=True, check=False,
                                  env={**os.environ, "SLURM_CONF": str(conf)}).stdout.strip()
        assert idle == "idle", f"the node did not come up: {idle!r}\n" + (folder / "slurmctld.log").read_text(errors="replace")[-2000:]
        yield state
    finally:
        _stop(folder / "slurmd.pid")
        _stop(folder / "slurmctld.pid")
        if started_munge:
            _stop(folder / "munged.pid")
        if CONFIGLESS.is_symlink() and str(folder) in os.readlink(CONFIGLESS):
            CONFIGLESS.unlink()


def test_workflow_on_slurm_gives_outputs_identical_to_a_local_build(tmp_path, manifest, cluster, monkeypatch):
    plugin = _plugin_path()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (plugin, os.environ.get("PYTHONPATH", "")) if p))
    monkeypatch.setenv("SLURM_CONF", str(cluster.conf))  # for the clients Snakemake runs here
    project = copy_project(tmp_path / "project")
    done = run_workflow(
        project, "--workflow-profile", "profiles/slurm",
        # This cluster has no accounting database (sacct) and one node of 2 CPUs; waiting 40 s before
        # the first status check suits a real cluster, not a test.
        "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "1",
        "--group-components", "render=2",
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    # The chart, render (two briefs a job, as a group) and distribute jobs ran as SLURM jobs, and finished.
    jobs = cluster.jobs()
    assert {state for state, _ in jobs} == {"COMPLETED"}, jobs
    comments = " ".join(comment for _, comment in jobs)
    assert "chart" in comments and "render" in comments and "distribute" in comments, jobs
    assert len(jobs) < 1 + 6 + 1, jobs  # fewer SLURM jobs than chart + six renders + distribute: renders were grouped
    clustered = json.loads((project / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))

    def shas(m: dict) -> dict[str, str]:
        return {item["path"]: item["sha256"] for item in m["files"] + m["published"] + m["bundles"] + m["drafts"]}

    assert shas(clustered) == shas(manifest)
