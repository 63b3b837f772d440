"""Many studies in one workflow: per-study outputs, a library index, and a study's edit rebuilding
only that study's brief."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from policybrief.core.files import sha256

from ..conftest import SOURCE
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e


def test_two_studies_side_by_side(tmp_path, built):
    project = copy_project(tmp_path / "project")
    made = subprocess.run(
        [sys.executable, "-m", "policybrief", "synthetic", "--count", "1", "--out", "synthetic", "--source", str(SOURCE)],
        cwd=project, capture_output=True, text=True, timeout=120, check=False,
    )
    assert made.returncode == 0, made.stderr
    extra = yaml.safe_load((project / "synthetic" / "config.yaml").read_text(encoding="utf-8"))["studies"]["study-001"]
    setting = f"studies={{study-001: {{data: '{extra['data']}', briefs: '{extra['briefs']}', source: '{SOURCE}'}}}}"
    done = run_workflow(project, config=(setting,))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    output = project / "output"
    library = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in library["studies"]] == [STUDY, "study-001"]
    for entry in library["studies"]:
        assert sha256(output / entry["manifest"]) == entry["sha256"]
        assert entry["published"] == entry["briefs"] == 6 and entry["files"] == 18
        manifest = json.loads((output / entry["manifest"]).read_text(encoding="utf-8"))
        assert all(f["path"].startswith("briefs/") for f in manifest["files"])  # relative to the study folder
        assert (output / entry["id"] / "index.html").is_file() and (output / entry["id"] / "qa.html").is_file()
    index = (output / "index.html").read_text(encoding="utf-8")
    assert f'href="{STUDY}/index.html"' in index and 'href="study-001/index.html"' in index

    # Adding a study changes nothing in another: the shipped study's briefs are byte-identical.
    for brief in ("congress", "mexico-es"):
        for fmt in ("pdf", "docx", "html"):
            name = f"briefs/{brief}/{brief}.{fmt}"
            assert sha256(output / STUDY / name) == sha256(built / name), name

    # Editing one study's brief spec re-renders that brief of that study only.
    spec = project / "synthetic" / "study-001" / "briefs" / "press.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    planned = run_workflow(project, "-n", config=(setting,))
    renders = re.findall(r"rule render:.*?wildcards: study=([\w-]+), brief=([\w-]+)", planned.stdout, re.S)
    assert renders == [("study-001", "press")], planned.stdout[-3000:]
