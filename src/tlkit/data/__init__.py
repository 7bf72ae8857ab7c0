"""The course's synthetic datasets: load them checked against their codebooks.

    from tlkit.data import load, names
    names()                      # ['cohorts', 'district_readiness', ...]
    tl = load("tl_survey_spring")

The data is a made-up network of 13 partner organizations, about 800 teacher leaders and
12,000 teachers, built by `tlkit data generate` (tlkit.data.generate); see the README in the
datasets folder for what each file holds and how the headline figures are computed.
"""

from tlkit.lazy import lazy_exports

# These names come from modules that import pandera (a few tenths of a second), so they are
# imported on first use: `import tlkit.data.suppression` stays light.
_LAZY = {"Codebook": "codebooks", "ColumnSpec": "codebooks", "DataError": "codebooks",
         "codebook": "loading", "data_dir": "loading", "load": "loading", "names": "loading"}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
