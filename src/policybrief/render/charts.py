"""The study's chart: each juncture dimension (junctures.yaml `dimensions`) as a line across the
junctures, the outcome first and heavier. Vector (SVG) for PDF/HTML, raster (PNG) for DOCX,
byte-identical runs."""

from __future__ import annotations

import gettext
from itertools import cycle
from pathlib import Path

from policybrief.content.loading import Content, load_content
from policybrief.content.models import Dimension

from .brand import Brand, brand_of
from .i18n import in_sentence, translations

# Marker and line style by position, so lines differ in more than colour (and stay apart when a
# study has more dimensions than the brand has series colours, which then repeat).
MARKERS = ("o", "s", "^", "D", "v")
STYLES = ("-", "--", ":", "-.")
LABEL_GAP_PT = 11  # the least vertical distance between two line-end labels


def alt_text(content: Content, lang: str, tr: gettext.NullTranslations) -> str:
    """A text alternative that states the data, not just the topic."""
    junctures = content.junctures
    scale = junctures.scale
    parts = []
    for j in junctures.junctures:
        values = ", ".join(
            f"{in_sentence(d.label.get(lang) or d.label.en)} {scale[j.ratings[d.id]].get(lang)} ({j.ratings[d.id]}/4)"
            for d in junctures.chart_order()
        )
        parts.append(f"{j.name.get(lang)} ({j.years.replace('-', '–')}): {values}")
    return tr.gettext("Line chart on a 0–4 scale.") + " " + "; ".join(parts) + "."


def label_offsets(ends: list[float], gap: float) -> list[float]:
    """Vertical offsets that keep the labels at the line ends at least `gap` apart (same unit as
    `ends`). Labels that would collide form a group, stacked `gap` apart and centred on the mean of
    their lines' ends; groups that then collide merge. A label with room stays at its line."""
    def span(group: list[int]) -> tuple[float, float]:
        centre = sum(ends[i] for i in group) / len(group)
        half = (len(group) - 1) * gap / 2
        return centre - half, centre + half

    groups: list[list[int]] = []
    for i in sorted(range(len(ends)), key=ends.__getitem__):
        groups.append([i])
        while len(groups) > 1 and span(groups[-1])[0] < span(groups[-2])[1] + gap:
            groups[-2:] = [groups[-2] + groups[-1]]
    offsets = [0.0] * len(ends)
    for group in groups:
        bottom, _top = span(group)
        for rank, i in enumerate(group):
            offsets[i] = bottom + rank * gap - ends[i]
    return offsets


def _series(dimensions: list[Dimension], colours: list[str]):
    return zip(dimensions, cycle(colours), cycle(MARKERS), cycle(STYLES))


def _register_fonts(templates_dir: Path, brand: Brand) -> None:
    from matplotlib import font_manager

    for font in brand.fonts.files:
        font_manager.fontManager.addfont(str(Path(templates_dir) / font.file))


def draw(content: Content, brand: Brand, templates_dir: Path, lang: str, tr: gettext.NullTranslations, svg: Path, png: Path) -> None:
    # matplotlib is imported here, not at module level: render jobs need only alt_text() (0.5 s saved each).
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _register_fonts(templates_dir, brand)
    colours = brand.colors
    plt.rcParams.update({
        "font.family": brand.fonts.body,
        "font.size": 9,
        "svg.hashsalt": "policybrief",
        "svg.fonttype": "path",
        "axes.edgecolor": colours.rule,
        "axes.labelcolor": colours.text,
        "xtick.color": colours.text,
        "ytick.color": colours.text,
    })
    junctures = content.junctures.junctures
    dimensions = content.junctures.chart_order()
    x = list(range(len(junctures)))
    fig, ax = plt.subplots(figsize=(6.8, 2.35), dpi=100)
    lines = []
    for dimension, colour, marker, style in _series(dimensions, colours.series):
        y = [j.ratings[dimension.id] for j in junctures]
        label = dimension.label.get(lang) or dimension.label.en
        ax.plot(x, y, marker=marker, linestyle=style, color=colour, linewidth=2.2 if dimension.outcome else 1.6,
                markersize=7, label=label, zorder=3 if dimension.outcome else 2)
        lines.append((label, colour, y[-1]))
    ax.set_ylim(-0.3, 4.4)
    # Direct labels at the line ends, so the chart does not depend on colour or the legend alone;
    # pushed apart where lines end at the same or close values. Points per rating step, from the
    # axes' height before tight_layout (close enough to keep the labels apart).
    points_per_unit = fig.get_figheight() * 72 * ax.get_position().height / (4.4 + 0.3)
    ends = [end * points_per_unit for _label, _colour, end in lines]
    for (label, colour, end), offset in zip(lines, label_offsets(ends, LABEL_GAP_PT), strict=True):
        ax.annotate(label, (x[-1], end), xytext=(8, offset), textcoords="offset points", color=colour,
                    fontsize=8.5, va="center", fontweight="semibold")
    scale = content.junctures.scale
    ax.set_yticks(range(5), [scale[i].get(lang) for i in range(5)])
    ax.set_xticks(x, [f"{j.short.get(lang)}\n{j.years.replace('-', '–')}" for j in junctures])
    ax.set_xlim(-0.25, len(junctures) - 1 + 1.9)
    ax.grid(axis="y", color=colours.rule, linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    fig.tight_layout(pad=0.4)
    svg.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    plt.close(fig)


def draw_charts(data: str, templates: str, lang: list[str], out: str) -> int:
    """`policybrief chart`: the study chart in each language, as SVG (PDF, HTML) and PNG (DOCX)."""
    templates_dir = Path(templates)
    content = load_content(data)
    brand = brand_of(templates_dir)
    for code in lang:
        folder = Path(out) / code
        draw(content, brand, templates_dir, code, translations(templates_dir, code), folder / "cooperation.svg", folder / "cooperation.png")
    print(f"ok: charts for {', '.join(lang)} in {out}")
    return 0
