"""The Jinja2 environment: sandboxed, autoescaped, undefined variables are errors, i18n installed."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from policybrief.core.problems import InputError, Problem, display_path


def css_string(value: str) -> Markup:
    """Quote text for use inside a CSS string (e.g. `content:` in @page rules)."""
    escaped = re.sub(r'[\\"\n\r<>]', lambda m: f"\\{ord(m.group()):06x}", str(value))
    return Markup(f'"{escaped}"')


def environment(templates_dir: Path, tr: gettext.NullTranslations | None = None, *, text: bool = False) -> SandboxedEnvironment:
    """The one Jinja environment factory: every template (briefs, catalogue, QA report, library, e-mail)
    renders sandboxed, with undefined variables as errors. HTML is autoescaped (select_autoescape()
    would miss *.html.j2); `text=True` is for plain-text templates (e-mail), kept byte for byte."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=not text,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=not text,
        lstrip_blocks=not text,
        keep_trailing_newline=text,
    )
    env.install_gettext_translations(tr or gettext.NullTranslations(), newstyle=True)
    env.filters["css_string"] = css_string
    return env


def render(env: SandboxedEnvironment, template_name: str, context: dict, templates_dir: Path) -> str:
    """Render a template; syntax errors and undefined variables become a Problem naming the template line."""
    try:
        return env.get_template(template_name).render(context)
    except TemplateError as exc:
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or template_name
        line = getattr(exc, "lineno", None)
        if line is None:
            line = _template_line_from_traceback(exc, templates_dir)
        path = Path(name) if Path(name).is_absolute() or Path(name).is_file() else Path(templates_dir) / name
        raise InputError([Problem(display_path(path), line, None, None, f"template error: {exc.message or exc}")]) from None


def _template_line_from_traceback(exc: BaseException, templates_dir: Path) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if str(tb.tb_frame.f_code.co_filename).startswith(str(Path(templates_dir).resolve())) or tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
