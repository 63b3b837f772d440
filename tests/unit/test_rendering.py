"""Template context, escaping, citations, localisation and the renderers' safety rails."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from docx import Document

from policybrief.content.figure import Figure
from policybrief.content.loading import load_content
from policybrief.content.models import Locator
from policybrief.core.problems import InputError
from policybrief.render.citations import Cite, Notes, inline_html, resolve
from policybrief.render.context import build_context, citation_plan
from policybrief.render.i18n import catalogue_path, figure_parts, locator_label, translations
from policybrief.render.templating import css_string, environment, render
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT

TEMPLATES = ROOT / "templates"
CONTENT = load_content(DATA)


def _figure(value: str, unit: str, qualifier: str = "") -> Figure:
    base = CONTENT.figure("border-length").model_dump()
    return Figure.model_validate({**base, "value": value, "unit": unit, "qualifier": qualifier})


@pytest.mark.parametrize("value, unit, qualifier, lang, expected", [
    ("1954", "miles", "", "en", "1,954 miles"),
    ("1954", "miles", "", "es", "1,954 millas"),
    ("1", "days", "", "en", "1 day"),
    ("138.6", "million", "about", "en", "about 138.6 million"),
    ("138.6", "million", "about", "es", "alrededor de 138.6 millones"),
    ("13.3", "percent", "", "en", "13.3%"),
    ("9", "usd-million", "", "en", "$9 million"),
    ("1.4", "usd-billion", "", "es", "1.4 mil millones de dólares"),
    ("1000", "count", "fewer-than", "en", "fewer than 1,000"),
    ("1955", "year", "", "en", "1955"),
    ("30", "years", "over", "es", "más de 30 años"),
])
def test_figure_formatting(value, unit, qualifier, lang, expected):
    assert figure_parts(_figure(value, unit, qualifier), lang, translations(TEMPLATES, lang))["text"] == expected


def test_locator_label_is_localised():
    loc = Locator(chapter="II", section="C.2", pages="24-28", footnote=86)
    assert locator_label(loc, translations(TEMPLATES, "en")) == "Thesis, ch. II.C.2, pp. 24–28, n. 86"
    assert locator_label(loc, translations(TEMPLATES, "es")) == "Tesis, cap. II.C.2, pp. 24–28, n. 86"


def test_spanish_catalogue_is_complete():
    from babel.messages.pofile import read_po

    pot = read_po((TEMPLATES / "locale" / "messages.pot").open("rb"))
    catalogue = read_po(catalogue_path(TEMPLATES, "es").open("rb"), locale="es_MX")
    for message in pot:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        assert translated is not None, f"missing from es catalogue: {message.id!r}"
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        assert len(strings) == (catalogue.num_plurals if isinstance(message.id, tuple) else 1)
        assert all(strings), f"untranslated (or a plural form is empty): {message.id!r}"
        assert not translated.fuzzy


def test_inline_html_escapes_text_and_drops_unsafe_links():
    nodes = [
        {"t": "Str", "c": "<script>alert(1)</script>"},
        {"t": "Space"},
        {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "click"}], ["javascript:alert(1)", ""]]},
        {"t": "RawInline", "c": ["html", "<img src=x onerror=alert(1)>"]},
        {"t": "Emph", "c": [{"t": "Str", "c": "Title"}]},
    ]
    out = inline_html(nodes)
    assert "<script>" not in out and "javascript:" not in out and "onerror" not in out
    assert "&lt;script&gt;" in out and "<em>Title</em>" in out


def test_citeproc_notes_follow_order_and_shorten_repeats():
    csl = TEMPLATES / "csl" / "chicago-fullnote-bibliography.csl"
    notes = resolve([[Cite("paz1997", "5")], [Cite("paz1997", "6", prefix="Thesis, ch. II.A, citing")]], DATA / "references.json", csl, "en", False)
    assert "Pennsylvania State University Press" in notes.notes[0]
    assert notes.notes[1].startswith("Thesis, ch. II.A, citing Paz") and "University Press" not in notes.notes[1]
    assert notes.bibliography == []


def _context(brief: str, target: str, content=CONTENT):
    spec = load_spec(ROOT / "briefs" / f"{brief}.yaml")
    chosen = select(spec, content)
    tr = translations(TEMPLATES, spec.spec.language)
    plan = citation_plan(spec.spec, content, chosen, tr)
    notes = Notes([f"note {i}" for i in range(len(plan))], [])
    return spec.spec, build_context(spec.spec, content, chosen, notes, None, tr, target)


def test_context_is_pure_and_numbers_notes_in_reading_order():
    _spec, first = _context("congress", "print")
    _spec, second = _context("congress", "print")
    assert first == second
    assert first["figures_note"] == 1  # key figures come first in the congress brief
    assert [f["note"] for f in first["findings"]] == list(range(2, 2 + len(first["findings"])))
    assert first["brief"]["sections"][0] == "bottom_line"


def test_hostile_record_text_comes_out_as_text():
    hostile = '<script>alert(1)</script> <img src="file:///etc/passwd"> {{ 7*7 }} {% raw %} [x](file:///etc/passwd) ::: {.x}'
    finding = CONTENT.findings[0]
    content = load_content(DATA)
    content.findings[0] = finding.model_copy(update={"headline": finding.headline.model_copy(update={"en": hostile})})
    _spec, context = _context("congress", "web", content)
    context.update({"styles": "", "brand": {"name": "B", "publisher": "P", "logo": "data:image/svg+xml;base64,"}})
    tr = translations(TEMPLATES, "en")
    html = render(environment(TEMPLATES, tr), "brief.html.j2", context, TEMPLATES)
    assert "<script>alert(1)</script>" not in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% raw %}" in html  # template syntax in data is never evaluated


def test_undefined_template_variable_names_the_template_line(tmp_path):
    (tmp_path / "broken.html.j2").write_text("line one\n{{ no_such_variable }}\n", encoding="utf-8")
    env = environment(tmp_path, translations(TEMPLATES, "en"))
    with pytest.raises(InputError) as caught:
        render(env, "broken.html.j2", {}, tmp_path)
    message = str(caught.value)
    assert "broken.html.j2:2" in message and "no_such_variable" in message


def test_template_syntax_error_names_the_line(tmp_path):
    (tmp_path / "broken.html.j2").write_text("ok\nok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render(environment(tmp_path, translations(TEMPLATES, "en")), "broken.html.j2", {}, tmp_path)
    assert "broken.html.j2:3" in str(caught.value)


def test_sandbox_blocks_attribute_escapes(tmp_path):
    (tmp_path / "evil.html.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    from jinja2.exceptions import SecurityError

    with pytest.raises((SecurityError, InputError)):
        render(environment(tmp_path, translations(TEMPLATES, "en")), "evil.html.j2", {}, tmp_path)


def test_css_string_cannot_break_out():
    assert css_string('a"b</style>') == '"a\\000022b\\00003c/style\\00003e"'


def test_reference_docx_carries_the_brand(tmp_path):
    from policybrief.render.brand_file import load_brand
    from policybrief.render.reference_docx import build_reference_docx

    out = tmp_path / "ref.docx"
    build_reference_docx(load_brand(TEMPLATES), out)
    doc = Document(str(out))
    assert doc.styles["Heading 1"].font.color.rgb == doc.styles["Title"].font.color.rgb
    assert str(doc.styles["Title"].font.color.rgb) == load_brand(TEMPLATES).colors.primary.lstrip("#").upper()
    assert doc.styles["Normal"].font.name == "Source Sans Pro"
    for custom in ("Bottom Line", "Recommendation Meta", "Caveat", "Kicker", "Audience"):
        assert custom in [s.name for s in doc.styles]
    first = out.read_bytes()
    build_reference_docx(load_brand(TEMPLATES), out)
    assert out.read_bytes() == first
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_figures_keep_exact_decimals():
    assert CONTENT.figure("nafta-rules-of-origin").number == Decimal("62.5")


def test_reading_level_with_dictionary_subset_equals_textstat_with_the_whole_dictionary():
    import textstat

    from policybrief.qa.gates import reading_level

    content = load_content(DATA)
    text = " ".join(f.statement.en + " " + f.explanation.en for f in content.findings) + " Don't re-read the U.S.-Mexico 'bout xyzzyq words."
    textstat.set_lang("en_US")
    full = round(textstat.textstat.flesch_kincaid_grade(text + " "), 1)
    assert reading_level(text, "flesch-kincaid-grade") == full
    assert 8 < full < 20
