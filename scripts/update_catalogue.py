"""Merge templates/locale/messages.pot into a language's messages.po, keeping existing translations.

Usage: python scripts/update_catalogue.py es   (run `make i18n` to extract first)
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]


def main(lang: str) -> None:
    pot = ROOT / "templates/locale/messages.pot"
    po = ROOT / f"templates/locale/{lang}/LC_MESSAGES/messages.po"
    template = read_po(pot.open("rb"))
    if po.exists():
        catalogue = read_po(po.open("rb"), locale=lang)
    else:
        from babel.messages.catalog import Catalog

        catalogue = Catalog(locale=lang, project="policybrief")
    catalogue.update(template, no_fuzzy_matching=True)
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as handle:
        write_po(handle, catalogue, omit_header=False, sort_output=True, no_location=True, ignore_obsolete=True)
    missing = [m.id for m in catalogue if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    print(f"{po}: {len(catalogue)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main(sys.argv[1])
