"""The course's synthetic datasets: load them checked against their codebooks.

    from tlkit.data import load, names
    names()                      # ['cohorts', 'district_readiness', ...]
    tl = load("tl_survey_spring")

The data is a made-up network of 13 partner organizations, about 800 teacher leaders and
12,000 teachers, built by `tlkit data generate` (tlkit.data.generate); see the README in the
datasets folder for what each file holds and how the headline figures are computed.
"""

from tlkit.data.codebook import Codebook, ColumnSpec, DataError
from tlkit.data.loading import codebook, data_dir, load, names

__all__ = ["Codebook", "ColumnSpec", "DataError", "codebook", "data_dir", "load", "names"]
