"""The explorer's charts: one matplotlib figure per result, in the Okabe–Ito palette, every bar
labelled with its figure (colour never carries a value alone), hidden groups named with why."""

from __future__ import annotations

import numpy as np

from tlkit.charts import PALETTE, new_figure
from tlkit.explore.survey import ALL, GROUPINGS, Result

# Lowest to highest answer: vermillion and orange for the low end, grey in the middle, sky
# blue and blue for the high end (Okabe & Ito, 2008), told apart with every common deficiency.
LOW, MID, HIGH = ("#D55E00", "#E69F00"), "#BBBBBB", ("#56B4E9", "#0072B2")


def level_colours(n: int) -> list[str]:
    """Colours for n ordered answers, lowest first: diverging, with grey for an odd middle."""
    half = n // 2
    low = list(LOW[:half]) if half <= 2 else list(np.resize(LOW, half))
    high = list(HIGH[-half:]) if half <= 2 else list(np.resize(HIGH, half))
    return low + ([MID] if n % 2 else []) + high


def figure(result: Result):
    groups = list(result.numbers.index)[::-1]        # first group at the top
    height = 1.2 + 0.42 * len(groups)
    fig, ax = new_figure(8.0, max(height, 2.6))
    y = np.arange(len(groups))
    rows = result.numbers.loc[groups]
    if result.view == "distribution":
        left = np.zeros(len(groups))
        for level, colour in zip(result.levels, level_colours(len(result.levels))):
            values = np.nan_to_num(rows[level].to_numpy(dtype=float))
            ax.barh(y, values, left=left, color=colour, label=level, edgecolor="white")
            for yi, (start, width) in enumerate(zip(left, values)):
                if width >= 7:
                    dark = colour in (LOW[0], HIGH[1])
                    ax.text(start + width / 2, yi, f"{width:.0f}", ha="center", va="center",
                            fontsize=8, color="white" if dark else "black")
            left += values
        ax.set_xlim(0, 100)
        ax.set_xlabel("Percent of those who answered")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(5, len(result.levels)),
                  fontsize=8, frameon=False)
    elif result.view == "percent":
        values = rows["% top two"].to_numpy(dtype=float)
        colours = [PALETTE[7] if g == ALL else PALETTE[0] for g in groups]
        ax.barh(y, np.nan_to_num(values), color=colours)
        for yi, value in enumerate(values):
            if not np.isnan(value):
                ax.text(value + 1, yi, f"{value:.0f}%", va="center", fontsize=9)
        ax.set_xlim(0, 110)
        ax.set_xlabel(f"Percent answering {' or '.join(result.positive)}")
    else:
        before = rows["Before %"].to_numpy(dtype=float)
        after = rows["After %"].to_numpy(dtype=float)
        ax.barh(y + 0.2, np.nan_to_num(before), height=0.4, color=PALETTE[1], label="Spring")
        ax.barh(y - 0.2, np.nan_to_num(after), height=0.4, color=PALETTE[0],
                label="End of year")
        for yi, (b, a) in enumerate(zip(before, after)):
            if not np.isnan(b):
                ax.text(b + 1, yi + 0.2, f"{b:.0f}%", va="center", fontsize=8)
                ax.text(a + 1, yi - 0.2, f"{a:.0f}%", va="center", fontsize=8)
        ax.set_xlim(0, 110)
        ax.set_xlabel("Percent in the top two answers")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8,
                  frameon=False)
    for yi, group in enumerate(groups):
        if group in result.hidden:
            ax.text(1, yi, result.hidden[group], va="center", fontsize=8,
                    style="italic", color="#333333")
    ax.set_yticks(y, [str(g) for g in groups])
    ax.set_ylabel(GROUPINGS.get(result.grouping, result.grouping))
    title = result.question if len(result.question) < 70 else result.question[:67] + "…"
    ax.set_title(title, fontsize=10, loc="left")
    return fig
