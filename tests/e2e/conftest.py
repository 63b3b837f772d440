from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..conftest import ROOT, SOURCE

STUDY = "garza-2010"  # the shipped study's id in config/config.yaml
# The thesis text sits beside the real project, not beside a copy: point the study at it.
SOURCE_CONFIG = f"studies={{{STUDY}: {{source: '{SOURCE}'}}}}"
SKIP = shutil.ignore_patterns(".venv", "output", ".snakemake", "__pycache__", ".pytest_cache", "*.egg-info")


def copy_project(dest: Path) -> Path:
    """A private copy of the project (with its git history, for the reproducible timestamps)."""
    shutil.copytree(ROOT, dest, ignore=SKIP)
    return dest


def run_workflow(project: Path, *extra: str, config: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """The real workflow, as a user runs it, in `project`, writing into project/output."""
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *extra, "--config", SOURCE_CONFIG, *config],
        cwd=project, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("build-a") / "project")
    done = run_workflow(project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return project


@pytest.fixture(scope="session")
def built(project) -> Path:
    """The shipped study's output folder."""
    return project / "output" / STUDY


@pytest.fixture
def fresh(project, tmp_path) -> Path:
    """A private copy of the built session project (outputs, links, Snakemake's records), for tests that edit it:
    the session project itself stays exactly as the first build left it."""
    return shutil.copytree(project, tmp_path / "project", symlinks=True)


@pytest.fixture(scope="session")
def manifest(built) -> dict:
    return json.loads((built / "manifest.json").read_text(encoding="utf-8"))


@contextlib.contextmanager
def preview_server(data: Path, briefs: Path, templates: Path):
    """The preview server (policybrief.edit.preview) on a free local port, stopped on exit; yields the port."""
    from policybrief.edit.preview import Workspace, serve

    ws = Workspace(data, briefs, templates, SOURCE)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(ws, port, ready, stop), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield port, ws
    finally:
        stop.set()
        thread.join(10)
