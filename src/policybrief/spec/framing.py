"""A brief's own words are held to its records: each framing piece (title, subtitle, kicker,
bottom line, chart title and caption) names the records it summarises, and every number, year,
actor or programme it prints must be carried by one of them. Topics a spec `covers` must each get
a selected record, and framing may not promise a topic the brief does not cover."""

from __future__ import annotations

import re

from pydantic import BaseModel

from policybrief.content.loading import Content
from policybrief.core.problems import Problem

from .specs import SpecFile

# Pieces that must name what they summarise when the brief prints them.
MUST_SUMMARISE = ("title", "subtitle", "bottom_line")
NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
# Programme and institution names printed as acronyms (NAFTA, IMET, SEDENA) or as names the
# study's terminology list holds.
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]{2,}\b")


def pieces(spec) -> dict[str, str]:
    """Framing piece -> its text, for the pieces the spec sets."""
    framing = spec.framing
    found = {"title": spec.title, "subtitle": spec.subtitle, "kicker": framing.kicker, "bottom_line": framing.bottom_line}
    for name in ("chart_title", "chart_caption", "intro", "closing"):
        if getattr(framing, name):
            found[name] = getattr(framing, name)
    return found


def _texts(value, lang: str) -> list[str]:
    """Every printed text in a record (Text fields in the brief's language and English, labels)."""
    if isinstance(value, BaseModel) and isinstance(getattr(value, "en", None), str) and hasattr(value, "get"):
        return [t for t in {value.get(lang), value.en} if t]
    if isinstance(value, BaseModel):
        out = []
        for name in type(value).model_fields:
            if name not in ("evidence", "anchor", "locator"):
                out += _texts(getattr(value, name), lang)
        return out
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v, lang)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v, lang)]
    return [value] if isinstance(value, str) else []


def record_index(content: Content) -> dict[str, object]:
    index = {}
    for kind in ("findings", "recommendations", "hypotheses", "figures"):
        index.update({r.id: r for r in getattr(content, kind)})
    index.update({j.id: j for j in content.junctures.junctures})
    return index


def carried_text(records: list, content: Content, lang: str) -> str:
    """What the summarised records say, with their actors' names and figures' values."""
    parts = []
    for r in records:
        parts += _texts(r, lang)
        if hasattr(r, "actor"):
            parts += _texts(content.vocabulary.actors[r.actor], lang)
            parts += [t for p in r.partners for t in _texts(content.vocabulary.actors[p], lang)]
        if hasattr(r, "value"):
            parts += [r.value, r.period]
        for fid in getattr(r, "figures", []):
            parts += [content.figure(fid).value]
        if hasattr(r, "years"):
            parts += r.years.split("-")
    return " ".join(parts)


def _numbers(text: str) -> set[str]:
    return {m.group().rstrip(",.").replace(",", "") for m in NUMBER.finditer(text)}


def _forms(name: str) -> list[str]:
    """"North American Free Trade Agreement (NAFTA)" is carried by either form."""
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    return [match.group(1), match.group(2)] if match else [name]


def _names(text: str, content: Content, lang: str) -> list[list[str]]:
    """The names the text prints, each as the forms any of which a record may carry."""
    folded = text.casefold()
    names = [[a] for a in sorted(set(ACRONYM.findall(text)))]
    for entry in content.terminology.get(lang):
        if any(form.casefold() in folded for form in _forms(entry.preferred)):
            names.append(_forms(entry.preferred))
    for actor in content.vocabulary.actors.values():
        label = actor.get(lang) or actor.en
        if label.casefold() in folded:
            names.append([label])
    return names


def framing_problems(spec_file: SpecFile, content: Content, chosen) -> list[Problem]:
    spec, lang = spec_file.spec, spec_file.spec.language
    index = record_index(content)
    problems = []

    def add(field: str, message: str, *path) -> None:
        problems.append(Problem(spec_file.file, spec_file.line_of(*path) if path else spec_file.line_of(*field.split(".")),
                                spec.id, field, message))

    summarises = spec.framing.summarises
    for piece, ids in summarises.items():
        unknown = [i for i in ids if i not in index]
        if unknown:
            add(f"framing.summarises.{piece}", f"unknown record(s) {', '.join(unknown)}", "framing", "summarises", piece)
    texts = pieces(spec)
    if "chart" in spec.sections:
        texts.setdefault("chart_title", "")
    for piece, text in texts.items():
        if piece in MUST_SUMMARISE and not summarises.get(piece):
            add(f"framing.summarises.{piece}", f"the {piece.replace('_', ' ')} must name the records it summarises", "framing")
            continue
        records = [index[i] for i in summarises.get(piece, []) if i in index]
        carried = carried_text(records, content, lang)
        stray_numbers = sorted(_numbers(text) - _numbers(carried))
        if stray_numbers:
            add(f"framing.{piece}", f"prints {', '.join(stray_numbers)}, which none of the records it summarises "
                f"({', '.join(summarises.get(piece, [])) or 'none'}) carries", *(("framing", piece) if piece not in ("title", "subtitle") else (piece,)))
        stray_names = sorted({forms[0] for forms in _names(text, content, lang)
                              if not any(f.casefold() in carried.casefold() for f in forms)})
        if stray_names:
            add(f"framing.{piece}", f"names {', '.join(stray_names)}, which none of the records it summarises "
                f"({', '.join(summarises.get(piece, [])) or 'none'}) carries", *(("framing", piece) if piece not in ("title", "subtitle") else (piece,)))
    return problems + coverage_problems(spec_file, content, chosen)


def _tags_of(chosen) -> set[str]:
    tags = {t for f in chosen.findings for t in f.tags}
    return tags | {t for fig in chosen.figures for t in fig.tag_list}


def coverage_problems(spec_file: SpecFile, content: Content, chosen) -> list[Problem]:
    """Each declared topic gets a selected record; framing promises no topic the brief does not cover."""
    spec, lang = spec_file.spec, spec_file.spec.language
    problems = []
    printed = _tags_of(chosen)
    for tag in spec.covers:
        if tag not in content.vocabulary.tags:
            problems.append(Problem(spec_file.file, spec_file.line_of("covers"), spec.id, "covers",
                                    f"unknown topic '{tag}'; topics are the tags of the vocabulary: {', '.join(content.vocabulary.tags)}"))
        elif tag not in printed:
            problems.append(Problem(spec_file.file, spec_file.line_of("covers"), spec.id, "covers",
                                    f"the brief promises to cover '{tag}' but selects no record with that tag"))
    framing = " ".join(t for name, t in pieces(spec).items() if name in ("title", "subtitle", "bottom_line")).casefold()
    for tag, label in content.vocabulary.tags.items():
        words = (label.get(lang) or label.en).casefold()
        if tag not in spec.covers and re.search(rf"\b{re.escape(words)}\b", framing):
            problems.append(Problem(spec_file.file, spec_file.line_of("covers"), spec.id, "covers",
                                    f"the title, subtitle or bottom line promises '{words}' (topic '{tag}'), which is not in covers"))
    return problems
