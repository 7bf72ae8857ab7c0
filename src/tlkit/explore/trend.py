"""Observed practice across the year: for each look-for, the percent of peer observations
scored at level 3 or 4 in the fall cycle and in the spring cycle, as a chart with its table.

Rubric levels are ordinal like survey answers, so the trend is a share of observations at the
upper levels, not an average level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tlkit.charts import PALETTE, chart_html, new_figure
from tlkit.data.suppression import DEFAULT_THRESHOLD

LOOK_FORS = ("text-evidence", "build-challenge", "distributed-talk", "student-questions",
             "teacher-steps-back", "norms-in-use")
CYCLES = {1: "Fall (cycle 1)", 2: "Spring (cycle 2)"}
UPPER = 3


@dataclass
class Trend:
    table: pd.DataFrame          # look-for x cycle: percent at level 3 or 4 (NaN if hidden)
    scored: pd.DataFrame         # look-for x cycle: observations with a score

    def text(self) -> str:
        parts = [f"{lf}: {row.iloc[0]:.0f}% in the fall, {row.iloc[1]:.0f}% in the spring"
                 for lf, row in self.table.iterrows()]
        return ("Percent of peer observations scored at level 3 or 4, by look-for. "
                + "; ".join(parts) + ".")

    def _repr_html_(self) -> str:
        fig, ax = new_figure(8.0, 3.8)
        y = np.arange(len(self.table))[::-1]
        for offset, (cycle, colour) in zip((0.2, -0.2), zip(self.table.columns,
                                                             (PALETTE[1], PALETTE[0]))):
            values = self.table[cycle].to_numpy(dtype=float)
            ax.barh(y + offset, np.nan_to_num(values), height=0.4, color=colour, label=cycle)
            for yi, value in zip(y, values):
                ax.text(value + 1, yi + offset, f"{value:.0f}%", va="center", fontsize=8)
        ax.set_yticks(y, list(self.table.index))
        ax.set_xlim(0, 110)
        ax.set_xlabel("Percent of observations at level 3 or 4")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        rows = [[lf, *(f"{v:.0f}%" for v in row), *(f"{n}" for n in self.scored.loc[lf])]
                for lf, row in self.table.iterrows()]
        header = ["Look-for", *self.table.columns,
                  *(f"Observations, {c.split(' ')[0].lower()}" for c in self.table.columns)]
        return chart_html(fig, self.text(), rows, header,
                          "Peer observations across the year (level 3 or 4)")


def observation_trend(observations: pd.DataFrame | None = None,
                      threshold: int = DEFAULT_THRESHOLD) -> Trend:
    """The trend in `observations` (default: the network's peer_observations). A cell with
    fewer than `threshold` scored observations is left empty (NaN)."""
    if observations is None:
        from tlkit.data import load
        observations = load("peer_observations")
    table, scored = {}, {}
    for cycle, label in CYCLES.items():
        rows = observations[observations["cycle"] == cycle]
        present = rows[list(LOOK_FORS)].notna().sum()
        upper = (rows[list(LOOK_FORS)] >= UPPER).sum()
        pct = (upper / present.where(present > 0) * 100).round(1)
        table[label] = pct.where(present >= threshold)
        scored[label] = present.astype(int)
    return Trend(pd.DataFrame(table), pd.DataFrame(scored))
