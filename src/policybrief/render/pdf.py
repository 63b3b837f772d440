"""HTML to PDF through WeasyPrint: tagged PDF/UA-1, only project assets may be loaded, warnings fail."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class RenderError(RuntimeError):
    pass


class StrictFetcher(URLFetcher):
    """Allow `data:` URLs and files that resolve inside the given folders; refuse everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url, headers=None):
        scheme = urlparse(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            target = Path(unquote(urlparse(url).path)).resolve()
            if any(target.is_relative_to(root) for root in self.roots) and target.is_file():
                return super().fetch(url, headers)
        raise FatalURLFetchingError(f"refused to load '{url[:200]}': only data: URLs and files inside {', '.join(map(str, self.roots))} are allowed")


# WeasyPrint notes that it subsets fonts with fontTools when the system lacks HarfBuzz-Subset
# (Debian's libharfbuzz-subset0). Output is correct either way, so only this notice is tolerated.
BENIGN = ("Using fontTools instead of HarfBuzz-Subset",)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if not message.startswith(BENIGN):
            self.messages.append(message)


def render_pdf(html: str, base_dir: Path) -> bytes:
    """The PDF bytes; raise RenderError if WeasyPrint refused a resource or logged any warning."""
    logger = logging.getLogger("weasyprint")
    collector = _Collect()
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=str(Path(base_dir).resolve()) + "/", url_fetcher=StrictFetcher([base_dir]))
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=False)
    except FatalURLFetchingError as exc:
        raise RenderError(f"WeasyPrint: {exc}") from None
    except (ValueError, ZeroDivisionError, OverflowError, RecursionError, MemoryError) as exc:
        raise RenderError(f"WeasyPrint could not lay out the brief ({type(exc).__name__}: {exc})") from None
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise RenderError("WeasyPrint reported problems: " + "; ".join(collector.messages[:10]))
    return pdf
