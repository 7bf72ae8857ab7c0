"""Records of the planning widgets: the year plan, the readiness ratings and the
portfolio introduction."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from tlkit.store.records.core import (Record, RecordError, _mine_or_theirs, _must_be, _text,
                                      _whole)

# --- the year planner -----------------------------------------------------------------------

@dataclass
class YearPlanRecord(Record):
    """The year planner's inputs, kept as typed (a calendar or design with a mistake in it is
    saved too, so nothing typed is lost). Views merge field by field: what a view changed wins."""

    design: str = "every-other-week"    # a shipped design's id, or "own"
    own_design: str = ""                # the teacher's own components, as CSV
    calendar: str = ""                  # the school-year calendar, as CSV ("" = the sample)
    limit_minutes: int | None = None
    limit_period: str = "week"
    sites: str = ""                     # "name, minutes one way", one a line
    cohort: int = 12

    kind: ClassVar[str] = "year-plan"
    label: ClassVar[str] = "saved year plan"
    FIELDS: ClassVar[tuple[str, ...]] = ("design", "own_design", "calendar", "limit_minutes",
                                         "limit_period", "sites", "cohort")

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> YearPlanRecord:
        label = cls.label
        limit = data.get("limit_minutes")
        if limit is not None and not _whole(limit):
            raise RecordError(f"The {label} has the contract limit {limit!r}; it should be a "
                              "whole number of minutes or empty.")
        cohort = data.get("cohort", 12)
        if not _whole(cohort):
            raise RecordError(f"The {label} has the cohort size {cohort!r}; it should be a "
                              "whole number.")
        return cls(design=_text(data, "design", label, "every-other-week"),
                   own_design=_text(data, "own_design", label),
                   calendar=_text(data, "calendar", label), limit_minutes=limit,
                   limit_period=_text(data, "limit_period", label, "week"),
                   sites=_text(data, "sites", label), cohort=cohort)

    def merged(self, base: YearPlanRecord | None,
               theirs: YearPlanRecord | None) -> YearPlanRecord:
        if theirs is None:
            return self
        base = base or YearPlanRecord()
        return replace(self, **{name: _mine_or_theirs(getattr(base, name), getattr(self, name),
                                                      getattr(theirs, name))
                                for name in self.FIELDS})


# --- the readiness assessment ---------------------------------------------------------------

TeamRatings = dict[str, Any]      # {"ratings": {condition: level or None}, "evidence": {condition: text}}


def _team(raw: Any, name: str, label: str) -> TeamRatings:
    where = f"team {name!r} in the {label}"
    if not isinstance(raw, dict):
        raise RecordError(f"The {where} should be ratings with evidence, not {raw!r}.")
    ratings, evidence = raw.get("ratings") or {}, raw.get("evidence") or {}
    if not isinstance(ratings, dict) or not isinstance(evidence, dict):
        raise RecordError(f"The {where} should map each condition to a rating and its evidence.")
    for condition, level in ratings.items():
        if level is not None and (not _whole(level) or level < 0):
            raise RecordError(f"The {where} has the rating {level!r} for {condition!r}; it "
                              "should be a step of the scale (0, 1, 2 ...) or empty.")
    for condition, text in evidence.items():
        if not isinstance(text, str):
            raise RecordError(f"The {where} has evidence {text!r} for {condition!r}; it "
                              "should be text.")
    return {"ratings": dict(ratings), "evidence": dict(evidence)}


@dataclass
class ReadinessRecord(Record):
    """A team's (or several teams') readiness ratings and evidence, by team name, in the order
    they were first saved. Views merge team by team and condition by condition."""

    teams: dict[str, TeamRatings] = field(default_factory=dict)
    tool: str = "district-partnership"

    kind: ClassVar[str] = "readiness"
    label: ClassVar[str] = "saved readiness ratings"

    def _fields(self) -> dict[str, Any]:
        return {"tool": self.tool,
                "teams": [{"name": name, **_team(t, name, self.label)}
                          for name, t in self.teams.items()]}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> ReadinessRecord:
        raw = data.get("teams", [])
        _must_be(raw, list, cls.label, "teams", "be a list of teams.", verb="have")
        teams = {}
        for number, item in enumerate(raw, start=1):
            if not isinstance(item, dict):
                raise RecordError(f"Team {number} in the {cls.label} should be a named team, "
                                  f"not {item!r}.")
            name = _text(item, "name", f"team {number} in the {cls.label}")
            teams[name] = _team(item, name, cls.label)
        return cls(teams, _text(data, "tool", cls.label, "district-partnership"))

    def merged(self, base: ReadinessRecord | None,
               theirs: ReadinessRecord | None) -> ReadinessRecord:
        if theirs is None:
            return self
        before = base.teams if base else {}
        out: dict[str, TeamRatings] = {}
        for name in [*theirs.teams, *(n for n in self.teams if n not in theirs.teams)]:
            mine, other = self.teams.get(name), theirs.teams.get(name)
            if mine is None or other is None:
                out[name] = mine or other
                continue
            old = before.get(name, {"ratings": {}, "evidence": {}})
            out[name] = {part: {cid: _mine_or_theirs(old[part].get(cid), mine[part].get(cid),
                                                     other[part].get(cid))
                                for cid in {*mine[part], *other[part]}}
                         for part in ("ratings", "evidence")}
        return ReadinessRecord(out, self.tool)


# --- the course portfolio -------------------------------------------------------------------

@dataclass
class PortfolioRecord(Record):
    """The portfolio's own words: the learner's introduction. Everything else in a portfolio
    is read from the other modules' records and never copied here."""

    introduction: str = ""

    kind: ClassVar[str] = "portfolio"
    label: ClassVar[str] = "saved portfolio introduction"

    def _fields(self) -> dict[str, Any]:
        return {"introduction": self.introduction}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> PortfolioRecord:
        return cls(_text(data, "introduction", cls.label))
