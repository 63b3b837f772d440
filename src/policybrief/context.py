"""Build the template context for one brief: a pure function of spec, content, selection and notes.

Everything a template can use is built here and documented in templates/README.md. Values are
plain text (escaped by the template engine) except the `Markup` values made by this package.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from markupsafe import Markup

from .briefs import BriefSpec
from .charts import alt_text
from .citations import Cite, Notes
from .content import Content
from .i18n import figure_parts, locator_label, month_year
from .selection import Chosen


@dataclass(frozen=True)
class ChartImages:
    svg_data_uri: str
    png_data_uri: str


def _thesis_note(locator, sources, content: Content, tr) -> list[Cite]:
    """A finding's note: where the thesis says it and, when the thesis cites someone, whom it cites."""
    where = locator_label(locator, tr)
    if not sources:
        return [Cite(content.study.reference_id, locator.pages)]
    first, *rest = sources
    citing = tr.gettext("citing")
    return [Cite(first.ref, first.locator, prefix=f"{where}, {citing}"), *(Cite(c.ref, c.locator) for c in rest)]


def citation_plan(spec: BriefSpec, content: Content, chosen: Chosen, tr) -> list[tuple[tuple[str, str], list[Cite]]]:
    """The notes of a brief in reading order: ((kind, id), cites). Key figures share one note."""
    plan = []
    for section in spec.sections:
        if section == "key_figures" and chosen.figures:
            sources = list(dict.fromkeys(fig.source for fig in chosen.figures))
            plan.append((("section", "key_figures"), [Cite(ref) for ref in sources]))
        elif section == "findings":
            for f in chosen.findings:
                plan.append((("finding", f.id), _thesis_note(f.locator, f.sources, content, tr)))
        elif section == "hypotheses":
            for h in content.hypotheses:
                plan.append((("hypothesis", h.id), [Cite(content.study.reference_id, h.locator.pages)]))
    return plan


def _text(value, lang: str) -> str:
    return value.get(lang) or value.en


def build_context(
    spec: BriefSpec,
    content: Content,
    chosen: Chosen,
    notes: Notes,
    chart: ChartImages | None,
    tr: gettext.NullTranslations,
    target: str,
) -> dict:
    lang = spec.language
    plan = citation_plan(spec, content, chosen, tr)
    note_number = {key: i + 1 for i, (key, _cites) in enumerate(plan)}
    vocab = content.vocabulary
    study = content.study
    finding_number = {f.id: i + 1 for i, f in enumerate(chosen.findings)}

    findings = [
        {
            "id": f.id,
            "number": finding_number[f.id],
            "headline": _text(f.headline, lang),
            "statement": _text(f.statement, lang),
            "explanation": _text(f.explanation, lang),
            "juncture": _text(content.juncture(f.juncture).name, lang) if f.juncture else None,
            "locator": locator_label(f.locator, tr),
            "tags": [_text(vocab.tags[t], lang) for t in f.tags],
            "note": note_number.get(("finding", f.id)),
        }
        for f in chosen.findings
    ]

    def recommendation(r):
        notes_ = {k: _text(v, lang) for k, v in (("cost", r.notes.cost), ("feasibility", r.notes.feasibility), ("sensitivity", r.notes.sensitivity)) if v}
        return {
            "id": r.id,
            "kind": r.kind,
            "basis": r.basis,
            "basis_label": tr.gettext("Stated in the thesis") if r.basis == "stated" else tr.gettext("Derived from the findings"),
            "actor": _text(vocab.actors[r.actor], lang),
            "partners": [_text(vocab.actors[p], lang) for p in r.partners],
            "headline": _text(r.headline, lang),
            "action": _text(r.action, lang),
            "rationale": _text(r.rationale, lang),
            "horizon": _text(vocab.horizons[r.horizon], lang),
            "rests_on": sorted(finding_number[fid] for fid in r.rests_on if fid in finding_number),
            "notes": notes_,
            "locator": locator_label(r.locator, tr),
        }

    groups: list[dict] = []
    for r in (r for r in chosen.recommendations if r.kind == "recommendation"):
        actor = _text(vocab.actors[r.actor], lang)
        if not groups or groups[-1]["actor"] != actor:
            groups.append({"actor_id": r.actor, "actor": actor, "items": []})
        groups[-1]["items"].append(recommendation(r))

    figures = []
    for fig in chosen.figures:
        parts = figure_parts(fig, lang, tr)
        figures.append({"id": fig.id, "label": fig.label(lang), "period": fig.period.replace("-", "–"), **parts})

    scale = content.junctures.scale

    def rating(value: int) -> dict:
        return {"value": value, "label": _text(scale[value], lang)}

    junctures = [
        {
            "id": j.id, "name": _text(j.name, lang), "short": _text(j.short, lang), "years": j.years.replace("-", "–"),
            "common_threat": rating(j.common_threat),
            "economic_interdependence": rating(j.economic_interdependence),
            "military_cooperation": rating(j.military_cooperation),
            "summary": _text(j.summary, lang),
            "events": [{"year": e.year, "text": e.es if lang == "es" else e.en} for e in j.events],
        }
        for j in content.junctures.junctures
    ]
    verdicts = {
        "supported": tr.gettext("Supported"),
        "partially-supported": tr.gettext("Partly supported"),
        "not-supported": tr.gettext("Not supported"),
    }
    hypotheses = [
        {
            "id": h.id, "name": _text(h.name, lang), "claim": _text(h.claim, lang), "verdict": h.verdict,
            "verdict_label": verdicts[h.verdict], "reasoning": _text(h.reasoning, lang),
            "note": note_number.get(("hypothesis", h.id)),
        }
        for h in content.hypotheses
    ]
    author = study.author
    return {
        "lang": lang,
        "target": target,
        "brief": {
            "id": spec.id,
            "title": spec.title,
            "subtitle": spec.subtitle,
            "kicker": spec.framing.kicker,
            "bottom_line": spec.framing.bottom_line,
            "intro": spec.framing.intro,
            "closing": spec.framing.closing,
            "audience": spec.audience.model_dump(),
            "sections": list(spec.sections),
            "finding_detail": spec.select.findings.detail,
            "recommendation_detail": spec.select.recommendations.detail,
            "max_pages": spec.max_pages,
            "keywords": sorted({t for f in findings for t in f["tags"]}),
        },
        "study": {
            "title": study.title,
            "short_title": study.short_title,
            "author": {"name": author.name, "rank": author.rank, "service": author.service},
            "degree": study.degree,
            "institution": study.institution,
            "date": month_year(study.date, lang),
            "handle_url": study.handle_url,
            "rights": _text(study.rights, lang),
            "evidence_date": _text(study.evidence_date, lang),
            "abstract": _text(study.abstract, lang),
            "method": _text(study.method, lang),
            "definition": _text(study.definition_of_cooperation, lang),
            "questions": [_text(q.text, lang) for q in study.research_questions],
            "advisors": [a.model_dump() for a in study.advisors],
        },
        "findings": findings,
        "recommendation_groups": groups,
        "caveats": [recommendation(r) for r in chosen.recommendations if r.kind == "caveat"],
        "figures": figures,
        "figures_note": note_number.get(("section", "key_figures")),
        "junctures": junctures,
        "hypotheses": hypotheses,
        "chart": None if chart is None else {
            "svg": chart.svg_data_uri,
            "png": chart.png_data_uri,
            "alt": alt_text(content, lang, tr),
            "caption": tr.gettext("Military cooperation has not followed economic interdependence"),
        },
        "notes": [Markup(n) for n in notes.notes],
        "bibliography": [Markup(b) for b in notes.bibliography],
        "excluded": {kind: [{"id": e.id, "reason": e.reason} for e in items] for kind, items in chosen.excluded.items()},
    }
