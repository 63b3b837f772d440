"""Build the template context for one brief: a pure function of spec, content, selection and notes.

Everything a template can use is built here and documented in templates/README.md. Values are
plain text (escaped by the template engine) except the `Markup` values made by this package.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from markupsafe import Markup

from policybrief.content.loading import Content
from policybrief.spec.selection import Chosen
from policybrief.spec.specs import BriefSpec

from .charts import alt_text
from .citations import Cite, Notes
from .i18n import figure_parts, in_sentence, listing, locator_label, month_year


@dataclass(frozen=True)
class ChartImages:
    svg_data_uri: str
    png_data_uri: str


def part_pages(locator, content: Content) -> str | None:
    """The page range of the section (or chapter) a locator names, from the study's structure."""
    chapter = next((c for c in content.structure.chapters if c.id == locator.chapter), None)
    if chapter is None:
        return None
    section = next((s for s in chapter.sections if s.id == locator.section), None)
    return section.pages if section else chapter.pages


def locate(locator, content: Content, tr) -> str:
    return locator_label(locator, tr, part_pages(locator, content))


def _thesis_note(locator, sources, content: Content, tr) -> list[Cite]:
    """A finding's note: where the thesis says it and, when the thesis cites someone, whom it cites."""
    where = locate(locator, content, tr)
    if not sources:
        # The thesis itself: real pages as the locator; a whole section's range said as a section.
        if locator.pages == part_pages(locator, content):
            return [Cite(content.study.reference_id, prefix=f"{where}:")]
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
                plan.append((("hypothesis", h.id), _thesis_note(h.locator, [], content, tr)))
    return plan


def _text(value, lang: str) -> str:
    return value.get(lang) or value.en


def _findings(spec: BriefSpec, content: Content, chosen: Chosen, lang: str, tr, note_number: dict) -> list[dict]:
    vocab = content.vocabulary
    return [
        {
            "id": f.id,
            "number": number,
            "headline": _text(f.headline, lang),
            "statement": _text(f.statement, lang),
            "explanation": _text(f.explanation, lang),
            "juncture": _text(content.juncture(f.juncture).name, lang) if f.juncture else None,
            "locator": locate(f.locator, content, tr),
            "tags": [_text(vocab.tags[t], lang) for t in f.tags],
            "note": note_number.get(("finding", f.id)),
            "editors_note": _text(f.editors_note, lang) if f.editors_note and spec.editors_notes else None,
        }
        for number, f in enumerate(chosen.findings, start=1)
    ]


def _recommendation(r, spec: BriefSpec, content: Content, lang: str, tr, finding_number: dict) -> dict:
    vocab = content.vocabulary
    notes = {k: _text(v, lang) for k, v in (("cost", r.notes.cost), ("feasibility", r.notes.feasibility),
                                             ("sensitivity", r.notes.sensitivity)) if v}
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
        "notes": notes,
        "locator": locate(r.locator, content, tr),
        "editors_note": _text(r.editors_note, lang) if r.editors_note and spec.editors_notes else None,
    }


def _recommendation_groups(recommendations: list[dict], content: Content, chosen: Chosen, lang: str) -> list[dict]:
    """Recommendations grouped by actor, in the selection's order."""
    groups: list[dict] = []
    for r, item in zip(chosen.recommendations, recommendations, strict=True):
        if r.kind != "recommendation":
            continue
        actor = _text(content.vocabulary.actors[r.actor], lang)
        if not groups or groups[-1]["actor"] != actor:
            groups.append({"actor_id": r.actor, "actor": actor, "items": []})
        groups[-1]["items"].append(item)
    return groups


def _junctures(content: Content, lang: str) -> list[dict]:
    scale = content.junctures.scale
    dimensions = content.junctures.dimensions
    return [
        {
            "id": j.id, "name": _text(j.name, lang), "short": _text(j.short, lang), "years": j.years.replace("-", "–"),
            "ratings": [{"dimension": d.id, "value": j.ratings[d.id], "label": _text(scale[j.ratings[d.id]], lang)}
                        for d in dimensions],
            "summary": _text(j.summary, lang),
            "events": [{"year": e.year, "text": e.es if lang == "es" else e.en} for e in j.events],
        }
        for j in content.junctures.junctures
    ]


def _juncture_table(content: Content, lang: str, tr) -> dict:
    """The juncture section's heading and the table's columns and caption, from junctures.yaml."""
    junctures = content.junctures
    labels = [_text(d.label, lang) for d in junctures.dimensions]
    return {
        "title": _text(junctures.title, lang),
        "dimensions": [{"id": d.id, "label": label} for d, label in zip(junctures.dimensions, labels, strict=True)],
        "caption": tr.gettext("%(dimensions)s by period") % {"dimensions": listing(labels, lang)},
        "scale": {"low": in_sentence(_text(junctures.scale[0], lang)), "high": in_sentence(_text(junctures.scale[4], lang))},
    }


def _hypotheses(content: Content, lang: str, tr, note_number: dict) -> list[dict]:
    verdicts = {
        "supported": tr.gettext("Supported"),
        "partially-supported": tr.gettext("Partly supported"),
        "not-supported": tr.gettext("Not supported"),
    }
    return [
        {
            "id": h.id, "name": _text(h.name, lang), "claim": _text(h.claim, lang), "verdict": h.verdict,
            "verdict_label": verdicts[h.verdict], "reasoning": _text(h.reasoning, lang),
            "note": note_number.get(("hypothesis", h.id)),
        }
        for h in content.hypotheses
    ]


def _brief(spec: BriefSpec, findings: list[dict]) -> dict:
    return {
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
    }


def _study(content: Content, lang: str) -> dict:
    study = content.study
    author = study.author
    return {
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
        "definition": _text(study.definition_of_cooperation, lang) if study.definition_of_cooperation else None,
        "questions": [_text(q.text, lang) for q in study.research_questions],
        "question_ids": [q.id for q in study.research_questions],
        "advisors": [a.model_dump() for a in study.advisors],
    }


def _chart(chart: ChartImages | None, spec: BriefSpec, content: Content, lang: str, tr) -> dict | None:
    """The chart with its headline and caption: the brief's own (framing) or else the study's."""
    if chart is None:
        return None
    study_chart = content.study.chart
    title = spec.framing.chart_title or (_text(study_chart.title, lang) if study_chart else None)
    caption = spec.framing.chart_caption or (_text(study_chart.caption, lang) if study_chart else None)
    return {
        "svg": chart.svg_data_uri,
        "png": chart.png_data_uri,
        "alt": alt_text(content, lang, tr),
        "title": title or tr.gettext("Chart"),
        "caption": caption,
    }


def build_context(
    spec: BriefSpec,
    content: Content,
    chosen: Chosen,
    notes: Notes,
    chart: ChartImages | None,
    tr: gettext.NullTranslations,
    target: str,
) -> dict:
    """Everything the templates can use (documented in templates/README.md)."""
    lang = spec.language
    plan = citation_plan(spec, content, chosen, tr)
    note_number = {key: i + 1 for i, (key, _cites) in enumerate(plan)}
    finding_number = {f.id: i + 1 for i, f in enumerate(chosen.findings)}
    findings = _findings(spec, content, chosen, lang, tr, note_number)
    recommendations = [_recommendation(r, spec, content, lang, tr, finding_number) for r in chosen.recommendations]
    figures = [{"id": fig.id, "label": fig.label(lang), "period": fig.period.replace("-", "–"), **figure_parts(fig, lang, tr)}
               for fig in chosen.figures]
    return {
        "lang": lang,
        "target": target,
        "brief": _brief(spec, findings),
        "study": _study(content, lang),
        "findings": findings,
        "recommendation_groups": _recommendation_groups(recommendations, content, chosen, lang),
        "caveats": [item for r, item in zip(chosen.recommendations, recommendations, strict=True) if r.kind == "caveat"],
        "figures": figures,
        "figures_note": note_number.get(("section", "key_figures")),
        "junctures": _junctures(content, lang),
        "juncture_table": _juncture_table(content, lang, tr),
        "hypotheses": _hypotheses(content, lang, tr, note_number),
        "chart": _chart(chart, spec, content, lang, tr),
        "notes": [Markup(n) for n in notes.notes],
        "bibliography": [Markup(b) for b in notes.bibliography],
        "excluded": {kind: [{"id": e.id, "reason": e.reason} for e in items] for kind, items in chosen.excluded.items()},
    }
