"""Studies shaped unlike the shipped thesis. The fixture study (tests/fixtures/valdera-2021: six
chapters numbered 1-6 with numbered sections, no hypotheses, two juncture dimensions of its own,
a civilian author, its own actors and figures) loads, verifies, selects and renders, and the
pieces that once assumed the shipped thesis read the study's own data."""

from __future__ import annotations

import shutil
from decimal import Decimal
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policybrief.content.loading import load_content
from policybrief.content.models import Locator, place
from policybrief.content.verify import verify
from policybrief.core.problems import InputError
from policybrief.qa.gates import named_numbers, numbers
from policybrief.render.charts import alt_text, label_offsets
from policybrief.render.citations import Notes
from policybrief.render.context import build_context, citation_plan
from policybrief.render.i18n import locator_label, translations
from policybrief.render.templating import environment, render
from policybrief.spec.selection import select
from policybrief.spec.specs import load_spec

from ..conftest import DATA, ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "valdera-2021"
TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def fixture_content():
    return load_content(FIXTURE / "data")


def test_fixture_study_loads_and_every_anchor_verifies(fixture_content):
    content = fixture_content
    assert [c.id for c in content.structure.chapters] == ["1", "2", "3", "4", "5", "6"]
    assert not (FIXTURE / "data" / "hypotheses.yaml").exists() and content.hypotheses == []
    assert content.study.author.rank is None and content.study.definition_of_cooperation is None
    assert [d.id for d in content.junctures.dimensions] == ["drought_pressure", "joint_governance"]
    assert set(content.vocabulary.actors).isdisjoint(load_content(DATA).vocabulary.actors)
    assert verify(content, FIXTURE / "source.md") == []


def test_hypotheses_are_optional_but_a_brief_cannot_promise_them(data_copy):
    (data_copy / "hypotheses.yaml").unlink()
    content = load_content(data_copy)
    assert content.hypotheses == [] and content.findings
    spec = load_spec(ROOT / "briefs" / "research.yaml")
    assert "hypotheses" in spec.spec.sections
    with pytest.raises(InputError) as caught:
        select(spec, content)
    assert [p.field for p in caught.value.problems if "no hypotheses" in p.message] == ["sections"]


@pytest.mark.parametrize("chapter, section, printed", [
    ("II", "C.2", "II.C.2"), ("III", "B", "III.B"), ("IV", "-", "IV"), ("IV", None, "IV"),
    ("3", "3.2", "3.2"), ("6", "-", "6"), ("1", "2", "1.2"),
])
def test_a_locator_prints_the_studys_own_numbering(chapter, section, printed):
    assert place(chapter, section) == printed


def test_locator_label_for_numbered_sections():
    loc = Locator(chapter="3", section="3.2", pages="16-20", footnote=5)
    assert locator_label(loc, translations(TEMPLATES, "en")) == "Thesis, ch. 3.2, pp. 16–20, n. 5"
    assert locator_label(loc, translations(TEMPLATES, "es")) == "Tesis, cap. 3.2, pp. 16–20, n. 5"


def test_named_numbers_come_from_each_study(fixture_content):
    """The shipped study names 11-S (study.yaml `named_numbers`); the fixture's section 3.2 is a
    name, not a quantity, but 3.25 and 13.2 next to it still count."""
    text = "Después del 11-S (cap. II.C.2), see section 3.2: 14 towns, 3.25 wells, 13.2 days."
    shipped = [n for n, _context in numbers(text, named_numbers(load_content(DATA)))]
    fixture = [n for n, _context in numbers(text, named_numbers(fixture_content))]
    assert shipped == [Decimal("3.2"), Decimal("14"), Decimal("3.25"), Decimal("13.2")]
    assert fixture == [Decimal("11"), Decimal("14"), Decimal("3.25"), Decimal("13.2")]


def test_chart_alt_text_states_the_studys_dimensions(fixture_content):
    alt = alt_text(fixture_content, "es", translations(TEMPLATES, "es"))
    # The outcome first, each dimension by its own label, every juncture's values.
    assert alt.startswith("Gráfica de líneas en una escala de 0 a 4. Fragmentación (1990–2002): gestión conjunta Nula (0/4), "
                          "presión de la sequía Baja (1/4);")
    assert "La larga sequía (2012–2020): gestión conjunta Limitada (2/4), presión de la sequía Alta (4/4)." in alt
    assert "cooperación" not in alt.lower()


@given(st.lists(st.floats(min_value=0, max_value=150), min_size=1, max_size=6))
def test_chart_line_labels_never_collide(ends):
    offsets = label_offsets(ends, 11)
    placed = sorted(end + offset for end, offset in zip(ends, offsets, strict=True))
    assert all(high - low >= 11 - 1e-6 for low, high in pairwise(placed))


def test_chart_line_labels_with_room_stay_at_their_lines():
    assert label_offsets([30, 60, 90], 11) == [0, 0, 0]
    assert label_offsets([60, 60, 120], 11) == [-5.5, 5.5, 0]


class _Table(HTMLParser):
    """The juncture section's heading, column headers and rating cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside: list[str] = []
        self.cells: dict[str, list[str]] = {"h2": [], "caption": [], "th": [], "td": []}

    def handle_starttag(self, tag, attrs):
        self.inside.append(tag)

    def handle_endtag(self, tag):
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data):
        if self.inside and self.inside[-1] in self.cells and data.strip():
            self.cells[self.inside[-1]].append(data.strip())


def test_juncture_table_has_the_studys_columns(fixture_content):
    spec_file = load_spec(FIXTURE / "briefs" / "agencia-es.yaml")
    tr = translations(TEMPLATES, "es")
    chosen = select(spec_file, fixture_content)
    notes = Notes(["n"] * len(citation_plan(spec_file.spec, fixture_content, chosen, tr)), [])
    context = build_context(spec_file.spec, fixture_content, chosen, notes, None, tr, "web")
    context.update({"styles": "", "brand": {"name": "B", "publisher": "P", "logo": "data:,"}})
    html = render(environment(TEMPLATES, tr), "sections/junctures.html.j2", {**context, "m": _macros(tr, context)}, TEMPLATES)
    table = _Table()
    table.feed(html)
    assert table.cells["h2"] == ["Tres periodos de gestión de la cuenca"]
    assert table.cells["caption"][0] == "Presión de la sequía y gestión conjunta por periodo"
    assert table.cells["th"][:4] == ["Periodo", "Presión de la sequía", "Gestión conjunta", "Qué ocurrió"]
    assert table.cells["td"][:2] == ["Baja (1)", "Nula (0)"]


def _macros(tr, context):
    """The shared macros, bound to the brief's context (as base.html.j2 imports them)."""
    env = environment(TEMPLATES, tr)
    return env.get_template("partials/macros.html.j2").make_module(context)


def test_each_declared_dimension_needs_its_own_rating_evidence(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE / "data", data)
    path = data / "junctures.yaml"
    text = path.read_text(encoding="utf-8")
    rating = '      drought_pressure:\n        - {quote: "Drought pressure was low and joint governance was absent.", chapter: "3", section: "3.1"}\n'
    assert text.count(rating) == 1
    path.write_text(text.replace(rating, rating.replace("drought_pressure", "common_threat")), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_content(data)
    found = {(p.record, p.field): p.message for p in caught.value.problems}
    assert set(found) == {("fragmentation", "evidence.drought_pressure"), ("fragmentation", "evidence.common_threat")}
    assert "expected one of: summary, drought_pressure, joint_governance" in found[("fragmentation", "evidence.common_threat")]
