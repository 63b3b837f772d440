"""`policybrief new-brief`: write a commented brief spec from flags or questions, and validate it."""

from __future__ import annotations

import sys
from pathlib import Path

from policybrief.content.loading import load_content
from policybrief.content.models import ID_PATTERN
from policybrief.core.problems import InputError, Problem
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

TEMPLATE = """\
# Brief spec written by `policybrief new-brief`. Every key is explained in README.md ("Add a brief").
id: {id}
audience:
  name: {audience}
  detail: {audience}          # which offices or desks, in a few words
  decides: What this audience decides with the brief.   # one sentence
title: "{title}"
subtitle: A one-line promise of what the reader will learn
language: {language}
formats: [pdf, docx, html]     # which formats are published and distributed
max_pages: {pages}
words: {{max: {words}}}          # word budget, notes included
reading_level: {{index: {index}, target: {target}, tolerance: {tolerance}}}
sections: [bottom_line, key_figures, findings, recommendations, caveat, about]   # order = layout
select:
  findings:
    tags: [{tags}]             # any of these tags (data/vocabulary.yaml)
    max_priority: 2            # 1 = core findings only
    limit: 5
    detail: statement          # headline | statement | full
  recommendations:
    actors: []                 # empty = every actor
    detail: full               # action | full
  figures:
    tags: [{tags}]
    limit: 6
framing:
  kicker: Policy brief
  bottom_line: >-
    Write the bottom line for this audience here: two to four sentences, every number one that
    data/figures.csv holds.
"""


def _ask(value, question: str, default=None):
    if value is not None:
        return value
    if not sys.stdin.isatty():
        if default is None:
            raise InputError([Problem("new-brief", None, None, question, "is required (give it as a flag)")])
        return default
    answer = input(f"{question}{f' [{default}]' if default is not None else ''}: ").strip()
    return answer or default


def new_brief(briefs: str, data: str, id: str | None = None, audience: str | None = None, language: str | None = None,
              pages: int | None = None, tags: str | None = None, title: str | None = None) -> Path:
    import re

    brief_id = _ask(id, "id")
    if not re.fullmatch(ID_PATTERN, brief_id or ""):
        raise InputError([Problem("new-brief", None, brief_id, "id", "use lower-case letters, digits and hyphens")])
    path = Path(briefs) / f"{brief_id}.yaml"
    if path.exists():
        raise InputError([Problem(str(path), None, brief_id, "id", "a brief with this id already exists")])
    language = _ask(language, "language (en or es)", "en")
    pages = int(_ask(pages, "maximum pages", 2))
    content = load_content(data)
    tag_list = [t.strip() for t in (_ask(tags, "finding tags, comma-separated", "civil-military") or "").split(",") if t.strip()]
    unknown = [t for t in tag_list if t not in content.vocabulary.tags]
    if unknown:
        raise InputError([Problem("new-brief", None, brief_id, "tags", f"unknown tag(s) {', '.join(unknown)}; known: {', '.join(content.vocabulary.tags)}")])
    index, target, tolerance = ("flesch-kincaid-grade", 13, 2) if language == "en" else ("fernandez-huerta", 50, 10)
    text = TEMPLATE.format(
        id=brief_id, audience=_ask(audience, "who is it for", "Policy staff"), title=_ask(title, "title", "Untitled brief"),
        language=language, pages=pages, words=600 * pages, index=index, target=target, tolerance=tolerance, tags=", ".join(tag_list),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        select(load_spec(path), content)
    except InputError:
        path.unlink()
        raise
    return path


def new_brief_command(**options) -> int:
    """`policybrief new-brief`."""
    path = new_brief(**options)
    print(f"ok: wrote {path}; run `policybrief check` to see it render, then `make` to build it")
    return 0
