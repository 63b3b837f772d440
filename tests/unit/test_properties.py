"""Property-based tests: random record text is either rendered faithfully or rejected cleanly.

Fast by default; `HYPOTHESIS_PROFILE=long make test` runs thousands of examples.
"""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policybrief.content.loading import load_content
from policybrief.core.problems import InputError
from policybrief.render.citations import Notes
from policybrief.render.context import build_context, citation_plan
from policybrief.render.i18n import translations
from policybrief.render.templating import environment, render
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TEMPLATES = ROOT / "templates"
CONTENT = load_content(DATA)
SPEC = load_spec(ROOT / "briefs" / "congress.yaml")
TR = translations(TEMPLATES, "en")
ENV = environment(TEMPLATES, TR)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=120)


@given(value=texts)
def test_any_headline_is_accepted_or_rejected_cleanly(tmp_path_factory, value):
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA, data, dirs_exist_ok=True)
    path = data / "findings.yaml"
    findings = yaml.safe_load(path.read_text(encoding="utf-8"))
    findings[0]["headline"]["en"] = value
    path.write_text(yaml.safe_dump(findings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        content = load_content(data)
    except InputError as exc:
        assert all(p.file.endswith("findings.yaml") for p in exc.problems)
        assert any(p.record == "f-partner-not-ally" and p.field == "headline.en" for p in exc.problems)
    else:
        assert content.findings[0].headline.en == " ".join(value.split())


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _html_for(headline: str) -> str:
    content = load_content(DATA)
    finding = content.findings[0]
    content.findings[0] = finding.model_copy(update={"headline": finding.headline.model_copy(update={"en": headline})})
    chosen = select(SPEC, content)
    notes = Notes(["n"] * len(citation_plan(SPEC.spec, content, chosen, TR)), [])
    context = build_context(SPEC.spec, content, chosen, notes, None, TR, "web")
    context.update({"styles": "", "brand": {"name": "B", "publisher": "P", "logo": "data:,"}})
    return render(ENV, "brief.html.j2", context, TEMPLATES)


BASELINE_TAGS = None


@given(value=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=80)
       .filter(lambda s: s.strip()))
def test_any_text_renders_as_text_never_as_markup(value):
    global BASELINE_TAGS
    headline = " ".join(value.split())
    parser = _Collect()
    parser.feed(_html_for(headline))
    if BASELINE_TAGS is None:
        baseline = _Collect()
        baseline.feed(_html_for("Plain headline"))
        BASELINE_TAGS = baseline.tags
    assert parser.tags == BASELINE_TAGS  # no element added or removed by the text
    assert headline in " ".join("".join(parser.text).split())
