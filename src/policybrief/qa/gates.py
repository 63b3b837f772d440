"""Editorial quality gates, measured on the finished files of one brief.

Each gate yields Measures (name, limit, value, pass/fail, message naming brief, measure, limit and
value). `check_brief` writes nothing; the CLI turns the result into <brief>.qa.json.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from policybrief.content.loading import Content
from policybrief.render.i18n import catalogue_path
from policybrief.spec.specs import SpecFile

from .extract import (
    SECTION_IDS,
    BriefHtml,
    docx_part,
    docx_text,
    parse_brief_html,
    pdf_pages,
    pdf_text,
    squash,
    word_count,
)
from .fidelity import counterparts_gate, modality_gate, spelling_gate, terminology_gate
from .readability import reading_level

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre")
NUMBER = re.compile(r"(?<![\w./-])\d[\d,]*(?:\.\d+)?(?![\w/])")
DAY = re.compile(rf"\b(?:\d{{1,2}} (?:de )?(?:{MONTHS})|(?:{MONTHS}) \d{{1,2}}\b)")
LEFTOVERS = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b(?! \(0\))|\bnan\b|\bNaN\b|\?\?\?|\[@|\bUndefined\b")
DOCX_NOTE = re.compile(r'<w:footnote (?:w:id="[1-9]|[^>]*w:id="[1-9])')
# Text no brief may ship with, in any format: what `policybrief new-brief` writes for the author to
# replace, and the markers writers leave for themselves. All-capital markers match in capitals only
# ("todo" is Spanish for "all"); phrases match in any case.
PLACEHOLDERS = ("Untitled brief", "Write the bottom line", "A one-line promise of what the reader will learn",
                "What this audience decides with the brief", "Lorem ipsum", "TODO", "TBD", "FIXME", "XXX")
PLACEHOLDER = re.compile("|".join(rf"\b{re.escape(p)}\b" if p.isupper() else rf"(?i:\b{re.escape(p)}\b)" for p in PLACEHOLDERS))
ENGLISH_STOPWORDS = {"the", "and", "of", "to", "is", "that", "with", "for", "are", "was", "which", "this"}


@dataclass
class Measure:
    gate: str
    measure: str
    limit: str
    value: str
    passed: bool
    message: str = ""


@dataclass
class Report:
    brief: str
    language: str
    measures: list[Measure] = field(default_factory=list)
    records: dict = field(default_factory=dict)
    excluded: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)

    def add(self, gate: str, measure: str, limit, value, passed: bool, detail: str = "") -> None:
        message = "" if passed else f"brief '{self.brief}': {gate} / {measure}: limit {limit}, found {value}" + (f" — {detail}" if detail else "")
        self.measures.append(Measure(gate, measure, str(limit), str(value), passed, message))

    @property
    def failures(self) -> list[Measure]:
        return [m for m in self.measures if not m.passed]

    def as_dict(self, warn_only: set[str]) -> dict:
        failing = {m.gate for m in self.failures}
        status = "fail" if failing - warn_only else ("warn" if failing else "pass")
        return {"brief": self.brief, "language": self.language, "status": status, "scores": self.scores,
                "records": self.records, "excluded": self.excluded, "measures": [asdict(m) for m in self.measures]}


def named_numbers(content: Content) -> re.Pattern:
    """Strings with digits that name things rather than count them: the study's own list
    (`named_numbers` in study.yaml: 9/11, UH-1H) and its section numbers as locators print them (II.C.2, 3.2)."""
    names = sorted({*content.study.named_numbers, *content.structure.section_places()}, key=len, reverse=True)
    if not names:
        return re.compile(r"(?!)")  # matches nothing
    # Whole tokens only: the section "2.1" must not swallow the start of "2.15" or the end of "12.1".
    return re.compile(r"(?<![\w./-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w/]|[.,]\d)")


def numbers(text: str, named: re.Pattern) -> list[tuple[Decimal, str]]:
    """Numbers a reader sees, with some context; named things (9/11, UH-1H) and days of the month are not numbers."""
    text = DAY.sub(" ", named.sub(" ", text))
    found = []
    for match in NUMBER.finditer(text):
        raw = match.group().rstrip(",.")
        try:
            found.append((Decimal(raw.replace(",", "")), text[max(0, match.start() - 30): match.end() + 30].replace("\n", " ")))
        except ArithmeticError:
            continue
    return found


def english_layout_strings(templates: Path, lang: str) -> list[str]:
    """Layout strings whose translation differs from the English: they must not appear in a brief in `lang`."""
    from babel.messages.pofile import read_po

    catalogue = read_po(catalogue_path(templates, lang).open("rb"))
    strings = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english and len(english) > 5 and " " in english and english not in translations:
                strings.append(english)
    return strings


def catalogue_gaps(templates: Path, lang: str) -> list[str]:
    from babel.messages.pofile import read_po

    catalogue = read_po(catalogue_path(templates, lang).open("rb"))
    gaps = []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms) or (isinstance(message.id, tuple) and len(forms) != catalogue.num_plurals):
            gaps.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return gaps


@dataclass
class Built:
    """A finished brief as the gates see it: its spec, content, build record and extracted texts."""

    spec_file: SpecFile
    content: Content
    record: dict
    files: dict[str, Path]
    templates: Path
    thesis_years: set[int]
    html: BriefHtml
    prose: str
    texts: dict[str, str]
    named: re.Pattern

    @property
    def spec(self):
        return self.spec_file.spec

    @property
    def lang(self) -> str:
        return self.spec.language

    @property
    def selected(self) -> dict:
        return self.record["selected"]


def length_gate(report: Report, b: Built) -> None:
    pages = pdf_pages(b.files["pdf"])
    words = word_count(b.texts["pdf"])
    report.scores.update(pages=pages, words=words)
    report.add("length", "pdf pages", f"<= {b.spec.max_pages}", pages, pages <= b.spec.max_pages)
    report.add("length", "words", f"<= {b.spec.words.max}", words, words <= b.spec.words.max)


def reading_level_gate(report: Report, b: Built) -> None:
    rl = b.spec.reading_level
    level = reading_level(b.prose, rl.index)
    report.scores.update(reading_level=level, reading_index=rl.index, reading_target=rl.target)
    low, high = rl.target - rl.tolerance, rl.target + rl.tolerance
    report.add("reading level", rl.index, f"{low:g}–{high:g}", level, low <= level <= high)


def structure_gate(report: Report, b: Built) -> None:
    parser = b.html
    report.add("structure", "first content block", "bottom-line", parser.first_section, parser.first_section == "bottom-line")
    for name in b.spec.sections:
        body = squash("".join(parser.sections.get(SECTION_IDS[name], [])))
        report.add("structure", f"section '{name}'", "present and not empty", f"{len(body)} characters", len(body) >= 20,
                   "the spec lists it but the brief does not show it")
    blank = sum(1 for a in parser.actors if not a.strip()) + sum(1 for a in parser.actions if not a.strip())
    if "recommendations" in b.spec.sections:
        report.add("structure", "recommendations with actor and action", "all", f"{len(parser.actions) - blank} of {len(parser.actions)}",
                   blank == 0 and len(parser.actions) > 0)
    evidence = b.content.study.evidence_date.get(b.lang)
    for fmt, text in b.texts.items():
        missing = [label for label, needle in (("evidence date", evidence), ("thesis citation", b.content.study.handle_url)) if needle not in text]
        report.add("structure", f"evidence date and citation in {fmt}", "present", ", ".join(missing) or "present", not missing)
        leftovers = sorted(set(LEFTOVERS.findall(text)))
        report.add("structure", f"leftover markers in {fmt}", "none", ", ".join(leftovers) or "none", not leftovers)


def placeholder_gate(report: Report, b: Built) -> None:
    """Scaffold text and to-do markers never ship."""
    for fmt, text in b.texts.items():
        found = sorted({m.group() for m in PLACEHOLDER.finditer(text)})
        report.add("placeholders", f"placeholder text in {fmt}", "none", ", ".join(found) or "none", not found,
                   "replace the scaffold text in the brief spec (or the data) before publishing")


def fidelity_gate(report: Report, b: Built) -> None:
    """Every number in the prose traces to a figure (or is a year the thesis mentions)."""
    allowed = {f.number for f in b.content.figures}
    untraced = [(n, ctx) for n, ctx in numbers(b.prose, b.named) if n not in allowed and not (n == int(n) and int(n) in b.thesis_years)]
    report.add("fidelity", "numbers traced to data", "all", f"{len(untraced)} untraced", not untraced,
               "; ".join(f"{n} in “…{squash(ctx)}…”" for n, ctx in untraced[:5]))
    selected = [*b.selected["findings"], *b.selected["recommendations"], *b.selected["figures"]]
    missing_ids = [r for r in selected if r not in b.html.records]
    report.add("fidelity", "selected records carry their id", "all", f"{len(selected) - len(missing_ids)} of {len(selected)}",
               not missing_ids, ", ".join(missing_ids))


def cross_format_gate(report: Report, b: Built) -> None:
    """The same records, numbers and notes in every format."""
    lang, content = b.lang, b.content
    headlines = {f.id: f.headline.get(lang) or f.headline.en for f in content.findings if f.id in b.selected["findings"]}
    headlines |= {r.id: r.headline.get(lang) or r.headline.en for r in content.recommendations if r.id in b.selected["recommendations"]}
    for fmt, text in b.texts.items():
        absent = [rid for rid, headline in headlines.items() if squash(headline) not in text]
        report.add("cross-format", f"records in {fmt}", f"all {len(headlines)}", f"{len(headlines) - len(absent)}", not absent, ", ".join(absent))
    allowed = {f.number for f in content.figures}
    printed = {n for n, _c in numbers(b.prose, b.named) if n in allowed}
    for fmt in ("pdf", "docx"):
        lost = sorted(printed - {n for n, _c in numbers(b.texts[fmt], b.named)})
        report.add("cross-format", f"figures in {fmt}", f"all {len(printed)} of the HTML", f"{len(printed) - len(lost)}", not lost,
                   "missing " + ", ".join(map(str, lost)) if lost else "")
    notes = [squash("".join(n)).rstrip(" ↩") for n in b.html.notes]
    docx_notes = len(DOCX_NOTE.findall(docx_part(b.files["docx"], "word/footnotes.xml")))
    report.add("cross-format", "notes in docx", b.record["notes"], docx_notes, docx_notes == b.record["notes"] == len(notes))
    for fmt in ("pdf", "docx"):
        lost = [i + 1 for i, note in enumerate(notes) if note[:45] not in b.texts[fmt]]
        report.add("cross-format", f"notes in {fmt}", f"all {len(notes)}", f"{len(notes) - len(lost)}", not lost,
                   "missing notes " + ", ".join(map(str, lost)) if lost else "")


def language_gate(report: Report, b: Built) -> None:
    """A brief not in English has no English layout string, record or run of English prose."""
    if b.lang == "en":
        return
    english = english_layout_strings(b.templates, b.lang)
    for fmt, text in b.texts.items():
        found = [s for s in english if s in text]
        report.add("language", f"untranslated layout strings in {fmt}", "none", ", ".join(found) or "none", not found)
    tokens = re.findall(r"[a-záéíóúñü]+", b.prose.lower())
    share = round(sum(t in ENGLISH_STOPWORDS for t in tokens) / max(1, len(tokens)), 3)
    report.add("language", "share of English function words", "< 0.02", share, share < 0.02, "English text in a non-English brief")
    english_records = [
        r.id for r in (*b.content.findings, *b.content.recommendations)
        if r.id in b.selected["findings"] + b.selected["recommendations"]
        and any(_looks_english(text) for text in _record_texts(r, b.lang))
    ]
    report.add("language", "records left in English", "none", ", ".join(english_records) or "none", not english_records)
    gaps = catalogue_gaps(b.templates, b.lang)
    report.add("language", "catalogue entries translated", "all", f"{len(gaps)} missing", not gaps, ", ".join(gaps[:5]))


def accessibility_gate(report: Report, b: Built) -> None:
    """What WeasyPrint and pandoc claim, verified on the files."""
    from .accessibility import docx_checks, html_checks, pdf_checks

    for fmt, checks in (("pdf", pdf_checks(b.files["pdf"], b.lang)), ("docx", docx_checks(b.files["docx"], b.lang)),
                        ("html", html_checks(b.files["html"], b.lang))):
        for measure, passed, detail in checks:
            report.add("accessibility", f"{fmt}: {measure}", "yes", "yes" if passed else "no", passed, detail)


def selection_gate(report: Report, b: Built) -> None:
    for kind, section in (("findings", "findings"), ("recommendations", "recommendations"), ("figures", "key_figures")):
        if section in b.spec.sections:
            count = len(b.selected[kind])
            report.add("selection", f"{kind} selected", "> 0", count, count > 0)


GATES = (length_gate, reading_level_gate, structure_gate, placeholder_gate, fidelity_gate, cross_format_gate, language_gate,
         accessibility_gate, selection_gate, modality_gate, spelling_gate, terminology_gate, counterparts_gate)


def check_brief(spec_file: SpecFile, content: Content, record: dict, files: dict[str, Path], templates: Path, thesis_years: set[int],
                html: BriefHtml | None = None) -> Report:
    """Every gate on one brief's finished files; writes nothing. `html` is the web page already parsed
    (the render job parses it once for the gates and the fact-check sheet)."""
    spec = spec_file.spec
    parser = html or parse_brief_html(files["html"])
    texts = {"pdf": squash(pdf_text(files["pdf"])), "docx": squash(docx_text(files["docx"])), "html": squash("".join(parser.full))}
    built = Built(spec_file, content, record, files, templates, thesis_years, parser, squash("".join(parser.prose)), texts,
                  named_numbers(content))
    report = Report(spec.id, spec.language, records=record["selected"], excluded=record["excluded"])
    for gate in GATES:
        gate(report, built)
    return report


def _record_texts(record, lang: str) -> list[str]:
    fields = ("headline", "statement") if hasattr(record, "statement") else ("headline", "action")
    return [getattr(record, name).get(lang) or "" for name in fields]


def _looks_english(text: str) -> bool:
    """More than one word in eight an English function word: no Spanish sentence looks like that."""
    tokens = re.findall(r"[a-záéíóúñü]+", text.lower())
    return bool(tokens) and sum(t in ENGLISH_STOPWORDS for t in tokens) / len(tokens) > 0.125


def thesis_years(source: Path) -> set[int]:
    return {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", Path(source).read_text(encoding="utf-8"))}
