"""The Jinja2 environment: sandboxed, autoescaped, undefined variables are errors, i18n installed."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem, display_path


def css_string(value: str) -> Markup:
    """Quote text for use inside a CSS string (e.g. `content:` in @page rules)."""
    escaped = re.sub(r'[\\"\n\r<>]', lambda m: f"\\{ord(m.group()):06x}", str(value))
    return Markup(f'"{escaped}"')


class _ContainedLoader(FileSystemLoader):
    """Templates are files inside the templates folder: one that resolves outside it (a symlink
    leading out) is refused before it is read."""

    def get_source(self, environment, template):
        try:
            inside(Path(self.searchpath[0]), Path(*split_template_path(template)), self.searchpath[0], template)
        except InputError as exc:
            raise TemplateNotFound(template, exc.problems[0].message) from None
        return super().get_source(environment, template)


def environment(templates_dir: Path, tr: gettext.NullTranslations | None = None, *, text: bool = False) -> SandboxedEnvironment:
    """The one Jinja environment factory: every template (briefs, catalogue, QA report, library, e-mail)
    renders sandboxed, with undefined variables as errors. HTML is autoescaped (select_autoescape()
    would miss *.html.j2); `text=True` is for plain-text templates (e-mail), kept byte for byte."""
    env = SandboxedEnvironment(
        loader=_ContainedLoader(str(templates_dir)),
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
    """Render a template; syntax errors and undefined variables become a Problem naming the file and
    line where the mistake is, in the included or extended template that holds it."""
    try:
        return env.get_template(template_name).render(context)
    except TemplateError as exc:
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            file, line = exc.filename, exc.lineno
        else:
            file, line = _innermost_template_frame(exc) or (str(Path(templates_dir) / template_name), None)
        raise InputError([Problem(display_path(Path(file)), line, None, None, f"template error: {exc.message or exc}")]) from None


def _innermost_template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Jinja rewrites the traceback so that each frame is a template at its own line; the last one
    is where rendering stopped (an included section, not the page that includes it)."""
    found, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
