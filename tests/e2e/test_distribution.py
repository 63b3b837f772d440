"""Distribution: publishing never loses the last good brief, releases are immutable, the catalogue
shows six cards in a real browser, and every recipient gets exactly the right attachments."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import shutil
import socket
import zipfile
from pathlib import Path

import pytest

from policybrief.cli import main
from policybrief.render.brand_file import load_brand

from ..conftest import ROOT
from .conftest import STUDY, copy_project, run_workflow

pytestmark = pytest.mark.e2e


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_everything_is_published_bundled_catalogued_and_drafted(built, manifest):
    assert len(manifest["published"]) == 18 and manifest["held_back"] == [] and manifest["withdrawn"] == []
    assert len(manifest["bundles"]) == 6 and manifest["catalogue"]["path"] == "index.html"
    assert len(manifest["drafts"]) == 8 and len(manifest["briefs"]) == 6
    for item in manifest["published"] + manifest["bundles"] + manifest["drafts"] + manifest["site"]:
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
                    .replace("Close Neighbors, Distant Armies", "Close Neighbors, Distant Armies Today"), encoding="utf-8")
    warned = run_workflow(project, config=("qa={'mode': 'warn', 'warn_only': []}",))
    assert warned.returncode == 0, warned.stderr[-2000:]
    assert digests(published) == before
    held = json.loads((project / "output" / STUDY / "manifest.json").read_text(encoding="utf-8"))["held_back"]
    assert held == ["press"]


def test_releases_are_immutable(built, tmp_path, capsys):
    output = shutil.copytree(built, tmp_path / "output", symlinks=True)
    assert main(["release", "--output", str(output)]) == 0
    releases = list((output / "releases").iterdir())
    assert len(releases) == 1
    sums = (releases[0] / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 18 + 6  # the published files and the QA result of each brief
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((releases[0] / name).read_bytes()).hexdigest() == digest
    before = digests(releases[0])
    capsys.readouterr()
    assert main(["release", "--output", str(output)]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert digests(releases[0]) == before


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium; .ci/run installs it)")


@pytest.fixture
def web(built):
    """The output folder served over HTTP, as a web server would (following the edition links)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built.parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def browser_pages(widths=(1280, 390)):
    """A headless Chromium page per width (desktop, phone)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield from ((width, browser.new_page(viewport={"width": width, "height": 900})) for width in widths)
        finally:
            browser.close()


LAYOUT = """() => ({
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  images: [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
  heading: [getComputedStyle(document.querySelector('h1')).color, getComputedStyle(document.querySelector('h1')).fontFamily],
  fonts: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family),
  columns: new Set([...document.querySelectorAll('article')].map(a => Math.round(a.getBoundingClientRect().left))).size,
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
})"""


def check_page(page, url: str, width: int, shots: Path, name: str) -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    layout = page.evaluate(LAYOUT)
    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    assert layout["overflow"] <= 0, f"{name} scrolls sideways at {width} px"
    assert layout["images"] and all(ok for _src, ok in layout["images"]), layout["images"]
    brand = load_brand(ROOT / "templates")
    primary = "rgb({}, {}, {})".format(*(int(brand.colors.primary[i:i + 2], 16) for i in (1, 3, 5)))
    def families(stack: str) -> list[str]:  # browsers quote font names their own way
        return [name.strip().strip('"') for name in stack.split(",")]

    colour, font = layout["heading"]
    assert colour == primary and families(font) == families(brand.fonts.stack(brand.fonts.heading))  # brand primary, heading font
    assert {"Source Sans Pro", "Source Serif Pro"} <= set(layout["fonts"])  # the brand's own files, served with the page
    for link in layout["links"]:
        if link.startswith("http://127.0.0.1"):
            assert page.request.get(link).status == 200, link
    return layout


@needs_chromium
def test_catalogue_and_library_in_a_real_browser_at_desktop_and_phone_widths(web, built, tmp_path):
    from policybrief.distribute.catalogue import reading_level_words

    def reading(brief: str) -> str:
        """What the card must say, from the brief's own QA result ("grade 12 (Flesch–Kincaid)")."""
        scores = json.loads((built / "briefs" / brief / f"{brief}.qa.json").read_text(encoding="utf-8"))["scores"]
        return reading_level_words(scores["reading_index"], scores["reading_level"])

    for width, page in browser_pages():
        layout = check_page(page, f"{web}/{STUDY}/index.html", width, tmp_path, "catalogue")
        assert layout["columns"] == (3 if width == 1280 else 1)
        assert page.locator("article.card").count() == 6 and page.locator("#count").text_content() == "6 of 6 briefs"
        congress, spanish = page.locator("#card-congress"), page.locator("#card-mexico-es")
        assert "Reading level" + reading("congress") in congress.inner_text().replace("\n", "").replace("\t", "")
        assert reading("mexico-es") in spanish.inner_text()
        assert congress.locator("time").get_attribute("datetime") == "2010-03-01" and congress.locator("time").inner_text() == "March 2010"
        page.select_option("#filter-language", "es")
        assert page.locator("#count").text_content() == "1 of 6 briefs" and page.locator("article.card:visible").count() == 1
        layout = check_page(page, f"{web}/index.html", width, tmp_path, "library")
        assert page.locator("article.study").count() == 1 and f"{web}/{STUDY}/index.html" in layout["links"]
        assert "6 published" in page.locator(f"#study-{STUDY}").inner_text()


@needs_chromium
def test_the_catalogue_follows_a_rebrand(built, tmp_path):
    from policybrief.spec.project import brief_ids, study_epoch


    study = shutil.copytree(built, tmp_path / "out" / STUDY, symlinks=True)
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    brand = templates / "_brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('  primary: navy', '  primary: "#5B2A86"')
                     .replace("series: Policy Brief Series", "series: Border Briefs"), encoding="utf-8")
    (templates / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#5B2A86"/></svg>',
                                        encoding="utf-8")
    assert main(["distribute", "--output", str(study), "--data", str(ROOT / "data"), "--briefs", str(ROOT / "briefs"),
                 "--templates", str(templates), "--recipients", str(ROOT / "data" / "distribution.csv"), "--sender", "B <b@example.org>",
                 "--epoch", str(study_epoch(ROOT / "data")), "--brief-ids", *brief_ids(ROOT / "briefs"), "--stamp", str(tmp_path / "stamp"),
                 "--results", *[str(p) for p in sorted((study / "briefs").glob("*/*.qa.json"))]]) == 0
    assert (study / "assets" / "logo.svg").read_bytes() == (templates / "logo.svg").read_bytes()
    for _width, page in browser_pages(widths=(1280,)):
        page.goto((study / "index.html").as_uri())
        page.wait_for_load_state("networkidle")
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(91, 42, 134)"
        assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderTopColor") == "rgb(91, 42, 134)"
        assert page.locator(".masthead img").get_attribute("alt") == "Border Briefs"
        assert page.evaluate("document.querySelector('.masthead img').naturalWidth") == 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_smtp_round_trip_sends_each_draft_once(built, tmp_path, monkeypatch, capsys):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    from ..conftest import ROOT

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    output = shutil.copytree(built, tmp_path / "output", symlinks=True)
    port = _free_port()
    controller = Controller(Collect(message_class=email.message.EmailMessage), hostname="127.0.0.1", port=port)
    controller.start()
    recipients = ["--recipients", str(ROOT / "data" / "distribution.csv")]
    try:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(port))
        monkeypatch.setenv("SMTP_SECURITY", "none")
        assert main(["send", "--output", str(output), *recipients]) == 0  # dry run
        assert "would send" in capsys.readouterr().out and received == []
        assert main(["send", "--output", str(output), "--send", *recipients]) == 0
        assert main(["send", "--output", str(output), "--send", *recipients]) == 0  # rerun: nothing twice
    finally:
        controller.stop()
    drafts = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["drafts"]
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
