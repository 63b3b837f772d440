"""`policybrief new-brief`: write a brief spec from flags or questions, sized to its page budget,
and validate it before anything is written."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from policybrief.content.loading import load_content
from policybrief.content.models import ID_PATTERN
from policybrief.core.files import write_atomic
from policybrief.core.problems import InputError, Problem, display_path
from policybrief.spec.selection import select
from policybrief.spec.specs import parse_spec

HEADER = """\
# Brief spec written by `policybrief new-brief`; every key is explained in README.md ("Add a brief").
# formats: which formats are published and distributed.  sections: their order is the layout.
# select.findings: any of the tags (data/vocabulary.yaml), the highest priority first, up to limit;
#   detail headline | statement | full.  select.recommendations: actors (empty = all), limit,
#   detail action | full.  notes: short (author, title, page) or full (the first citation in full).
# The selection is sized to max_pages; `make` measures pages and words and says if it overflows.
"""

# What fits a page budget with the shipped layout. Measured on the shipped study, one tag at a time in
# both languages: every proposal that selects anything fits its pages (1 page: 22 of 22, 220-393
# words of 560; 2, 3 and 4 pages: 22 of 22 each). Briefs of 3+ pages get the 3-page plan.
PROPOSALS = {
    1: {"sections": ["bottom_line", "findings", "about"], "notes": "short",
        "findings": {"limit": 3, "detail": "statement"}, "recommendations": None, "figures": None},
    2: {"sections": ["bottom_line", "key_figures", "findings", "recommendations", "caveat", "about"], "notes": "short",
        "findings": {"limit": 4, "detail": "statement"},
        "recommendations": {"detail": "action"}, "figures": {"limit": 4}},
    3: {"sections": ["bottom_line", "key_figures", "findings", "recommendations", "caveat", "about"], "notes": "full",
        "findings": {"limit": 6, "detail": "statement"},
        "recommendations": {"detail": "full"}, "figures": {"limit": 6}},
}
WORDS_PER_PAGE = {1: 560, 2: 575}  # page 1 carries the title block; more pages hold about 580 words each


def _ask(value, question: str, default=None):
    if value is not None:
        return value
    if not sys.stdin.isatty():
        if default is None:
            raise InputError([Problem("new-brief", None, None, question, "is required (give it as a flag)")])
        return default
    answer = input(f"{question}{f' [{default}]' if default is not None else ''}: ").strip()
    return answer or default


def _sections(plan: dict, content, tags: list[str]) -> list[str]:
    """The plan's sections less those the data cannot fill (no figure has the tags, no caveat)."""
    empty = set()
    if not any(set(f.tag_list) & set(tags) for f in content.figures):
        empty.add("key_figures")
    if not any(r.kind == "caveat" for r in content.recommendations):
        empty.add("caveat")
    return [s for s in plan["sections"] if s not in empty]


def propose(brief_id: str, audience: str, title: str, language: str, pages: int, tags: list[str], content) -> dict:
    """The spec as data: sections, selection and word budget sized to `pages` and to what the data holds."""
    plan = PROPOSALS[min(pages, 3)]
    sections = _sections(plan, content, tags)
    index, target, tolerance = ("flesch-kincaid-grade", 13, 2) if language == "en" else ("fernandez-huerta", 50, 10)
    # Findings are taken by priority, then in data order, up to the limit: the core ones come first.
    select = {"findings": {"tags": list(tags), **plan["findings"]}}
    if plan["recommendations"]:
        select["recommendations"] = {"actors": [], **plan["recommendations"]}
    if "key_figures" in sections:
        select["figures"] = {"tags": list(tags), **plan["figures"]}
    return {
        "id": brief_id,
        "audience": {"name": audience, "detail": audience, "decides": "What this audience decides with the brief."},
        "title": title,
        "subtitle": "A one-line promise of what the reader will learn",
        "language": language,
        "formats": ["pdf", "docx", "html"],
        "max_pages": pages,
        "words": {"max": WORDS_PER_PAGE.get(pages, 580) * pages},
        "reading_level": {"index": index, "target": target, "tolerance": tolerance},
        "notes": plan["notes"],
        "sections": sections,
        "select": select,
        "covers": list(tags),
        "framing": {
            "kicker": "Policy brief",
            "bottom_line": "Write the bottom line for this audience here: two to four sentences, every number one "
                           "that data/figures.csv holds.",
            # What the title, subtitle and bottom line may claim: the findings the rules pick.
            "summarises": {piece: _likely_findings(content, tags, plan["findings"].get("limit"))
                           for piece in ("title", "subtitle", "bottom_line")},
        },
    }


def _likely_findings(content, tags: list[str], limit: int | None) -> list[str]:
    """The findings the tag rule selects (by priority, then data order), for the framing summaries."""
    tagged = [f for f in content.findings if set(f.tags) & set(tags)]
    tagged.sort(key=lambda f: f.priority)
    return [f.id for f in tagged[:limit]]


def spec_text(spec: dict) -> str:
    """YAML from the emitter, so any title or name (quotes, colons, line breaks) is written safely."""
    body = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    return HEADER + body


def new_brief(briefs: str, data: str, id: str | None = None, audience: str | None = None, language: str | None = None,
              pages: int | None = None, tags: str | None = None, title: str | None = None) -> Path:
    brief_id = _ask(id, "id")
    if not re.fullmatch(ID_PATTERN, brief_id or ""):
        raise InputError([Problem("new-brief", None, brief_id, "id", "use lower-case letters, digits and hyphens")])
    path = Path(briefs) / f"{brief_id}.yaml"
    if path.exists():
        raise InputError([Problem(display_path(path), None, brief_id, "id", "a brief with this id already exists")])
    language = _ask(language, "language (en or es)", "en")
    pages = int(_ask(pages, "maximum pages", 2))
    content = load_content(data)
    tag_list = [t.strip() for t in (_ask(tags, "finding tags, comma-separated", "civil-military") or "").split(",") if t.strip()]
    unknown = [t for t in tag_list if t not in content.vocabulary.tags]
    if unknown:
        raise InputError([Problem("new-brief", None, brief_id, "tags", f"unknown tag(s) {', '.join(unknown)}; known: {', '.join(content.vocabulary.tags)}")])
    spec = propose(brief_id, _ask(audience, "who is it for", "Policy staff"), _ask(title, "title", "Untitled brief"),
                   language, pages, tag_list, content)
    text = spec_text(spec)
    try:
        select(parse_spec(text, path), content)  # validated in memory: nothing is written unless it is valid
    except InputError as exc:
        raise InputError([*exc.problems, Problem("new-brief", None, brief_id, None, f"nothing was written to {display_path(path)}")]) from None
    write_atomic(path, text)
    return path


def new_brief_command(**options) -> int:
    """`policybrief new-brief`."""
    path = new_brief(**options)
    print(f"ok: wrote {path}; run `policybrief check` to see it render, then `make` to build it")
    return 0
