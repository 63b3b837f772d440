"""`policybrief list`: every finding, recommendation, figure, tag and actor id, with the briefs
that print it, so a spec editor can pick ids without reading the data files."""

from __future__ import annotations

from pathlib import Path

from policybrief.content.loading import load_content
from policybrief.spec.selection import select
from policybrief.spec.specs import load_specs


def usage(data: str, briefs: str) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """kind -> id -> (label, ids of the briefs that print it). A tag is used by a brief that prints
    a finding or figure carrying it; an actor by one that prints a recommendation naming it."""
    content = load_content(data)
    rows = {
        "findings": {f.id: f.headline.en for f in content.findings},
        "recommendations": {r.id: r.headline.en for r in content.recommendations},
        "figures": {f.id: f.label_en for f in content.figures},
        "tags": {t: text.en for t, text in content.vocabulary.tags.items()},
        "actors": {a: text.en for a, text in content.vocabulary.actors.items()},
    }
    users: dict[str, dict[str, list[str]]] = {kind: {i: [] for i in ids} for kind, ids in rows.items()}
    for spec_file in load_specs(Path(briefs)):
        chosen, brief = select(spec_file, content), spec_file.spec.id
        used = {kind: {r.id for r in getattr(chosen, kind)} for kind in ("findings", "recommendations", "figures")}
        used["tags"] = {t for f in chosen.findings for t in f.tags} | {t for f in chosen.figures for t in f.tag_list}
        used["actors"] = {a for r in chosen.recommendations for a in (r.actor, *r.partners)}
        for kind, ids in used.items():
            for record_id in ids:
                users[kind][record_id].append(brief)
    return {kind: {i: (label, sorted(users[kind][i])) for i, label in ids.items()} for kind, ids in rows.items()}


def list_ids(data: str, briefs: str) -> int:
    """`policybrief list`: one table per kind: id, the briefs that print it, its English label."""
    for kind, ids in usage(data, briefs).items():
        width = max(len(i) for i in ids)
        used_width = max(len(", ".join(b) or "-") for _label, b in ids.values())
        print(f"{kind} ({len(ids)})")
        for record_id, (label, users) in ids.items():
            print(f"  {record_id.ljust(width)}  {(', '.join(users) or '-').ljust(used_width)}  {label}")
        print()
    return 0
