"""The one timing rule every benchmark here uses: the median of a few runs, in seconds
(a median, because a shared machine slows the odd run)."""

from __future__ import annotations

import statistics
import time


def median_seconds(work, repeat: int = 3) -> float:
    """Run `work()` `repeat` times; the median wall-clock seconds of one run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
