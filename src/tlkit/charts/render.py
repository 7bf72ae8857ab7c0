"""Draw, export and show a chart the same way everywhere in the kit.

Every chart is a matplotlib figure drawn without a display, so it renders the
same in JupyterLab, in Voila and in a test, and a page never loads a charting script from
outside. `chart_html` shows it as an image whose alt text and the table below it carry the same
figures, so a screen-reader user or a printed page loses nothing.
"""

from __future__ import annotations

import base64
import io
from html import escape
from typing import Sequence

# Figures are made from matplotlib.figure.Figure, never pyplot: no display backend, no global
# figure list to leak memory in a long-running kernel.
from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision
# deficiency. Charts also label values in text, so colour is never the only carrier.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")


def new_figure(width: float = 7.0, height: float = 4.0) -> tuple[Figure, object]:
    """A figure and its axes, in the kit's type size and palette."""
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    ax.set_prop_cycle(color=PALETTE)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return fig, ax


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def to_svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def chart_html(fig: Figure, alt: str, table: Sequence[Sequence[object]],
               header: Sequence[str], caption: str = "") -> str:
    """The chart as an <img> with `alt`, followed by a table of the same figures.

    `table` rows are shown as text in order under `header`; the caption names the chart.
    """
    data = base64.b64encode(to_png(fig)).decode("ascii")
    head = "".join(f"<th scope='col' style='padding:4px 8px;text-align:left'>{escape(str(h))}</th>"
                   for h in header)
    rows = "".join("<tr>" + "".join(f"<td style='padding:4px 8px'>{escape(str(cell))}</td>"
                                    for cell in row) + "</tr>" for row in table)
    title = f"<figcaption><b>{escape(caption)}</b></figcaption>" if caption else ""
    return (f"<figure class='tlkit-chart' style='margin:0'>{title}"
            f"<img src='data:image/png;base64,{data}' alt='{escape(alt, quote=True)}' "
            "style='max-width:100%;height:auto'>"
            "<details><summary>The figures in this chart, as a table</summary>"
            f"<table class='tlkit-chart-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></details></figure>")
