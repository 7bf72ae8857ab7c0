"""The kit's chart helper: exports, palette, and the text equivalent beside every chart."""

from __future__ import annotations

import re

from tlkit.charts import PALETTE, chart_html, new_figure, to_png, to_svg


def _bar_chart():
    fig, ax = new_figure()
    ax.bar(["Agree", "Disagree"], [91, 9])
    return fig


def test_png_and_svg_exports_are_real_images():
    fig = _bar_chart()
    assert to_png(fig).startswith(b"\x89PNG\r\n\x1a\n")
    svg = to_svg(fig)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_bars_use_the_colour_blind_safe_palette_first():
    fig, ax = new_figure()
    bars = ax.bar(["a", "b"], [1, 2])
    face = bars[0].get_facecolor()
    assert "#%02X%02X%02X" % tuple(round(c * 255) for c in face[:3]) == PALETTE[0]


def test_chart_html_carries_alt_text_and_a_table_of_the_same_figures():
    html = chart_html(_bar_chart(), alt="91% agree, 9% disagree",
                      table=[("Agree", "91%"), ("Disagree", "9%")], header=("Answer", "Share"),
                      caption="Teacher leaders' confidence")
    assert "alt='91% agree, 9% disagree'" in html
    assert re.search(r"<td[^>]*>Agree</td><td[^>]*>91%</td>", html)
    assert "<th scope='col'" in html and "Teacher leaders&#x27; confidence" in html


def test_text_in_a_chart_table_is_shown_as_text():
    html = chart_html(_bar_chart(), alt="<b>x</b>", table=[("<script>", 1)], header=("a", "b"))
    assert "<script>" not in html and "&lt;script&gt;" in html
