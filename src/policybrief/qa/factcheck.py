"""The reviewer's fact-check sheet of one brief: every sentence it prints, in reading order, beside
the thesis passages behind it (chapter, section, footnote, and a link into the thesis at that
passage); a sentence with no evidence is marked. Also the hash of the brief's printed claims that
a sign-off records (qa/review.py)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from policybrief.content.loading import Content
from policybrief.content.models import Evidence
from policybrief.content.source import SourceText, in_part
from policybrief.spec.framing import record_index

from .extract import BriefHtml, squash

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"“(0-9])")
FRAMING = ("title", "subtitle", "kicker", "bottom_line", "chart_title", "chart_caption", "intro", "closing")
# The main claim of each kind of record: what a framing piece that summarises it rests on.
MAIN_FIELD = {"findings": "statement", "recommendations": "action", "hypotheses": "reasoning", "junctures": "summary"}


@dataclass
class Passage:
    quote: str
    where: str  # "ch. II.C.2, n. 91"
    paragraph: int | None  # anchor in the thesis rendering


@dataclass
class Sentence:
    text: str
    record: str | None
    field: str | None
    kind: str  # claim | framing | editors | template
    evidence: list[Passage] = field(default_factory=list)
    same_as: int | None = None  # row number (1-based) whose passages these are, when listed there

    @property
    def backed(self) -> bool:
        return bool(self.evidence) or self.kind == "editors"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(squash(text)) if s.strip()]


def _where(ev: Evidence) -> str:
    part = ev.chapter + (f".{ev.section}" if ev.section not in (None, "-") else "")
    return part + (f", n. {ev.footnote}" if ev.footnote else "")


def _passage(ev: Evidence, source: SourceText) -> Passage:
    matches = source.find(ev.quote)
    inside = [m for m in matches if in_part(m.paragraph, ev.chapter, ev.section)] or matches
    return Passage(ev.quote, _where(ev), inside[0].paragraph.number if inside else None)


class Sheet:
    """What the reviewer checks for one brief."""

    def __init__(self, spec, content: Content, html: BriefHtml, source: SourceText):
        self.spec, self.content, self.source = spec, content, source
        self.index = record_index(content)
        self.rows: list[Sentence] = []
        for block in html.blocks:
            if block.apparatus and block.field is None:
                continue  # notes, citations and meta lines: checked by the notes, not as claims
            kind, evidence = self._evidence(block.record, block.field)
            first = None
            for text in sentences(block.text):
                if re.search(r"[A-Za-zÀ-ÿ]{3}", text):
                    self.rows.append(Sentence(text, block.record, block.field, kind, evidence, first))
                    first = first or len(self.rows)

    def _record_evidence(self, record_id: str, field_name: str) -> list[Evidence]:
        if record_id == "abstract":
            return self.content.study.evidence.get("abstract", [])
        if record_id in ("method", "definition_of_cooperation"):
            return getattr(self.content.study, record_id).evidence.get("text", [])
        question = next((q for q in self.content.study.research_questions if q.id == record_id), None)
        if question is not None:
            return question.evidence.get("text", [])
        record = self.index.get(record_id)
        if record is None:
            return []
        if hasattr(record, "passage"):  # a figure: its label and value stand on its passage
            loc = record.locator
            return [Evidence(quote=record.passage, chapter=loc.chapter, section=loc.section, footnote=loc.footnote)]
        return record.evidence.get(field_name, [])

    def _framing_evidence(self, piece: str) -> list[Evidence]:
        chart = self.content.study.chart
        overridden = getattr(self.spec.framing, piece, None) if piece in ("chart_title", "chart_caption") else True
        if piece in ("chart_title", "chart_caption") and not overridden and chart is not None:
            return chart.evidence.get(piece.removeprefix("chart_"), [])
        found = [e for record_id in self.spec.framing.summarises.get(piece, [])
                 for e in self._record_evidence(record_id, MAIN_FIELD.get(self._kind(record_id), "statement"))]
        # Records summarised together often share a passage: the reviewer reads each once.
        unique: dict[tuple, Evidence] = {}
        for e in found:
            unique.setdefault((e.quote, e.chapter, e.section, e.footnote), e)
        return list(unique.values())

    def _kind(self, record_id: str) -> str:
        for kind in ("findings", "recommendations", "hypotheses"):
            if any(r.id == record_id for r in getattr(self.content, kind)):
                return kind
        return "junctures" if any(j.id == record_id for j in self.content.junctures.junctures) else "figures"

    def _evidence(self, record: str | None, field_name: str | None) -> tuple[str, list[Passage]]:
        if field_name == "editors_note":
            return "editors", []
        if field_name == "kicker" and not self.spec.framing.summarises.get("kicker"):
            return "template", []  # a genre label ("Explainer"), not a claim
        if field_name in FRAMING and record is None:
            found = self._framing_evidence(field_name)
            return "framing", [_passage(e, self.source) for e in found]
        if record and field_name:
            return "claim", [_passage(e, self.source) for e in self._record_evidence(record, field_name)]
        return "template", []

    def claims_hash(self) -> str:
        """sha256 of every sentence the brief prints as a claim or framing, in order: what a sign-off covers."""
        printed = "\n".join(f"{s.record or ''}|{s.field}|{s.text}" for s in self.rows if s.kind != "template")
        return hashlib.sha256(printed.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict:
        return {
            "brief": self.spec.id,
            "claims_sha256": self.claims_hash(),
            "sentences": len(self.rows),
            "unbacked": sum(1 for s in self.rows if not s.backed and s.kind != "template"),
            "template_sentences": sum(1 for s in self.rows if s.kind == "template"),
            "rows": [{"text": s.text, "record": s.record, "field": s.field, "kind": s.kind, "same_as": s.same_as,
                      "evidence": [vars(p) for p in s.evidence]} for s in self.rows],
        }


def thesis_html_body(source: SourceText) -> str:
    """The thesis as HTML, one element per paragraph with the id the sheets link to (#p-N)."""
    import html as html_lib

    parts, current = [], None
    for p in source.paragraphs:
        where = (p.chapter, p.section)
        if where != current and p.chapter:
            label = p.chapter + (f".{p.section}" if p.section else "")
            parts.append(f'<h2 id="part-{html_lib.escape(label)}">{html_lib.escape(label)}</h2>')
            current = where
        plain = re.sub(r"\\([\\`*_{}\[\]()#+\-.!$])", r"\1", re.sub(r"\*+", "", p.raw))
        text = html_lib.escape(re.sub(r"<sup>(\d+)</sup>", r"[\1]", plain))
        text = re.sub(r"\[(\d+)\]", r"<sup>\1</sup>", text)
        parts.append(f'<p id="p-{p.number}"><a class="pn" href="#p-{p.number}">¶{p.number}</a> {text}</p>')
    return "\n".join(parts)


def write_sheet(spec, content: Content, html: BriefHtml, source: SourceText, templates: Path, out_dir: Path,
                thesis_href: str) -> dict:
    """<brief>.factcheck.json, .html and .pdf in `out_dir`; returns the JSON."""
    from policybrief.core.files import write_atomic, write_json
    from policybrief.render.i18n import translations
    from policybrief.render.pdf import render_pdf
    from policybrief.render.templating import environment, render

    sheet = Sheet(spec, content, html, source).as_dict()
    env = environment(templates, translations(templates, spec.language))

    def page(href: str | None) -> str:
        context = {"lang": spec.language, "sheet": sheet, "thesis_href": href,
                   "brief": {"id": spec.id, "title": spec.title, "audience": spec.audience.name}}
        return render(env, "factcheck.html.j2", context, templates)

    write_json(out_dir / f"{spec.id}.factcheck.json", sheet)
    write_atomic(out_dir / f"{spec.id}.factcheck.html", page(thesis_href))
    # The PDF names the paragraph without a link: a relative link would become an absolute file://
    # path in the PDF, and the same inputs would give other bytes in another folder.
    write_atomic(out_dir / f"{spec.id}.factcheck.pdf", render_pdf(page(None), templates))
    return sheet


def write_thesis_html(data: str, source: str, templates: str, out: str) -> int:
    """`policybrief thesis-html`: the thesis text with a paragraph id for every link of the sheets."""
    from markupsafe import Markup

    from policybrief.content.loading import load_content
    from policybrief.core.files import write_atomic
    from policybrief.render.templating import environment, render

    content = load_content(data)
    text = SourceText.read(Path(source), content.structure)
    study = content.study
    page = render(environment(Path(templates)), "thesis.html.j2", {
        "title": study.title, "note": f"{study.author.name}, {study.institution}, {study.date}. {study.handle_url}",
        "body": Markup(thesis_html_body(text)),
    }, Path(templates))
    write_atomic(Path(out), page)
    print(f"ok: {out} ({len(text.paragraphs)} paragraphs)")
    return 0
