"""The template contract in templates/README.md is complete and current: every variable a brief
template uses is documented, and every documented variable exists in the real context."""

from __future__ import annotations

import re

from jinja2 import Environment, nodes

from policybrief.content.loading import load_content
from policybrief.render.brand_file import load_brand
from policybrief.render.citations import Notes
from policybrief.render.context import ChartImages, build_context, citation_plan
from policybrief.render.i18n import translations
from policybrief.render.pipeline import style_context
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT

TEMPLATES = ROOT / "templates"
NOT_BRIEF_TEMPLATES = {"qa.html.j2", "catalogue.html.j2", "library.html.j2", "factcheck.html.j2", "thesis.html.j2"}
JINJA_NAMES = {"_", "gettext", "ngettext", "range", "loop", "super", "caller", "varargs", "kwargs", "m", "self"}


def documented() -> set[str]:
    """Backticked names in the first column of the Variables table; `.x` continues the previous name."""
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    table = text.split("## Variables", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        if not line.startswith("| `"):
            continue
        previous = None
        for token in re.findall(r"`([^`]+)`", line.split("|")[1]):
            if token.startswith(".") and previous:
                token = previous.rsplit(".", 1)[0] + token
            names.add(token)
            previous = token
    return names


def used() -> set[str]:
    env = Environment(extensions=["jinja2.ext.i18n"])
    found: set[str] = set()
    trees = [env.parse(path.read_text(encoding="utf-8")) for path in TEMPLATES.rglob("*.html.j2") if path.name not in NOT_BRIEF_TEMPLATES]
    # A variable an audience template sets for the layout it extends (`{% set docx_chart_height = … %}`)
    # is the templates' own, not the context's.
    set_by_templates = {a.target.name for tree in trees for a in tree.find_all(nodes.Assign) if isinstance(a.target, nodes.Name)}
    for tree in trees:
        assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")} | set_by_templates
        assigned |= {m.name for m in tree.find_all(nodes.Macro)}
        for node in tree.find_all(nodes.Name):
            if node.ctx == "load" and node.name not in assigned and node.name not in JINJA_NAMES:
                found.add(node.name)
        for node in tree.find_all(nodes.Getattr):
            chain, inner = [node.attr], node.node
            while isinstance(inner, nodes.Getattr):
                chain.insert(0, inner.attr)
                inner = inner.node
            if isinstance(inner, nodes.Name) and inner.name in ("brief", "study", "chart", "brand"):
                found.add(".".join([inner.name, *chain]))
    return found


def real_context() -> dict:
    content = load_content(DATA)
    spec = load_spec(ROOT / "briefs" / "research.yaml")
    chosen = select(spec, content)
    tr = translations(TEMPLATES, "en")
    notes = Notes(["n"] * len(citation_plan(spec.spec, content, chosen, tr)), ["b"])
    context = build_context(spec.spec, content, chosen, notes, ChartImages("data:,", "data:,"), tr, "print")
    context.update(style_context(load_brand(TEMPLATES), TEMPLATES, "print"))
    return context


def resolve(context: dict, dotted: str) -> bool:
    value = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def test_every_used_variable_is_documented():
    names = documented()
    parents = {name.rsplit(".", i)[0] for name in names for i in range(1, name.count(".") + 1)}
    undocumented = sorted(used() - names - parents)
    assert not undocumented, f"templates use variables templates/README.md does not document: {undocumented}"


def test_every_documented_variable_exists():
    context = real_context()
    missing = sorted(name for name in documented() if not resolve(context, name))
    assert not missing, f"templates/README.md documents variables the context no longer has: {missing}"


def test_contract_parser_sees_what_it_should():
    assert {"brief.audience.decides", "study.author.service", "chart.alt", "notes"} <= documented()
    assert {"brief.title", "study.handle_url", "notes", "findings"} <= used()
