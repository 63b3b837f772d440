"""Checks that span records and files: unique ids, resolvable references, vocabularies, locators,
juncture dimensions and the Spanish texts the Spanish briefs print."""

from __future__ import annotations

from typing import Any

from policybrief.core.problems import Problem, did_you_mean, unknown

from .datafiles import FILES, SPANISH_REQUIRED, Locations, sourced_records
from .models import parse_pages


def cross_check(values: dict[str, Any], where: Locations) -> list[Problem]:
    """Checks that span records: unique ids, resolvable references, vocabularies, locators, Spanish.
    Only files that loaded are checked (`values`); a reference into a file that failed is skipped,
    since that file's own problems are already reported."""
    problems: list[Problem] = []

    def add(kind: str, record_id: str | None, field_name: str, message: str, at: tuple | None = None) -> None:
        path = at if at is not None else tuple(int(p) if p.isdigit() else p for p in field_name.split("."))
        file, line = where(kind, record_id, *path)
        problems.append(Problem(file, line, record_id, field_name, message))

    junctures = values.get("junctures")
    collections = {
        "hypotheses": values.get("hypotheses"),
        "junctures": junctures.junctures if junctures else None,
        "findings": values.get("findings"),
        "recommendations": values.get("recommendations"),
        "figures": values.get("figures"),
    }
    for kind, records in collections.items():
        seen: set[str] = set()
        for r in records or []:
            if r.id in seen:
                add(kind, r.id, "id", f"duplicate id '{r.id}'; ids must be unique within {FILES[kind]}")
            seen.add(r.id)

    ref_ids = [r["id"] for r in values["references"]] if "references" in values else None
    for dup in sorted({i for i in ref_ids or [] if ref_ids.count(i) > 1}):
        add("references", dup, "id", "duplicate reference id")
    vocabulary = values.get("vocabulary")
    known = {
        "reference": set(ref_ids) if ref_ids is not None else None,
        "tag": set(vocabulary.tags) if vocabulary else None,
        "actor": set(vocabulary.actors) if vocabulary else None,
        "finding": {r.id for r in collections["findings"]} if collections["findings"] is not None else None,
        "figure": {r.id for r in collections["figures"]} if collections["figures"] is not None else None,
        "juncture": {r.id for r in collections["junctures"]} if collections["junctures"] is not None else None,
    }

    def must_exist(kind, rid, field_name, value, what, at):
        if known[what] is not None and value not in known[what]:
            add(kind, rid, field_name, f"refers to {unknown(what, value, known[what])}", at)

    study = values.get("study")
    if study is not None:
        must_exist("study", "study", "reference_id", study.reference_id, "reference", ("reference_id",))
    for f in collections["findings"] or []:
        if f.juncture is not None:
            must_exist("findings", f.id, "juncture", f.juncture, "juncture", ("juncture",))
        for i, t in enumerate(f.tags):
            must_exist("findings", f.id, "tags", t, "tag", ("tags", i))
        for i, fig in enumerate(f.figures):
            must_exist("findings", f.id, "figures", fig, "figure", ("figures", i))
        for i, c in enumerate(f.sources):
            must_exist("findings", f.id, "sources.ref", c.ref, "reference", ("sources", i, "ref"))
    for r in collections["recommendations"] or []:
        must_exist("recommendations", r.id, "actor", r.actor, "actor", ("actor",))
        for i, partner in enumerate(r.partners):
            must_exist("recommendations", r.id, "partners", partner, "actor", ("partners", i))
        for i, fid in enumerate(r.rests_on):
            must_exist("recommendations", r.id, "rests_on", fid, "finding", ("rests_on", i))
        for i, fig in enumerate(r.figures):
            must_exist("recommendations", r.id, "figures", fig, "figure", ("figures", i))
    for fig in collections["figures"] or []:
        must_exist("figures", fig.id, "source", fig.source, "reference", ())
        for t in fig.tag_list:
            must_exist("figures", fig.id, "tags", t, "tag", ())
    if junctures is not None:
        missing_levels = set(range(5)) - set(junctures.scale)
        if missing_levels:
            add("junctures", None, "scale", f"must define every level 0-4; missing {sorted(missing_levels)}")
        _check_dimensions(junctures, add)

    if "structure" in values:
        _check_locators(values, add)
    _check_spanish(values, add)
    return problems


def _check_dimensions(junctures, add) -> None:
    """Each juncture rates exactly the dimensions junctures.yaml declares; at most one is the outcome."""
    declared = [d.id for d in junctures.dimensions]
    for d in sorted({d for d in declared if declared.count(d) > 1}):
        add("junctures", None, "dimensions", f"dimension '{d}' is declared twice")
    outcomes = [d.id for d in junctures.dimensions if d.outcome]
    if len(outcomes) > 1:
        add("junctures", None, "dimensions", f"only one dimension can be the outcome; found {', '.join(outcomes)}")
    for j in junctures.junctures:
        missing = [d for d in declared if d not in j.ratings]
        undeclared = sorted(set(j.ratings) - set(declared))
        if missing:
            add("junctures", j.id, "ratings", f"has no rating for {', '.join(missing)}; every declared dimension needs one")
        if undeclared:
            add("junctures", j.id, "ratings", f"rates undeclared dimensions {', '.join(undeclared)}; declared: {', '.join(declared)}")


def _check_locators(values: dict[str, Any], add) -> None:
    chapters = {c.id: c for c in values["structure"].chapters}
    for kind, rid, _field, loc, _anchor in sourced_records(values):
        chapter = chapters.get(loc.chapter)
        if chapter is None:
            add(kind, rid, "locator.chapter", f"chapter '{loc.chapter}' is not in structure.yaml{did_you_mean(loc.chapter, chapters)}")
            continue
        low, high = parse_pages(chapter.pages)
        if loc.section:
            section = next((s for s in chapter.sections if s.id == loc.section), None)
            if section is None:
                known = ", ".join(s.id for s in chapter.sections)
                add(kind, rid, "locator.section", f"section '{loc.section}' is not in chapter {loc.chapter} (sections: {known})")
                continue
            low, high = parse_pages(section.pages)
        first, last = loc.page_range()
        if first > last or first < low or last > high:
            where = f"section {loc.section}" if loc.section else f"chapter {loc.chapter}"
            add(kind, rid, "locator.pages", f"pages {loc.pages} lie outside {where} (pages {low}-{high})")


def _check_spanish(values: dict[str, Any], add) -> None:
    junctures = values.get("junctures")
    for kind, fields in SPANISH_REQUIRED.items():
        records = (junctures.junctures if junctures else []) if kind == "junctures" else values.get(kind) or []
        for r in records:
            for name in fields:
                if getattr(r, name).es is None:
                    add(kind, r.id, f"{name}.es", "Spanish text is required (the Spanish brief prints this field)")
    vocab = values.get("vocabulary")
    for group in ("tags", "actors", "horizons") if vocab else ():
        for key, text in getattr(vocab, group).items():
            if text.es is None:
                add("vocabulary", key, f"{group}.{key}.es", "Spanish text is required")
    for level, text in (junctures.scale.items() if junctures else ()):
        if text.es is None:
            add("junctures", str(level), f"scale.{level}.es", "Spanish text is required")
    for d in junctures.dimensions if junctures else ():
        if d.label.es is None:
            add("junctures", d.id, "label.es", "Spanish text is required")
    if junctures and junctures.title.es is None:
        add("junctures", "title", "title.es", "Spanish text is required")

