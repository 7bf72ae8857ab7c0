"""ObservationTrend: the year's peer-observation trend, a chart beside its table (read-only)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from tlkit.explore.trend import DEFAULT_THRESHOLD, observation_trend


class ObservationTrend(widgets.HTML):
    """The share of peer observations at level 3 or 4 per look-for, autumn against spring.
    A view like the others, so that grading skips its cell (tlkit.ops.autograde_skip)."""

    def __init__(self, observations: pd.DataFrame | None = None,
                 threshold: int = DEFAULT_THRESHOLD):
        self.trend = observation_trend(observations, threshold)
        super().__init__(self.trend._repr_html_())
        self.add_class("tlkit-observation-trend")
