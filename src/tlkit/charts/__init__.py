"""Charts drawn in the kernel with matplotlib (PNG or SVG, nothing fetched by the page), with a
colour-blind-safe palette and a text equivalent beside every chart."""

from tlkit.charts.render import PALETTE, chart_html, new_figure, to_png, to_svg

__all__ = ["PALETTE", "chart_html", "new_figure", "to_png", "to_svg"]
