"""Answer scales used by the course's surveys and self-assessments (lowest level first).

The words live in content/scales/survey.yaml, read through the content loader, so the
generator, the codebooks and the forms importer all agree on the exact words, and so
"percent agree" always means the same top levels. SCALES and POSITIVE are read from that file
the first time either is used.
"""

from __future__ import annotations

from functools import cache

from tlkit.content.loader import load

SCALES_FILE = "survey"

@cache
def scales() -> dict[str, tuple[str, ...]]:
    """Scale id -> its answers, lowest first, in the file's order."""
    return {entry["id"]: tuple(entry["answers"])
            for entry in load("scales", SCALES_FILE)["scales"]}


@cache
def positive() -> dict[str, tuple[str, ...]]:
    """Scale id -> the answers at its positive end (the top `positive` answers, usually 2)."""
    return {entry["id"]: tuple(entry["answers"][-entry.get("positive", 2):])
            for entry in load("scales", SCALES_FILE)["scales"]}


def __getattr__(name: str):
    if name == "SCALES":
        return scales()
    if name == "POSITIVE":
        return positive()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
