"""The study's chart: military cooperation against economic interdependence and common threat
across the four junctures. Vector (SVG) for PDF/HTML, raster (PNG) for DOCX, byte-identical runs."""

from __future__ import annotations

import gettext
from pathlib import Path

from policybrief.content.loading import Content, load_content

from .brand import Brand, load_brand
from .i18n import translations

SERIES = (
    ("military_cooperation", "o", "-"),
    ("economic_interdependence", "s", "--"),
    ("common_threat", "^", ":"),
)


def series_labels(tr: gettext.NullTranslations) -> dict[str, str]:
    return {
        "military_cooperation": tr.gettext("Military cooperation"),
        "economic_interdependence": tr.gettext("Economic interdependence"),
        "common_threat": tr.gettext("Common threat"),
    }


def alt_text(content: Content, lang: str, tr: gettext.NullTranslations) -> str:
    """A text alternative that states the data, not just the topic."""
    labels = series_labels(tr)
    scale = content.junctures.scale
    parts = []
    for j in content.junctures.junctures:
        values = ", ".join(
            f"{labels[key].lower()} {scale[getattr(j, key)].get(lang)} ({getattr(j, key)}/4)" for key, _m, _s in SERIES
        )
        parts.append(f"{j.name.get(lang)} ({j.years.replace('-', '–')}): {values}")
    return tr.gettext("Line chart on a 0–4 scale.") + " " + "; ".join(parts) + "."


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
    x = list(range(len(junctures)))
    labels = series_labels(tr)
    fig, ax = plt.subplots(figsize=(6.8, 2.35), dpi=100)
    for (key, marker, style), colour in zip(SERIES, colours.series, strict=False):
        y = [getattr(j, key) for j in junctures]
        ax.plot(x, y, marker=marker, linestyle=style, color=colour, linewidth=2.2 if key == "military_cooperation" else 1.6,
                markersize=7, label=labels[key], zorder=3 if key == "military_cooperation" else 2)
        # Direct labels at the line ends, so the chart does not depend on colour or the legend alone.
        ax.annotate(labels[key], (x[-1], y[-1]), xytext=(8, {"military_cooperation": -4, "economic_interdependence": 6, "common_threat": -12}[key]),
                    textcoords="offset points", color=colour, fontsize=8.5, va="center", fontweight="semibold")
    scale = content.junctures.scale
    ax.set_yticks(range(5), [scale[i].get(lang) for i in range(5)])
    ax.set_xticks(x, [f"{j.short.get(lang)}\n{j.years.replace('-', '–')}" for j in junctures])
    ax.set_ylim(-0.3, 4.4)
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
    brand = load_brand(templates_dir)
    for code in lang:
        folder = Path(out) / code
        draw(content, brand, templates_dir, code, translations(templates_dir, code), folder / "cooperation.svg", folder / "cooperation.png")
    print(f"ok: charts for {', '.join(lang)} in {out}")
    return 0
