"""Answer scales used by the course's surveys and self-assessments (lowest level first).

Kept in one place so the generator, the codebooks and the forms importer all agree on the
exact words, and so "percent agree" always means the same top levels.
"""

from __future__ import annotations

AGREE = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)

# For "compared with a year ago" questions: a change scale, not an agreement scale.
CHANGE_CONFIDENCE = (
    "Much less confident",
    "Less confident",
    "About the same",
    "More confident",
    "Much more confident",
)

VALUE = (
    "Not valuable",
    "Slightly valuable",
    "Moderately valuable",
    "Very valuable",
)

# The kit's own four-step readiness scale (not taken from any published tool).
READINESS = (
    "Not yet in place",
    "Getting started",
    "Partly in place",
    "Fully in place",
)

SCALES = {
    "agree": AGREE,
    "change_confidence": CHANGE_CONFIDENCE,
    "value": VALUE,
    "readiness": READINESS,
}

# The answers that count as the "positive" end of each scale (the top two levels).
POSITIVE = {name: levels[-2:] for name, levels in SCALES.items()}
