"""The session audit: a professional-learning session as timed segments, checked against the
seven features of effective professional development.

Each segment has a title, minutes and a format (content/audits/session-formats.yaml) that says
whether participants are active in it and which features it serves. `audit` gives the share of
active minutes, the minutes per feature, the features no segment serves and concrete redesign
suggestions; `compare` sets a session and its redesign side by side. Bad input (a blank title,
minutes that are not a whole number) is reported in plain sentences by `read_segments`; nothing
here raises on what a learner types.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tlkit import content
from tlkit.content.loader import find
from tlkit.practice.features import Feature, FeatureSet, load_features

AUDIT_FILE = "session-formats"
LONG_LISTENING = 20     # minutes of listening in one go after which the audit suggests a break


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    active: bool
    features: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    title: str
    minutes: int
    format: str     # a Format id


@dataclass(frozen=True)
class Example:
    id: str
    name: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class AuditContent:
    formats: tuple[Format, ...]
    examples: tuple[Example, ...]
    active_target: int
    features: FeatureSet

    def format(self, format_id: str) -> Format:
        return next(f for f in self.formats if f.id == format_id)

    def example(self, example_id: str) -> Example:
        return next(e for e in self.examples if e.id == example_id)


@cache
def load_audit_content(name: str = AUDIT_FILE, folder: Path | None = None) -> AuditContent:
    """The formats and example sessions (the kit's, or `name` in `folder`); every feature and
    format id is checked, and a ContentError names the file, the field and the fix."""
    document = content.read("session-audit", find("session-audit", name, folder))
    data = document.data
    features = load_features(data["features"])
    for n, fmt in enumerate(data["formats"]):
        for m, feature in enumerate(fmt["features"]):
            if feature not in features.ids:
                document.fail(["formats", n, "features", m],
                              f"'{feature}' is not a feature in {data['features']}.yaml.",
                              f"use one of: {', '.join(features.ids)}.")
    format_ids = [fmt["id"] for fmt in data["formats"]]
    for n, example in enumerate(data["examples"]):
        for m, segment in enumerate(example["segments"]):
            if segment["format"] not in format_ids:
                document.fail(["examples", n, "segments", m, "format"],
                              f"'{segment['format']}' is not one of the formats above.",
                              f"use one of: {', '.join(format_ids)}.")
    return AuditContent(
        formats=tuple(Format(f["id"], f["name"], f["active"], tuple(f["features"]))
                      for f in data["formats"]),
        examples=tuple(Example(e["id"], e["name"],
                               tuple(Segment(s["title"], s["minutes"], s["format"])
                                     for s in e["segments"])) for e in data["examples"]),
        active_target=data.get("active_target", 50),
        features=features)


# --- reading what a learner typed -----------------------------------------------------------

def read_segments(rows, audit_content: AuditContent | None = None
                  ) -> tuple[list[Segment], list[str]]:
    """Segments from rows of (title, minutes, format id) as typed; and a plain sentence for
    each row that cannot be used (it is left out of the audit, never deleted)."""
    info = audit_content or load_audit_content()
    known = {f.id for f in info.formats}
    segments, problems = [], []
    for number, (title, minutes, fmt) in enumerate(rows, start=1):
        title = " ".join(str(title or "").split())
        name = f"Segment {number}" + (f" ({title})" if title else "")
        if not title:
            problems.append(f"Segment {number} has no title yet: say in a few words what "
                            "happens in it.")
            continue
        whole = _whole_minutes(minutes)
        if whole is None:
            problems.append(f"{name}: the minutes should be a whole number above 0, such as "
                            f"15 (it says {str(minutes).strip() or 'nothing'!r}).")
            continue
        if fmt not in known:
            problems.append(f"{name}: choose what kind of segment it is from the list.")
            continue
        segments.append(Segment(title, whole, fmt))
    return segments, problems


def _whole_minutes(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip().lower()
        for unit in ("minutes", "minute", "mins", "min", "m"):
            if text.endswith(unit):
                text = text[: -len(unit)].strip()
                break
        if not text.isdigit():
            return None
        number = int(text)
    return number if 0 < number <= 480 else None


# --- the audit ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SegmentRow:
    segment: Segment
    format: Format
    features: tuple[Feature, ...]


@dataclass(frozen=True)
class Audit:
    rows: tuple[SegmentRow, ...]
    total_minutes: int
    active_minutes: int
    active_target: int
    minutes_by_feature: tuple[tuple[Feature, int], ...]   # every feature, in the file's order
    missing: tuple[Feature, ...]
    suggestions: tuple[str, ...]

    @property
    def active_percent(self) -> float:
        return 100 * self.active_minutes / self.total_minutes if self.total_minutes else 0.0

    @property
    def covered(self) -> tuple[Feature, ...]:
        return tuple(f for f, minutes in self.minutes_by_feature if minutes)

    def active_line(self) -> str:
        if not self.total_minutes:
            return "No segments yet."
        return (f"Participants are active in {self.active_minutes} of {self.total_minutes} "
                f"minutes ({self.active_percent:.0f}%).")


def active_share(segments, audit_content: AuditContent | None = None) -> tuple[int, int]:
    """(active minutes, total minutes): a segment counts as active only when its format is one
    in which participants do something (listening to a talk or watching a video is not)."""
    info = audit_content or load_audit_content()
    total = sum(s.minutes for s in segments)
    active = sum(s.minutes for s in segments if info.format(s.format).active)
    return active, total


def audit(segments, audit_content: AuditContent | None = None) -> Audit:
    info = audit_content or load_audit_content()
    features = info.features
    rows = tuple(SegmentRow(s, info.format(s.format),
                            tuple(features.get(f) for f in info.format(s.format).features))
                 for s in segments)
    active, total = active_share(segments, info)
    by_feature = tuple((feature, sum(r.segment.minutes for r in rows
                                     if feature in r.features))
                       for feature in features.features)
    missing = tuple(f for f, minutes in by_feature if not minutes)
    result = Audit(rows, total, active, info.active_target, by_feature, missing, ())
    return Audit(rows, total, active, info.active_target, by_feature, missing,
                 tuple(_suggestions(result)))


def _suggestions(result: Audit) -> list[str]:
    if not result.rows:
        return ["Add the session's segments, or pick an example session, to see suggestions."]
    out = []
    passive = sorted((r for r in result.rows if not r.format.active),
                     key=lambda r: -r.segment.minutes)
    if result.active_percent < result.active_target and passive:
        longest = passive[0].segment
        out.append(f"{result.active_line()} Aim for at least {result.active_target}%: turn "
                   f"part of \"{longest.title}\" ({longest.minutes} min) into pairs or small "
                   "groups doing something with the idea, such as trying it on a real task.")
    for row in passive:
        if row.segment.minutes > LONG_LISTENING:
            out.append(f"\"{row.segment.title}\" is {row.segment.minutes} minutes of listening "
                       "in one go. Split it into short parts with a task for participants "
                       "between them.")
    out.extend(f"Missing {feature.name.lower()}: {feature.suggestion}"
               for feature in result.missing)
    if not out:
        out.append("This design serves all seven features and keeps participants active. "
                   "Check that each segment has enough time to do what it promises.")
    return out


def compare(before: Audit, after: Audit) -> list[tuple[str, str, str]]:
    """(measure, before, after) rows for a session and its redesign."""
    def features(a: Audit) -> str:
        return f"{len(a.covered)} of {len(a.minutes_by_feature)}"

    rows = [("Total minutes", str(before.total_minutes), str(after.total_minutes)),
            ("Active minutes", str(before.active_minutes), str(after.active_minutes)),
            ("Share of active minutes", f"{before.active_percent:.0f}%",
             f"{after.active_percent:.0f}%"),
            ("Features served", features(before), features(after))]
    rows += [(f"Minutes of {feature.name.lower()}", str(b), str(a))
             for (feature, b), (_f, a) in zip(before.minutes_by_feature,
                                              after.minutes_by_feature)]
    gained = [f.name for f in after.covered if f not in before.covered]
    lost = [f.name for f in before.covered if f not in after.covered]
    rows.append(("Features added", ", ".join(gained) or "none", ""))
    rows.append(("Features lost", ", ".join(lost) or "none", ""))
    return rows


def feature_chart(result: Audit):
    """A bar chart of minutes per feature: (figure, alt text, table rows, header)."""
    from tlkit.charts import PALETTE, new_figure

    names = [feature.name for feature, _m in result.minutes_by_feature]
    minutes = [m for _f, m in result.minutes_by_feature]
    fig, ax = new_figure(7.0, 3.6)
    bars = ax.barh(names[::-1], minutes[::-1], color=PALETTE[0])
    ax.bar_label(bars, labels=[str(m) for m in minutes[::-1]], padding=3)
    ax.set_xlabel(f"Minutes of the {result.total_minutes}-minute session")
    ax.set_xlim(0, max([*minutes, 1]) * 1.15)
    missing = [f.name for f in result.missing]
    alt = (f"Bar chart of minutes per feature. "
           + "; ".join(f"{n}: {m} minutes" for n, m in zip(names, minutes)) + ". "
           + (f"No minutes for: {', '.join(missing)}." if missing else "Every feature has time."))
    table = [(n, m, f"{100 * m / result.total_minutes:.0f}%" if result.total_minutes else "0%")
             for n, m in zip(names, minutes)]
    return fig, alt, table, ("Feature", "Minutes", "Share of the session")
