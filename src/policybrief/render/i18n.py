"""Layout strings and locale-aware formatting (Babel catalogues in templates/locale/)."""

from __future__ import annotations

import gettext
import io
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel.dates import format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALES = {"en": "en_US", "es": "es_MX"}
CSL_LOCALES = {"en": "en-US", "es": "es-MX"}


def catalogue_path(templates_dir: Path, lang: str) -> Path:
    return Path(templates_dir) / "locale" / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def translations(templates_dir: Path, lang: str) -> gettext.NullTranslations:
    """English is the source language; other languages come from their .po catalogue, compiled in memory."""
    if lang == "en":
        return gettext.NullTranslations()
    with open(catalogue_path(templates_dir, lang), "rb") as handle:
        catalogue = read_po(handle, locale=LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(fp=buffer)


def number(value: Decimal | int | float, lang: str, grouping: bool = True) -> str:
    return format_decimal(value, locale=LOCALES[lang], group_separator=grouping)


def month_year(iso_month: str, lang: str) -> str:
    year, month = (int(part) for part in iso_month.split("-")[:2])
    return format_skeleton("yMMMM", date(year, month, 1), locale=LOCALES[lang])


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Military cooperation' -> 'military cooperation'; a
    label with other capitals ('NAFTA trade', 'Basin Council') is a name and keeps them."""
    return label[0].lower() + label[1:] if label[1:] == label[1:].lower() else label


def listing(labels: list[str], lang: str) -> str:
    """Labels as one phrase, the first capitalised as given: 'Common threat, economic
    interdependence, and military cooperation' ('…y cooperación militar' in Spanish)."""
    return format_list([labels[0], *map(in_sentence, labels[1:])], locale=LOCALES[lang])


def percent(value: Decimal, lang: str) -> str:
    return format_percent(value / 100, format="#,##0.#%", locale=LOCALES[lang])


def figure_parts(figure, lang: str, tr: gettext.NullTranslations) -> dict[str, str]:
    """A figure split for display: qualifier ('about'), value ('138.6'), unit ('million'), and all of it in one line."""
    value = figure.number
    n = int(value) if value == value.to_integral() else 2  # plural choice: non-integers take the plural
    qualifiers = {
        "": "",
        "about": tr.gettext("about"),
        "over": tr.gettext("over"),
        "fewer-than": tr.gettext("fewer than"),
        "at-least": tr.gettext("at least"),
        "almost": tr.gettext("almost"),
    }
    shown = number(value, lang, grouping=figure.unit != "year")
    units = {
        "count": "",
        "percent": "",
        "year": "",
        "miles": tr.ngettext("mile", "miles", n),
        "million": tr.gettext("million"),
        "usd-million": tr.gettext("million dollars"),
        "usd-billion": tr.gettext("billion dollars"),
        "years": tr.ngettext("year", "years", n),
        "days": tr.ngettext("day", "days", n),
    }
    if figure.unit == "percent":
        shown = percent(value, lang)
    elif figure.unit in ("usd-million", "usd-billion") and lang == "en":
        shown = "$" + shown
        units[figure.unit] = "million" if figure.unit == "usd-million" else "billion"
    qualifier, unit = qualifiers[figure.qualifier], units[figure.unit]
    text = " ".join(part for part in (qualifier, shown, unit) if part)
    return {"qualifier": qualifier, "value": shown, "unit": unit, "text": text}


def locator_label(locator, tr: gettext.NullTranslations, part_pages: str | None = None) -> str:
    """Where in the thesis, localised: 'Thesis, ch. II.C.2, p. 25, n. 86' ('ch. 3.2' when the study
    numbers its sections with the chapter's number). When the locator's pages are its whole
    section's (or chapter's) range (`part_pages`), they are said to be that:
    'Thesis, ch. II.C.2 (section, pp. 24–28)' — not passed off as the pages of the claim."""
    thesis, chapter = tr.gettext("Thesis"), tr.gettext("ch.")
    first, _, last = locator.pages.partition("-")
    pages = (tr.gettext("pp.") + f" {first}–{last}") if last else (tr.gettext("p.") + f" {first}")
    if last and locator.pages == part_pages:
        section = tr.gettext("section")
        label = f"{thesis}, {chapter} {locator.place} ({section}, {pages})"
    else:
        label = f"{thesis}, {chapter} {locator.place}, {pages}"
    if locator.footnote:
        note = tr.gettext("n.")
        label += f", {note} {locator.footnote}"
    return label
