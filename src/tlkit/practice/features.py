"""The seven features of effective professional development (Darling-Hammond, Hyler & Gardner,
2017), read from one content file (content/features/effective-pd.yaml, through tlkit.content).

Module sections name the features they use in their heading metadata,
`"pd_features": ["active-learning", "collaboration"]`; the course model checks the ids here,
and the session audit (tlkit.practice.session_audit) names the same features.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from tlkit import content

FEATURES_FILE = "effective-pd"
METADATA_KEY = "pd_features"
LEAST_PER_MODULE = 5


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    meaning: str
    looks_like: str
    suggestion: str


@dataclass(frozen=True)
class FeatureSet:
    title: str
    source: str
    features: tuple[Feature, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(feature.id for feature in self.features)

    def get(self, feature_id: str) -> Feature:
        return next(f for f in self.features if f.id == feature_id)


@cache
def load_features(name: str = FEATURES_FILE) -> FeatureSet:
    """The features file, checked against its schema (a ContentError says what to fix)."""
    data = content.load("pd-features", name)
    return FeatureSet(data["title"], data["source"],
                      tuple(Feature(f["id"], f["name"], f["meaning"], f["looks_like"],
                                    f["suggestion"]) for f in data["features"]))


def feature_ids() -> tuple[str, ...]:
    return load_features().ids


def unknown_feature_message(value, where: str) -> str | None:
    """None when `value` is a list of known feature ids without repeats; otherwise a plain
    sentence naming the place, the problem and the fix."""
    known = feature_ids()
    listed = ", ".join(known)
    example = '"pd_features": ["active-learning", "collaboration"]'
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return (f"{where}: \"{METADATA_KEY}\" must be a list of feature ids, e.g. {example}. "
                f"The ids are: {listed}.")
    for item in value:
        if item not in known:
            close = difflib.get_close_matches(item, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            return (f"{where}: {item!r} in \"{METADATA_KEY}\" is not one of the seven features "
                    f"of effective professional development.{hint} Use the ids: {listed}.")
    repeated = [v for i, v in enumerate(value) if v in value[:i]]
    if repeated:
        return f"{where}: {repeated[0]!r} is listed twice in \"{METADATA_KEY}\"; list it once."
    return None
