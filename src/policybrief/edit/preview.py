"""Live preview for template editors: a local server on 127.0.0.1 that shows a brief as its web
page and as PDF page images, reloads within a second of any saved change to templates, brief
specs or data, and shows errors (file, line, message) in the page instead of stopping."""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlparse

from policybrief.content.models import ID_PATTERN
from policybrief.core.problems import InputError

POLL_S = 0.25
PAGE_WIDTH = 860  # pixels: a Letter page at about 100 dpi, sharp on a laptop screen


@dataclass
class Workspace:
    """What the preview renders from, and a version number that changes with every saved edit."""

    data: Path
    briefs: Path
    templates: Path
    source: Path
    version: int = 0
    _stamp: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    cache: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="policybrief-preview-")))

    def snapshot(self) -> dict:
        stamp = {}
        for folder in (self.data, self.briefs, self.templates):
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    stamp[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return stamp

    def watch(self, stop: threading.Event) -> None:
        self._stamp = self.snapshot()
        while not stop.wait(POLL_S):
            stamp = self.snapshot()
            if stamp != self._stamp:
                self._stamp = stamp
                from policybrief.render.i18n import translations

                translations.cache_clear()  # catalogues may have been edited
                with self._lock:
                    self.version += 1
                    shutil.rmtree(self.cache, ignore_errors=True)
                    self.cache.mkdir(parents=True, exist_ok=True)


def _error_page(title: str, problems: list[str]) -> str:
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return f'<div class="preview-error" role="alert"><h2>{html.escape(title)}</h2><ul>{items}</ul></div>'


def render_web(ws: Workspace, brief: str) -> str:
    """The brief's web page, rendered in-process (no PDF): fast enough for every save."""
    from policybrief.render.brand_file import load_brand
    from policybrief.render.charts import draw
    from policybrief.render.pipeline import chart_images, prepare, render_page

    prepared = prepare(brief, ws.data, ws.briefs, ws.templates)
    spec = prepared.spec
    brand = load_brand(ws.templates)
    chart = None
    if "chart" in spec.sections:
        folder = ws.cache / "charts" / spec.language
        if not (folder / "cooperation.svg").is_file():
            draw(prepared.content, brand, ws.templates, spec.language, prepared.tr, folder / "cooperation.svg", folder / "cooperation.png")
        chart = chart_images(folder)
    return render_page(prepared, chart, brand, ws.templates, "web")


def render_pdf_pages(ws: Workspace, brief: str) -> dict:
    """Build all formats into the cache, run the quality gates, and render the PDF pages as PNG."""
    from policybrief.content.loading import load_content
    from policybrief.qa.extract import pdf_page_images
    from policybrief.qa.gates import check_brief, thesis_years
    from policybrief.render.brand_file import load_brand
    from policybrief.render.charts import draw
    from policybrief.render.i18n import translations
    from policybrief.render.pipeline import Paths, build_brief
    from policybrief.render.reference_docx import build_reference_docx
    from policybrief.spec.project import study_epoch
    from policybrief.spec.specs import load_spec

    folder = ws.cache / brief
    if (folder / "pages.json").is_file():
        return json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    content = load_content(ws.data)
    brand = load_brand(ws.templates)
    charts = ws.cache / "charts"
    for lang in ("en", "es"):
        if not (charts / lang / "cooperation.svg").is_file():
            draw(content, brand, ws.templates, lang, translations(ws.templates, lang),
                 charts / lang / "cooperation.svg", charts / lang / "cooperation.png")
    reference = ws.cache / "reference.docx"
    if not reference.is_file():
        build_reference_docx(brand, reference)
    paths = Paths(ws.data, ws.briefs, ws.templates, charts, reference)
    record = build_brief(brief, paths, folder, folder / f"{brief}.build.json", study_epoch(ws.data))
    files = {fmt: folder / f"{brief}.{fmt}" for fmt in ("pdf", "docx", "html")}
    report = check_brief(load_spec(ws.briefs / f"{brief}.yaml"), content, record, files, ws.templates, thesis_years(ws.source))
    images = pdf_page_images(files["pdf"], PAGE_WIDTH)
    for index, image in enumerate(images):
        (folder / f"page-{index + 1}.png").write_bytes(image)
    result = {"pages": len(images), "qa": [m.message for m in report.failures]}
    (folder / "pages.json").write_text(json.dumps(result), encoding="utf-8")
    return result


SHELL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Preview: {brief}</title>
<style>
body {{ margin: 0; font-family: "Source Sans Pro", Arial, sans-serif; background: #E9EDF2; }}
header {{ background: #1B365D; color: #fff; padding: 0.5rem 1rem; display: flex; gap: 1rem; align-items: center; }}
header a {{ color: #fff; }} header .status {{ margin-left: auto; font-size: 0.85rem; opacity: 0.85; }}
.panes {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; padding: 1rem; align-items: start; }}
.pane {{ background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); }}
.pane h2 {{ margin: 0; padding: 0.4rem 0.8rem; font-size: 0.9rem; background: #EEF2F7; color: #1B365D; }}
#web iframe {{ width: 100%; height: 85vh; border: 0; display: block; }} #pages img {{ width: 100%; border-bottom: 1px solid #ccc; display: block; }}
.preview-error {{ background: #FBEAE7; border-left: 5px solid #A23B2A; padding: 0.6rem 1rem; margin: 1rem; }}
.preview-error h2 {{ color: #A23B2A; margin: 0 0 0.4rem; font-size: 1rem; }}
</style></head>
<body data-version="{version}">
<header><strong>Preview</strong> {links}<span class="status" id="status">version {version}</span></header>
<div class="panes">
  <section class="pane"><h2>Web version</h2><div id="web">{web}</div></section>
  <section class="pane"><h2>PDF pages</h2><div id="qa"></div><div id="pages">rendering…</div></section>
</div>
<script>
const brief = {brief_json}, version = {version};
fetch(`/brief/${{brief}}/pages?v=${{version}}`).then(r => r.json()).then(info => {{
  const pages = document.getElementById("pages"); pages.innerHTML = "";
  if (info.error) {{ pages.innerHTML = info.error; return; }}
  for (let i = 1; i <= info.pages; i++) {{ const img = new Image(); img.alt = `PDF page ${{i}}`; img.src = `/brief/${{brief}}/page/${{i}}.png?v=${{version}}`; pages.appendChild(img); }}
  if (info.qa.length) document.getElementById("qa").innerHTML = '<div class="preview-error" role="alert"><h2>Quality gates failed</h2><ul>' + info.qa.map(m => `<li>${{m.replace(/&/g,"&amp;").replace(/</g,"&lt;")}}</li>`).join("") + "</ul></div>";
}});
setInterval(() => fetch("/version").then(r => r.json()).then(v => {{ if (v.version !== version) location.reload(); }}).catch(() => {{}}), 300);
</script>
</body></html>"""


ALLOWED_HOSTS = ("127.0.0.1", "localhost")
BRIEF_ID = re.compile(ID_PATTERN)


class NotFound(Exception):
    """An unknown brief or page: answered with a 404 page."""


def _page(title: str, body: str) -> str:
    return f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>{body}</body></html>"


def index_page(ws: Workspace) -> str:
    """Every spec as a link; any other file in the briefs folder named (escaped), never linked."""
    items = []
    for path in sorted(ws.briefs.glob("*.yaml")):
        name = html.escape(path.stem)
        if BRIEF_ID.fullmatch(path.stem):
            items.append(f'<li><a href="/brief/{quote(path.stem)}">{name}</a></li>')
        else:
            items.append(f"<li>{name}.yaml: not a brief spec name (lower-case letters, digits and hyphens)</li>")
    return _page("Preview", f"<h1>Briefs</h1><ul>{''.join(items)}</ul>")


def _host_allowed(host: str | None) -> bool:
    """Only the names this server is reached by on this machine: a page on another site that
    resolves its own name to 127.0.0.1 (DNS rebinding) sends its own name here."""
    name = (host or "").rsplit(":", 1)[0] if (host or "").count(":") <= 1 else ""
    return name in ALLOWED_HOSTS


def _same_site(headers) -> bool:
    """False for a request another site's page made (a link, an image, a script): the browser says
    so in Sec-Fetch-Site, or in Origin when it sends one."""
    if headers.get("Sec-Fetch-Site", "none") not in ("same-origin", "none"):
        return False
    origin = headers.get("Origin")
    return origin is None or _host_allowed(urlparse(origin).netloc)


def make_handler(ws: Workspace):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the terminal is for errors
            pass

        def send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_html(self, status: int, text: str) -> None:
            self.send(status, text.encode("utf-8"), "text/html; charset=utf-8")

        def do_GET(self):
            parts = [p for p in urlparse(self.path).path.split("/") if p]
            try:
                if not _host_allowed(self.headers.get("Host")):
                    self.send_html(403, _page("Refused", "<p>This preview answers only http://127.0.0.1 and http://localhost.</p>"))
                elif parts and parts != ["version"] and not _same_site(self.headers):
                    self.send_html(403, _page("Refused", "<p>Requests from other sites do not start a preview build.</p>"))
                else:
                    self.route(parts)
            except (BrokenPipeError, ConnectionResetError):
                pass
            except NotFound as exc:
                self.send_html(404, _page("Not found", f"<h1>Not found</h1><p>{html.escape(str(exc))}</p><p><a href='/'>All briefs</a></p>"))
            except Exception as exc:  # the server must keep running whatever a request or an edit breaks
                self.send_html(500, _page("Error", _error_page("The preview failed", [f"{type(exc).__name__}: {exc}"])))

        def route(self, parts: list[str]) -> None:
            if not parts:
                self.send_html(200, index_page(ws))
            elif parts == ["version"]:
                self.send(200, json.dumps({"version": ws.version}).encode(), "application/json")
            elif len(parts) == 2 and parts[0] == "brief":
                self.send_html(200, self.page(self.brief_id(parts[1])))
            elif len(parts) == 3 and parts[0] == "brief" and parts[2] == "web":
                # The brief in its own frame, so its stylesheet cannot restyle the preview around it.
                status, text = self.web(self.brief_id(parts[1]))
                self.send_html(status, text)
            elif len(parts) == 3 and parts[0] == "brief" and parts[2] == "pages":
                self.send(200, json.dumps(self.pages(self.brief_id(parts[1]))).encode(), "application/json")
            elif len(parts) == 4 and parts[0] == "brief" and parts[2] == "page":
                self.send(200, self.page_image(self.brief_id(parts[1]), parts[3]), "image/png")
            else:
                raise NotFound(f"no such page: {'/'.join(parts)}")

        def brief_id(self, value: str) -> str:
            """A brief that has a spec; anything else is a 404, whatever the name holds."""
            if not BRIEF_ID.fullmatch(value) or not (ws.briefs / f"{value}.yaml").is_file():
                raise NotFound(f"no brief '{value}' (briefs are listed at /)")
            return value

        def page_image(self, brief: str, name: str) -> bytes:
            number = name.removesuffix(".png")
            path = ws.cache / brief / f"page-{number}.png"
            if not number.isdecimal() or not path.is_file():
                raise NotFound(f"brief '{brief}' has no page image '{name}'")
            return path.read_bytes()

        def web(self, brief: str) -> tuple[int, str]:
            try:
                return 200, render_web(ws, brief)
            except InputError as exc:
                return 500, _page(brief, _error_page("The brief cannot be rendered", [str(p) for p in exc.problems]))

        def page(self, brief: str) -> str:
            version = ws.version
            try:
                render_web(ws, brief)  # render once here so that an error shows in this page
                web = f'<iframe id="web-frame" title="Web version of {brief}" src="/brief/{brief}/web?v={version}"></iframe>'
            except InputError as exc:
                web = _error_page("The brief cannot be rendered", [str(p) for p in exc.problems])
            except Exception as exc:  # the server must keep running whatever an edit breaks
                web = _error_page("The brief cannot be rendered", [f"{type(exc).__name__}: {exc}"])
            stems = sorted(p.stem for p in ws.briefs.glob("*.yaml") if BRIEF_ID.fullmatch(p.stem))
            links = " ".join(f'<a href="/brief/{b}">{b}</a>' for b in stems)
            return SHELL.format(brief=brief, brief_json=json.dumps(brief), version=version, web=web, links=links)

        def pages(self, brief: str) -> dict:
            try:
                return render_pdf_pages(ws, brief)
            except InputError as exc:
                return {"error": _error_page("The PDF cannot be rendered", [str(p) for p in exc.problems])}
            except Exception as exc:
                return {"error": _error_page("The PDF cannot be rendered", [f"{type(exc).__name__}: {exc}"])}

    return Handler


def serve(ws: Workspace, port: int, ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """Serve until `stop` is set (or forever). Binds to 127.0.0.1 only."""
    stop = stop or threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(ws))
    server.daemon_threads = True
    watcher = threading.Thread(target=ws.watch, args=(stop,), daemon=True)
    watcher.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    if ready:
        ready.set()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(ws.cache, ignore_errors=True)


def preview_command(data: str, briefs: str, templates: str, source: str, port: int) -> int:
    """`policybrief preview`: serve until Ctrl-C."""
    ws = Workspace(Path(data), Path(briefs), Path(templates), Path(source))
    print(f"Preview at http://127.0.0.1:{port}/ — edit templates, briefs or data and the page reloads. Ctrl-C stops.")
    serve(ws, port)
    return 0
