"""Publishing a comms team can rely on (issue 15): the published set is always exactly the last good
build, whole; anyone can serve it; e-mail goes out as the manifest says, and every outcome is known."""

from __future__ import annotations

import email
import email.policy
import errno
import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.core.problems import InputError
from policybrief.distribute.edition import LINKS
from policybrief.distribute.pipeline import distribute
from policybrief.distribute.publish import _git_state, release
from policybrief.spec.project import brief_ids, study_epoch

from .conftest import STUDY, run_workflow

pytestmark = pytest.mark.e2e

TITLE = "U.S.–Mexico Military Cooperation: Policy Briefs"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def served(study: Path) -> dict[str, str]:
    """Every file reachable through the stable paths a web server and people use, path -> sha256."""
    found = {}
    for name in LINKS:
        path = study / name
        if path.is_file():
            found[name] = sha(path)
        elif path.is_dir():
            found |= {p.relative_to(study).as_posix(): sha(p) for p in path.rglob("*") if p.is_file()}
    return found


def manifest_of(study: Path) -> dict:
    return json.loads((study / "manifest.json").read_text(encoding="utf-8"))


def today() -> set[str]:
    """Today's UTC date, and yesterday's in case the test ran across midnight."""
    now = time.time()
    return {datetime.fromtimestamp(t, UTC).date().isoformat() for t in (now, now - 600)}


@pytest.fixture
def study_copy(built, tmp_path) -> Path:
    """A private copy of the built study folder, for distribute and send called in-process."""
    return shutil.copytree(built, tmp_path / "out" / STUDY, symlinks=True)


def run_distribute(project: Path, study: Path, **change) -> int:
    """The distribute job as the workflow runs it, in this process."""
    options = {
        "output": str(study), "briefs": str(project / "briefs"), "templates": str(project / "templates"), "data": str(project / "data"),
        "mode": "fail", "recipients": str(project / "data" / "distribution.csv"), "sender": "Policy Brief Series <briefs@example.org>",
        "epoch": study_epoch(project / "data"), "base_url": "", "title": TITLE, "brief_ids": brief_ids(project / "briefs"),
        "results": [str(p) for p in sorted((study / "briefs").glob("*/*.qa.json"))], "stamp": str(study / "build" / "edition.json"),
    }
    return distribute(**{**options, **change})


# --- 1. servable ------------------------------------------------------------------------------

def test_every_published_file_is_readable_by_another_user(built, manifest):
    if os.geteuid() != 0:
        pytest.skip("needs root: creates a user with useradd and reads as that user with runuser")
    user = "pbreader"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user], capture_output=True, check=False)
    # pytest's own temporary folders are private (0700); open only the way down to the output folder, as
    # a web root's parents are. Everything below it must be readable because of how it was written.
    parents = [p for p in built.parents if p != Path("/")]
    modes = {p: p.stat().st_mode & 0o777 for p in parents}
    for p in parents:
        p.chmod(modes[p] | 0o011)
    try:
        listed = [*manifest["published"], *manifest["bundles"], *manifest["site"], *(b["qa"] for b in manifest["briefs"])]
        paths = [built / item["path"] for item in listed] + [built / "manifest.json", built.parent / "index.html",
                                                              built.parent / "manifest.json"]
        assert len(paths) > 18 + 6 + 6 + 6
        for path in paths:
            done = subprocess.run(["runuser", "-u", user, "--", "cat", str(path)], capture_output=True, timeout=30, check=False)
            assert done.returncode == 0 and done.stdout == path.read_bytes(), (path, done.stderr)
        listing = subprocess.run(["runuser", "-u", user, "--", "ls", str(built / "published" / "press")], capture_output=True,
                                 text=True, timeout=30, check=False)
        assert listing.stdout.split() == ["press.docx", "press.html", "press.pdf", "press.qa.json"]
    finally:
        for p, mode in modes.items():
            p.chmod(mode)
    # The umask here is 022: files 0644 and folders 0755, as a plain open() and mkdir() would make them.
    edition = (built / "current").resolve()
    assert {oct(p.stat().st_mode & 0o777) for p in edition.rglob("*") if p.is_file()} == {"0o644"}
    assert {oct(p.stat().st_mode & 0o777) for p in [edition, *edition.rglob("*")] if p.is_dir()} == {"0o755"}


# --- 2, 8. a subset build, and corrected editions ---------------------------------------------

class Mailbox:
    """A real SMTP server on 127.0.0.1: refuses the addresses in `refuse` with 550, and hangs up
    without replying, after taking the message, the first time one of `drop` is a recipient."""

    def __init__(self):
        self.received, self.refuse, self.drop, self.dropped = [], set(), set(), set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.SMTP)
        self.received.append((list(envelope.rcpt_tos), message))
        dropping = set(envelope.rcpt_tos) & self.drop - self.dropped
        if dropping:
            self.dropped |= dropping
            server.transport.close()
        return "250 Message accepted"

    def to(self) -> list[str]:
        return [rcpt for rcpts, _m in self.received for rcpt in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox(monkeypatch):
    from aiosmtpd.controller import Controller

    box = Mailbox()
    box.port = port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_SECURITY", "none")
    yield box
    controller.stop()


def send(study: Path, *extra: str, recipients: Path | None = None) -> int:
    return main(["send", "--output", str(study), "--send", *extra, *(["--recipients", str(recipients)] if recipients else [])])


def test_a_one_brief_build_updates_only_that_brief_and_marks_corrected_editions(fresh, mailbox, capsys, monkeypatch):
    study = fresh / "output" / STUDY
    monkeypatch.chdir(fresh)  # the manifest names the recipients file as the workflow was given it
    assert send(study) == 0 and len(mailbox.received) == 8
    before = served(study)
    spec = fresh / "briefs" / "press.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("Close Neighbors, Distant Armies", "Close Neighbors, Distant Forces"),
                    encoding="utf-8")
    done = run_workflow(fresh, config=("only=[press]",))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    manifest = manifest_of(study)
    from policybrief.spec.specs import load_specs

    specs = [s.spec for s in load_specs(fresh / "briefs")]
    files = sum(len(s.formats) for s in specs)
    recipients = len((fresh / "data" / "distribution.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert len(manifest["briefs"]) == len(specs) and len(manifest["published"]) == files and len(manifest["files"]) == files
    assert len(manifest["bundles"]) == len(specs) and len(manifest["drafts"]) == recipients
    assert (study / "index.html").read_text(encoding="utf-8").count('<article class="card"') == len(specs)
    after = served(study)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert {p for p in changed if p.startswith("published/")} == {"published/press/press.pdf", "published/press/press.docx",
                                                                 "published/press/press.html", "published/press/press.qa.json"}
    assert {p for p in changed if p.startswith(("bundles/", "drafts/"))} == {"bundles/press.zip",
                                                                            "drafts/press/border-affairs-weekly-news-desk.eml"}
    corrected = {d["brief"] for d in manifest["drafts"] if d["corrected"]}
    assert corrected == {"press"}
    capsys.readouterr()
    sent_at = time.time()
    assert send(study) == 0
    out = capsys.readouterr().out
    assert out.count("skip (already sent)") == 7 and "(corrected edition)" in out
    rcpts, message = mailbox.received[-1]
    assert len(mailbox.received) == 9 and rcpts == ["desk@newsroom.example.org"]
    assert message["Subject"].startswith("Corrected edition: Close Neighbors, Distant Forces")
    assert "corrected edition of the brief we sent you earlier" in message.get_body().get_content()
    assert abs(parsedate_to_datetime(message["Date"]).timestamp() - sent_at) < 120  # the time of sending
    draft = email.message_from_bytes((study / "drafts/press/border-affairs-weekly-news-desk.eml").read_bytes(), policy=email.policy.SMTP)
    assert parsedate_to_datetime(draft["Date"]).year == 2010  # drafts keep their fixed date


# --- 3. withdrawn -----------------------------------------------------------------------------

def test_a_removed_brief_or_format_is_withdrawn_and_stays_in_earlier_releases(fresh):
    study = fresh / "output" / STUDY
    frozen = release(study, int(time.time()), {"commit": None, "uncommitted_edits": None})
    (fresh / "briefs" / "state.yaml").unlink()
    spec = fresh / "briefs" / "congress.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "formats: [pdf, docx, html]" in text
    spec.write_text(text.replace("formats: [pdf, docx, html]", "formats: [pdf, html]"), encoding="utf-8")
    recipients = fresh / "data" / "distribution.csv"
    rows = [row for row in recipients.read_text(encoding="utf-8").splitlines(keepends=True) if ",state," not in row]
    recipients.write_text("".join(rows).replace(",congress,pdf;docx,", ",congress,pdf,"), encoding="utf-8")
    done = run_workflow(fresh)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    manifest = manifest_of(study)
    assert not (study / "published" / "state").exists() and not (study / "bundles" / "state.zip").exists()
    assert not (study / "published" / "congress" / "congress.docx").exists()
    assert sorted(p.name for p in (study / "published" / "congress").iterdir()) == ["congress.html", "congress.pdf", "congress.qa.json"]
    withdrawn = {w["path"]: w for w in manifest["withdrawn"]}
    assert sorted(withdrawn) == ["published/congress/congress.docx", "published/state/state.docx", "published/state/state.html",
                                 "published/state/state.pdf"]
    assert {w["withdrawn"] for w in withdrawn.values()} <= today()
    assert withdrawn["published/state/state.pdf"]["reason"] == "the brief's spec was removed"
    assert withdrawn["published/congress/congress.docx"]["reason"] == "docx was dropped from the spec"
    assert {d["brief"] for d in manifest["drafts"]} == {"congress", "defense", "mexico-es", "press", "research"}
    assert not (study / "drafts" / "state").exists()
    assert (study / "index.html").read_text(encoding="utf-8").count('<article class="card"') == 5
    assert (frozen / "state" / "state.pdf").is_file() and (frozen / "congress" / "congress.docx").is_file()


# --- 4, 6. verified, not assumed; releases ----------------------------------------------------

def test_damaged_published_files_are_repaired_by_the_next_build(fresh):
    study = fresh / "output" / STUDY
    before = served(study)
    pdf, docx = study / "published" / "press" / "press.pdf", study / "published" / "press" / "press.docx"
    pdf.write_bytes(pdf.read_bytes() + b"%garbage")
    docx.unlink()
    planned = run_workflow(fresh, "--dry-run")
    assert "rule distribute:" in planned.stdout, planned.stdout[-2000:]
    done = run_workflow(fresh)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert served(study) == before


def test_a_release_restores_a_damaged_file_or_refuses(study_copy, capsys):
    pdf = study_copy / "published" / "press" / "press.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[:1000])  # cut short
    build_copy = study_copy / "briefs" / "press" / "press.pdf"
    build_bytes = build_copy.read_bytes()
    build_copy.write_bytes(b"%PDF-1.7 rebuilt and different")
    with pytest.raises(InputError) as caught:
        release(study_copy, int(time.time()), {})
    assert "published/press/press.pdf" in str(caught.value) and "no good copy" in str(caught.value)
    assert not (study_copy / "releases").exists()
    build_copy.write_bytes(build_bytes)  # the build still has the file QA measured: restored from it
    target = release(study_copy, int(time.time()), {})
    assert "restored published/press/press.pdf" in capsys.readouterr().err
    assert pdf.read_bytes() == good and (target / "press" / "press.pdf").read_bytes() == good
    sums = dict(reversed(line.split("  ")) for line in (target / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert len(sums) == 18 + 6  # every published file and the QA result that measured it
    for brief in ("press", "congress", "mexico-es"):
        measured = json.loads((target / brief / f"{brief}.qa.json").read_text(encoding="utf-8"))["files"]
        assert all(sums[f"{brief}/{brief}.{fmt}"] == digest for fmt, digest in measured.items() if f"{brief}/{brief}.{fmt}" in sums)


def test_a_release_records_its_commit_whether_the_tree_was_dirty_and_today(study_copy, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "README.md"], ["commit", "-qm", "one"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    monkeypatch.chdir(repo)
    assert main(["release", "--output", str(study_copy)]) == 0
    (made,) = (study_copy / "releases").iterdir()
    record = json.loads((made / "RELEASE.json").read_text(encoding="utf-8"))
    assert record["commit"] == head and record["uncommitted_edits"] is False
    assert record["made"][:10] in today() and made.name[:10] in today()
    (repo / "briefs-new.yaml").write_text("id: new\n", encoding="utf-8")  # a new, uncommitted file is an edit too
    assert _git_state(repo)["uncommitted_edits"] is True


# --- 5. a failed build changes nothing --------------------------------------------------------

def test_a_bad_recipients_line_fails_the_build_before_anything_is_published(fresh):
    study = fresh / "output" / STUDY
    before, manifest = served(study), (study / "manifest.json").read_bytes()
    spec = fresh / "briefs" / "press.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("Close Neighbors, Distant Armies", "Close Neighbors, New Title"),
                    encoding="utf-8")
    with (fresh / "data" / "distribution.csv").open("a", encoding="utf-8") as handle:
        handle.write("Someone,Somewhere,not-an-address,press,pdf,en\n")
    done = run_workflow(fresh)
    assert done.returncode != 0
    assert "distribution.csv:10" in done.stdout + done.stderr and "not-an-address" in done.stdout + done.stderr
    assert served(study) == before and (study / "manifest.json").read_bytes() == manifest


def test_a_fault_at_any_point_of_publishing_leaves_the_old_edition_or_the_new_one(study_copy, fresh, tmp_path, monkeypatch):
    """The disk fills up (ENOSPC from fsync) at each step in turn: what is served is the previous
    edition, byte for byte, until the switch, and the new edition, whole, after it."""
    before = served(study_copy)
    calls = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real_fsync(fd))[1])
    reference = shutil.copytree(study_copy, tmp_path / "reference" / STUDY, symlinks=True)
    assert run_distribute(fresh, reference, title="Another title") == 0
    after, total = served(reference), len(calls)
    assert after != before and total > 40
    outcomes = []
    for k in sorted({1, 2, total // 4, total // 2, (3 * total) // 4, total - 3, total - 2, total - 1, total}):
        trial = shutil.copytree(study_copy, tmp_path / f"trial-{k}" / STUDY, symlinks=True)
        count = [0]

        def failing(fd, k=k, count=count):
            count[0] += 1
            if count[0] == k:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", failing)
        with pytest.raises(OSError):
            run_distribute(fresh, trial, title="Another title")
        state = served(trial)
        assert state in (before, after), f"fault at fsync {k} of {total} left a mixed set"
        outcomes.append(state == after)
        assert not (trial / "editions" / ".staging").exists() or state == before
    assert outcomes[0] is False and outcomes[-1] is True and outcomes == sorted(outcomes)  # old, …, old, new: one switch


def test_a_full_disk_leaves_the_previous_edition_byte_for_byte(study_copy, fresh, tmp_path, capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    used = sum(p.stat().st_size for p in study_copy.rglob("*") if p.is_file() and not p.is_symlink())
    size = used + 2_000_000  # room for the study as it is, not for a whole new edition (~5 MB)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode()}")
    try:
        study = shutil.copytree(study_copy, disk / STUDY, symlinks=True)
        before = served(study)
        free = shutil.disk_usage(disk).free
        code = main(["distribute", "--output", str(study), "--data", str(fresh / "data"), "--briefs", str(fresh / "briefs"),
                     "--templates", str(fresh / "templates"), "--recipients", str(fresh / "data" / "distribution.csv"),
                     "--sender", "B <b@example.org>", "--epoch", str(study_epoch(fresh / "data")), "--title", "Another title",
                     "--brief-ids", *brief_ids(fresh / "briefs"), "--stamp", str(study / "build" / "edition.json"),
                     "--results", *[str(p) for p in sorted((study / "briefs").glob("*/*.qa.json"))]])
        assert code == 1 and "No space left on device" in capsys.readouterr().err
        assert served(study) == before
        assert not (study / "editions" / ".staging").exists() and shutil.disk_usage(disk).free >= free - 100_000
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_brand_colour_that_fails_contrast_stops_the_build_before_publishing(study_copy, fresh, tmp_path):
    before = served(study_copy)
    templates = shutil.copytree(fresh / "templates", tmp_path / "templates")
    brand = templates / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('  primary: navy', '  primary: "#9FE2BF"'), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_distribute(fresh, study_copy, templates=str(templates))
    assert "colors.primary" in str(caught.value) and "4.5:1" in str(caught.value)
    assert served(study_copy) == before


# --- 7. placeholders -------------------------------------------------------------------------

def test_a_freshly_scaffolded_brief_fails_the_placeholder_gate_in_every_format(built, tmp_path):
    from ..conftest import ROOT, SOURCE

    briefs = tmp_path / "briefs"
    assert main(["new-brief", "--briefs", str(briefs), "--data", str(ROOT / "data"), "--id", "draft", "--audience", "Policy staff",
                 "--language", "en", "--pages", "2", "--tags", "economy"]) == 0
    out = tmp_path / "out"
    code = main(["render", "draft", "--data", str(ROOT / "data"), "--briefs", str(briefs), "--templates", str(ROOT / "templates"),
                 "--source", str(SOURCE), "--charts", str(built / "build" / "charts"),
                 "--reference-docx", str(built.parent / "build" / "reference.docx"), "--out", str(out),
                 "--epoch", str(study_epoch(ROOT / "data"))])
    assert code == 0
    result = json.loads((out / "draft" / "draft.qa.json").read_text(encoding="utf-8"))
    failed = {m["measure"]: m["value"] for m in result["measures"] if not m["passed"] and m["gate"] == "placeholders"}
    assert result["status"] == "fail" and sorted(failed) == ["placeholder text in docx", "placeholder text in html", "placeholder text in pdf"]
    assert all("Untitled brief" in found and "Write the bottom line" in found for found in failed.values())


# --- 8-11. mail -------------------------------------------------------------------------------

def test_drafts_are_worded_from_the_study_data_and_the_brand(study_copy, fresh, tmp_path):
    data = shutil.copytree(fresh / "data", tmp_path / "data")
    templates = shutil.copytree(fresh / "templates", tmp_path / "templates")
    study_yaml = data / "study.yaml"
    study_yaml.write_text(study_yaml.read_text(encoding="utf-8").replace("R. H. Garza Jr., The U.S. and Mexico", "R. H. Garza Jr. (2010), The U.S. and Mexico"),
                          encoding="utf-8")
    brand = templates / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("series: Policy Brief Series", "series: Border Briefs"), encoding="utf-8")
    assert run_distribute(fresh, study_copy, data=str(data), templates=str(templates), recipients=str(data / "distribution.csv")) == 0
    drafts = {d["to"]: email.message_from_bytes((study_copy / d["path"]).read_bytes(), policy=email.policy.SMTP)
              for d in manifest_of(study_copy)["drafts"]}
    english, spanish = drafts["staff@house.example.org"], drafts["analisis@sre.example.org"]
    body = english.get_body().get_content().replace("\r\n", "\n")
    assert "R. H. Garza Jr. (2010), The U.S. and Mexico" in body and body.rstrip().endswith("Border Briefs\nPolicy Brief Series, digests of public-domain research")
    assert "(PDF and Word)" in body and "PDF AND DOCX" not in body
    assert english["Subject"] == "Trading Partners, Reluctant Allies: What Congress can fund and condition to deepen U.S.-Mexico military cooperation"
    assert "(PDF y Word)" in spanish.get_body().get_content() and "Border Briefs" in spanish.get_body().get_content()
    assert "Border Briefs" in (study_copy / "index.html").read_text(encoding="utf-8")


def test_one_refusal_or_a_dropped_connection_does_not_stop_the_batch(study_copy, fresh, mailbox, capsys):
    recipients = fresh / "data" / "distribution.csv"
    mailbox.refuse, mailbox.drop = {"desk@newsroom.example.org"}, {"staff@house.example.org"}
    assert send(study_copy, recipients=recipients) == 1
    out = capsys.readouterr().out
    assert "refused: desk@newsroom.example.org — 550 5.1.1 No such mailbox here" in out
    assert "unknown: staff@house.example.org" in out
    assert sorted(mailbox.to()) == sorted(["reference@dtic.example.org", "library@nps.example.org", "staff@house.example.org",
                                           "planning@northcom.example.org", "politics@embassy.example.org",
                                           "analisis@sre.example.org", "defensa@senado.example.org"])
    log = [json.loads(line) for line in (study_copy / "mail" / "sent.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["status"] for r in log) == ["refused", "sent", "sent", "sent", "sent", "sent", "sent", "unknown"]
    # Run again: the refused one is tried again, the unknown one is not sent without being asked.
    assert send(study_copy, recipients=recipients) == 1
    out = capsys.readouterr().out
    assert "unknown (not sent again): Legislative Assistant <staff@house.example.org>" in out and "--resend-unknown" in out
    assert len(mailbox.received) == 7 and out.count("skip (already sent)") == 6
    mailbox.refuse = set()
    assert send(study_copy, "--resend-unknown", recipients=recipients) == 0
    assert sorted(mailbox.to()[7:]) == ["desk@newsroom.example.org", "staff@house.example.org"]
    assert send(study_copy, recipients=recipients) == 0 and len(mailbox.received) == 9  # nothing twice


def test_only_the_drafts_the_manifest_lists_go_out_to_current_recipients(study_copy, fresh, mailbox, tmp_path, capsys):
    manifest = manifest_of(study_copy)
    state = next(study_copy / d["path"] for d in manifest["drafts"] if d["brief"] == "state")
    (state.parent / "planted.eml").write_bytes(b"Bcc: someone@elsewhere.example.org\r\n" + state.read_bytes())
    press = next(study_copy / d["path"] for d in manifest["drafts"] if d["brief"] == "press")
    press.write_bytes(b"Bcc: someone@elsewhere.example.org\r\n" + press.read_bytes())  # a listed draft, altered
    recipients = tmp_path / "distribution.csv"
    rows = (fresh / "data" / "distribution.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    recipients.write_text("".join(r for r in rows if "library@nps" not in r), encoding="utf-8")  # removed since the build
    assert send(study_copy, recipients=recipients) == 1
    captured = capsys.readouterr().out
    assert "border-affairs-weekly-news-desk.eml differs from the draft the manifest lists" in captured
    assert "library@nps.example.org, who does not receive 'research'" in captured
    assert sorted(mailbox.to()) == sorted(["reference@dtic.example.org", "staff@house.example.org", "planning@northcom.example.org",
                                           "politics@embassy.example.org", "analisis@sre.example.org", "defensa@senado.example.org"])
    for rcpts, message in mailbox.received:
        assert [email.utils.parseaddr(message["To"])[1]] == rcpts and "Bcc" not in message and "X-Unsent" not in message


def test_sending_errors_name_the_setting_the_server_or_the_log_line(study_copy, fresh, mailbox, monkeypatch, capsys):
    recipients = fresh / "data" / "distribution.csv"
    monkeypatch.setenv("SMTP_PORT", "abc")
    assert send(study_copy, recipients=recipients) == 1
    assert "field 'SMTP_PORT': 'abc' is not a port number" in capsys.readouterr().err
    closed = free_port()
    monkeypatch.setenv("SMTP_PORT", str(closed))
    assert send(study_copy, recipients=recipients) == 1
    assert f"cannot connect to 127.0.0.1:{closed}" in capsys.readouterr().err
    monkeypatch.setenv("SMTP_PORT", str(mailbox.port))
    monkeypatch.setenv("SMTP_SECURITY", "starttls")
    assert send(study_copy, recipients=recipients) == 1
    assert "does not offer STARTTLS; nothing was sent" in capsys.readouterr().err and mailbox.received == []
    monkeypatch.setenv("SMTP_SECURITY", "tls")
    assert send(study_copy, recipients=recipients) == 1
    assert "field 'SMTP_SECURITY': 'tls' is not one of starttls, ssl, none" in capsys.readouterr().err
    log = study_copy / "mail" / "sent.jsonl"
    log.parent.mkdir()
    log.write_text('{"message_id": "<a@x>", "to": "a@example.org", "status": "sent"}\n{"message_id": "<b', encoding="utf-8")
    assert send(study_copy, recipients=recipients) == 1
    assert "sent.jsonl:2" in capsys.readouterr().err and mailbox.received == []
