"""Gates on what the words claim and how: modality (no firmer verb than the records allow), the
audience's spelling (U.S. English, with a maintained dictionary and the study's word list), official
names (no known wrong variant), and records a brief in another language leaves out."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from policybrief.spec.framing import record_index

# How firmly a text holds a claim, by the verbs it uses: 3 finds, 2 argues, 1 suggests.
MODALITY_RANK = {"finds": 3, "argues": 2, "suggests": 1}
LEXICON = {
    "en": {
        3: ("shows", "show", "showed", "shown", "proves", "proved", "proven", "demonstrates", "demonstrated",
            "establishes", "established", "confirms", "confirmed", "finds", "found"),
        2: ("argues", "argued", "contends", "contended", "holds", "maintains", "concludes", "concluded"),
        1: ("suggests", "suggested", "may", "might", "could", "seems", "appears", "likely", "perhaps", "possibly", "indicates"),
    },
    "es": {
        3: ("muestra", "muestran", "mostró", "demuestra", "demuestran", "demostró", "prueba", "comprueba", "confirma",
            "establece", "halla", "encuentra", "constata"),
        2: ("sostiene", "sostienen", "argumenta", "argumentan", "afirma", "plantea", "concluye"),
        1: ("sugiere", "sugieren", "podría", "podrían", "puede", "pueden", "parece", "parecen", "probablemente", "quizá", "indica"),
    },
}
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]*")


def firmest(text: str, lang: str) -> tuple[int, str | None]:
    """The firmest modal verb in a text: (rank, word), (0, None) when it has none."""
    words = {w.lower() for w in WORD.findall(text)}
    for rank in (3, 2, 1):
        hit = next((w for w in LEXICON.get(lang, {}).get(rank, ()) if w in words), None)
        if hit:
            return rank, hit
    return 0, None


def modality_gate(report, b) -> None:
    """A finding's printed words, and framing that summarises findings, no firmer than the thesis holds them."""
    index = record_index(b.content)
    texts = b.html.field_texts()
    too_firm = []
    for (record, field), text in texts.items():
        if field == "editors_note":
            continue
        if record is None:
            ids = b.spec.framing.summarises.get(field, [])
            modalities = [index[i].modality for i in ids if getattr(index.get(i), "modality", None)]
            allowed = max((MODALITY_RANK[m] for m in modalities), default=MODALITY_RANK["argues"])
        else:
            modality = getattr(index.get(record), "modality", None)
            if modality is None:
                continue
            allowed = MODALITY_RANK[modality]
        rank, word = firmest(text, b.lang)
        if rank > allowed:
            too_firm.append(f"'{word}' in {record or 'framing'} {field} (the thesis {next(k for k, v in MODALITY_RANK.items() if v == allowed)})")
    report.add("modality", "verbs no firmer than the records", "none firmer", f"{len(too_firm)} firmer", not too_firm,
               "; ".join(too_firm[:6]))


@lru_cache(maxsize=4)
def _dictionary(tag: str):
    import enchant

    return enchant.Dict(tag)


def word_list(data_dir: Path) -> set[str]:
    """The study's own words (names, acronyms): data/wordlist.txt, one per line, # for comments."""
    path = Path(data_dir) / "wordlist.txt"
    if not path.is_file():
        return set()
    return {line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()} - {""}


def misspelled(text: str, tag: str, known: set[str]) -> list[tuple[str, str | None]]:
    """Words the dictionary (e.g. en_US) does not know and the word list does not hold, with a suggestion."""
    dictionary = _dictionary(tag)
    found = {}
    for token in WORD.findall(text.replace("’", "'")):
        for word in token.strip("'").split("'s")[0].split("-"):
            if len(word) < 2 or word in known or word.lower() in known or word in found:
                continue
            if not dictionary.check(word):
                suggestions = dictionary.suggest(word)
                found[word] = suggestions[0] if suggestions else None
    return sorted(found.items())


SPELLING = {"en": "en_US"}  # the audience's dictionary per brief language


def spelling_gate(report, b) -> None:
    """U.S. spelling for U.S. readers: every word of the prose in the en_US dictionary or the study's word list."""
    tag = SPELLING.get(b.lang)
    if tag is None:
        return
    try:
        unknown = misspelled(b.prose, tag, word_list(b.content.data_dir))
    except Exception as exc:  # enchant raises its own errors when the library or dictionary is missing
        report.add("spelling", f"{tag} dictionary", "installed", "missing", False,
                   f"{exc}; install Debian's libenchant-2-2 and hunspell-en-us (make does, as root)")
        return
    report.add("spelling", f"words not in {tag} or the word list", "none", f"{len(unknown)}", not unknown,
               ", ".join(f"{w} (→ {s})" if s else w for w, s in unknown[:12]))


def terminology_gate(report, b) -> None:
    """No known wrong variant of an official name (data/terminology.yaml) in any format."""
    terms = b.content.terminology.get(b.lang)
    for fmt, text in b.texts.items():
        folded = text.casefold()
        wrong = [f"'{w}' (use '{t.preferred}')" for t in terms for w in t.wrong
                 if re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", folded)]
        report.add("terminology", f"official names in {fmt}", "no wrong variant", f"{len(wrong)}", not wrong, "; ".join(wrong[:5]))


def counterparts_gate(report, b) -> None:
    """A brief in another language says which records its counterparts print and it leaves out, and why."""
    if not b.spec.counterparts:
        return
    from policybrief.spec.selection import select
    from policybrief.spec.specs import load_spec

    folder = Path(b.spec_file.file).parent
    mine = {i for ids in b.selected.values() for i in ids}
    theirs: dict[str, list[str]] = {}
    # A counterpart whose spec was removed (a withdrawn brief) prints nothing any more.
    gone = [other for other in b.spec.counterparts if not (folder / f"{other}.yaml").is_file()]
    for other in (o for o in b.spec.counterparts if o not in gone):
        chosen = select(load_spec(folder / f"{other}.yaml"), b.content)
        for kind in ("findings", "recommendations"):
            for record in getattr(chosen, kind):
                if record.id not in mine:
                    theirs.setdefault(record.id, []).append(other)
    unexplained = sorted(r for r in theirs if r not in b.spec.omits)
    listed = "; ".join(f"{r} (in {', '.join(v)}: {b.spec.omits.get(r, 'no reason given')})" for r, v in sorted(theirs.items()))
    if gone:
        listed += ("; " if listed else "") + f"counterparts no longer built: {', '.join(gone)}"
    report.add("coverage", "records the counterparts print", "all, or left out with a reason (omits)",
               f"{len(theirs)} left out, {len(unexplained)} without a reason", not unexplained, listed)
