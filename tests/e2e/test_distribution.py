"""Distribution: publishing never loses the last good brief, releases are immutable, the catalogue
shows six cards in a real browser, and every recipient gets exactly the right attachments."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import shutil
import socket
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

from policybrief.cli import main

from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_everything_is_published_bundled_catalogued_and_drafted(built, manifest):
    assert len(manifest["published"]) == 18 and manifest["held_back"] == []
    assert len(manifest["bundles"]) == 6 and manifest["catalogue"]["path"] == "index.html"
    assert len(manifest["drafts"]) >= 6
    for item in manifest["published"] + manifest["bundles"] + manifest["drafts"]:
        assert hashlib.sha256((built / item["path"]).read_bytes()).hexdigest() == item["sha256"]
    with zipfile.ZipFile(built / "bundles" / "congress.zip") as archive:
        assert archive.namelist() == ["congress/README.txt", "congress/congress.docx", "congress/congress.pdf"]
        assert {i.date_time for i in archive.infolist()} == {(2010, 3, 1, 0, 0, 0)}
        assert archive.read("congress/congress.pdf") == (built / "published/congress/congress.pdf").read_bytes()
    draft = email.message_from_bytes((built / manifest["drafts"][0]["path"]).read_bytes(), policy=email.policy.SMTP)
    assert draft["X-Unsent"] == "1" and draft["Message-ID"].endswith("@policybrief.invalid>")


def test_a_failed_rebuild_leaves_published_briefs_untouched(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_workflow(project).returncode == 0
    published = project / "output" / STUDY / "published"
    before = digests(published)
    # A render that crashes (template syntax error) ...
    base = project / "templates" / "base.html.j2"
    base.write_text(base.read_text(encoding="utf-8").replace("{% endblock masthead %}", "{% endblock masthead %}{% if %}"), encoding="utf-8")
    failed = run_workflow(project, "--keep-going")
    assert failed.returncode != 0 and "base.html.j2" in failed.stdout + failed.stderr
    assert digests(published) == before
    # ... and a brief that fails QA in warn mode is held back, its last good copy kept.
    base.write_text(base.read_text(encoding="utf-8").replace("{% if %}", ""), encoding="utf-8")
    spec = project / "briefs" / "press.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("words: {max: 560}", "words: {max: 60}")
                    .replace("Close Neighbours, Distant Armies", "Close Neighbours, Distant Armies Today"), encoding="utf-8")
    warned = run_workflow(project, config=("qa={'mode': 'warn', 'warn_only': []}",))
    assert warned.returncode == 0, warned.stderr[-2000:]
    assert digests(published) == before
    held = json.loads((project / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))["held_back"]
    assert held == ["press"]


def test_releases_are_immutable(built, tmp_path, capsys):
    output = tmp_path / "output"
    shutil.copytree(built / "published", output / "published")
    assert main(["release", "--output", str(output)]) == 0
    releases = list((output / "releases").iterdir())
    assert len(releases) == 1
    sums = (releases[0] / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 18
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((releases[0] / name).read_bytes()).hexdigest() == digest
    before = digests(releases[0])
    capsys.readouterr()
    assert main(["release", "--output", str(output)]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert digests(releases[0]) == before


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium; .ci/run installs it)")
def test_catalogue_in_a_real_browser(built, tmp_path):
    url = (built / "index.html").as_uri()
    profile = tempfile.mkdtemp()
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120, check=False).stdout
    assert dom.count('<article class="card"') == 6
    assert "6 of 6 briefs" in dom  # the filter script ran
    shot = tmp_path / "catalogue.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1800", f"--screenshot={shot}", url],
                   capture_output=True, timeout=120, check=False)
    from PIL import Image, ImageStat

    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 1800)
    assert max(ImageStat.Stat(image).stddev) > 20  # a real page, not a blank screen
    # Six thumbnails: count the card header colour band (brick red) across the grid rows.
    accent = sum(1 for x in range(0, 1280, 4) for y in range(0, 1800, 4) if image.getpixel((x, y)) == (162, 59, 42))
    assert accent > 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_smtp_round_trip_sends_each_draft_once(built, tmp_path, monkeypatch, capsys):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    output = tmp_path / "output"
    shutil.copytree(built, output, ignore=shutil.ignore_patterns("logs"))
    port = _free_port()
    controller = Controller(Collect(message_class=email.message.EmailMessage), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(port))
        monkeypatch.setenv("SMTP_SECURITY", "none")
        assert main(["send", "--output", str(output)]) == 0  # dry run
        assert "would send" in capsys.readouterr().out and received == []
        assert main(["send", "--output", str(output), "--send"]) == 0
        assert main(["send", "--output", str(output), "--send"]) == 0  # rerun: nothing twice
    finally:
        controller.stop()
    drafts = json.loads((output / "build" / "drafts.json").read_text(encoding="utf-8"))
    assert len(received) == len(drafts)
    recipients = {d["to"]: d for d in drafts}
    for message in received:
        to = email.utils.parseaddr(message["To"])[1]
        draft = recipients.pop(to)
        assert "X-Unsent" not in message
        wanted = email.message_from_bytes((output / draft["path"]).read_bytes(), policy=email.policy.SMTP)
        got = {p.get_filename(): p.get_payload(decode=True) for p in message.walk() if p.get_filename()}
        assert set(got) == {p.get_filename() for p in wanted.iter_attachments()}
        for name, payload in got.items():
            assert payload == (output / "published" / draft["brief"] / name).read_bytes()
    assert recipients == {}
    assert len((output / "mail" / "sent.jsonl").read_text(encoding="utf-8").splitlines()) == len(drafts)
