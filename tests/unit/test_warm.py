"""policybrief.warm: a job forked from a warm process behaves like the plain command."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from ..conftest import ROOT

WARM = [sys.executable, "-m", "policybrief.warm"]


def run(args, cwd, **env):
    return subprocess.run([*WARM, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env}, check=False)


@pytest.mark.parametrize("warm", ["1", "0"])
def test_output_exit_status_and_working_directory_are_the_plain_commands(tmp_path, warm):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    ok = run(["validate", "--data", "data"], tmp_path, POLICYBRIEF_WARM=warm)
    plain = subprocess.run([sys.executable, "-m", "policybrief", "validate", "--data", "data"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120, check=False)
    assert (ok.returncode, ok.stdout, ok.stderr) == (plain.returncode, plain.stdout, plain.stderr) == (0, plain.stdout, "")
    assert "ok: data is valid" in ok.stdout
    (tmp_path / "data" / "findings.yaml").write_text("- id: [broken\n", encoding="utf-8")
    bad = run(["validate", "--data", "data"], tmp_path, POLICYBRIEF_WARM=warm)
    assert bad.returncode == 1 and "findings.yaml" in bad.stderr and "Traceback" not in bad.stderr
    usage = run(["no-such-command"], tmp_path, POLICYBRIEF_WARM=warm)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_killing_the_client_stops_its_job(tmp_path):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    client = subprocess.Popen([*WARM, "preview", "--port", str(port), "--source", str(ROOT / "README.md")], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _port_open(port):
            assert time.monotonic() < deadline and client.poll() is None, "the preview never started"
            time.sleep(0.1)
    finally:
        client.kill()
        client.wait()
    deadline = time.monotonic() + 10
    while _port_open(port):
        assert time.monotonic() < deadline, "the forked job outlived its client"
        time.sleep(0.1)
