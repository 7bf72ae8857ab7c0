"""Codebooks: what each column of a dataset holds, and the pandera schema built from that.

A codebook is a YAML file next to its dataset (`<name>.codebook.yaml`). Per column it gives the
name, type, meaning, whether answers may be missing, and the allowed values, ordered levels or
range. The checks that loading and the forms importer run are all derived from it, so the
codebook a learner reads is exactly what the data is held to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from tlkit.content.loader import ContentError, load_file

TYPES = ("string", "category", "likert", "integer", "number", "date")

# The pandas dtype each codebook type is parsed into before the checks run. Category and
# Likert columns stay text until their values are checked: converting first would quietly
# turn an unknown answer into a missing one.
PARSE_DTYPES = {
    "string": str,
    "category": str,
    "likert": str,
    "integer": "Int64",
    "number": "Float64",
    "date": "datetime64[ns]",
}


class DataError(ValueError):
    """A dataset or codebook does not match what the course expects. `problems` lists each one."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    meaning: str
    missing: bool = False            # may a cell be empty?
    unique: bool = False
    allowed: tuple[str, ...] = ()    # category: the values a cell may hold
    levels: tuple[str, ...] = ()     # likert: answer words, lowest first
    scale: str | None = None         # likert: id of the scale in content/scales/survey.yaml
    minimum: Any = None              # integer/number: number; date: "YYYY-MM-DD"
    maximum: Any = None
    pattern: str | None = None       # string: regular expression every value matches
    question: str | None = None      # survey items: the question as respondents saw it
    references: str | None = None    # "<dataset>.<column>" this ID points to

    def describe_allowed(self) -> str:
        """A short human phrase for what a cell may hold, used in messages."""
        if self.type == "likert":
            return "one of: " + ", ".join(self.levels)
        if self.type == "category":
            return "one of: " + ", ".join(self.allowed)
        if self.minimum is not None and self.maximum is not None:
            return f"between {self.minimum} and {self.maximum}"
        if self.pattern:
            return f"text matching {self.pattern}"
        return {"integer": "a whole number", "number": "a number",
                "date": "a date written YYYY-MM-DD"}.get(self.type, "text")


@dataclass(frozen=True)
class Rule:
    """A check across columns of one row, as a pandas expression true for every good row."""

    check: str
    message: str


@dataclass(frozen=True)
class Codebook:
    name: str
    title: str
    file: str
    description: str
    columns: tuple[ColumnSpec, ...]
    rules: tuple[Rule, ...] = ()
    source: str = ""                 # where the codebook was read from (for messages)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no column {name!r}; its columns are {self.column_names}")

    @property
    def questions(self) -> dict[str, str]:
        """Question text -> column, for the columns that record a survey question."""
        return {c.question: c.name for c in self.columns if c.question}

    # -- reading and writing ------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "Codebook":
        if not isinstance(data, dict):
            raise DataError(f"{source or 'codebook'}: a codebook must be a YAML mapping with "
                            "name, file, columns.")
        where = source or data.get("name", "codebook")
        for key in ("name", "file", "columns"):
            if key not in data:
                raise DataError(f"{where}: the codebook has no '{key}' field. Add it "
                                "(see any *.codebook.yaml in the datasets folder).")
        rule_list = data.get("rules") or []          # an empty "rules:" means none
        for key, value in (("columns", data["columns"]), ("rules", rule_list)):
            if not isinstance(value, list):
                raise DataError(f"{where}: '{key}' must be a list, one '- ' entry per "
                                f"{key[:-1]}.")
        columns = []
        for i, col in enumerate(data["columns"]):
            if not isinstance(col, dict) or "name" not in col:
                raise DataError(f"{where}: column entry {i + 1} has no 'name'.")
            kind = col.get("type")
            if kind not in TYPES:
                raise DataError(f"{where}: column '{col['name']}' has type {kind!r}; "
                                f"use one of {', '.join(TYPES)}.")
            if kind == "likert" and not col.get("levels"):
                raise DataError(f"{where}: Likert column '{col['name']}' needs its ordered "
                                "'levels' (lowest first).")
            if kind == "category" and not col.get("allowed"):
                raise DataError(f"{where}: category column '{col['name']}' needs 'allowed'.")
            columns.append(ColumnSpec(
                name=col["name"], type=kind, meaning=col.get("meaning", ""),
                missing=bool(col.get("missing", False)), unique=bool(col.get("unique", False)),
                allowed=tuple(col.get("allowed", ())), levels=tuple(col.get("levels", ())),
                scale=col.get("scale"), minimum=col.get("minimum"), maximum=col.get("maximum"),
                pattern=col.get("pattern"), question=col.get("question"),
                references=col.get("references"),
            ))
        for i, rule in enumerate(rule_list, start=1):
            for key in ("check", "message"):
                if not isinstance(rule, dict) or not isinstance(rule.get(key), str):
                    raise DataError(f"{where}: rule {i} has no '{key}'. Each rule needs a "
                                    "'check' (an expression such as attended <= enrolled) "
                                    "and a 'message' saying what is wrong with a row.")
        rules = tuple(Rule(r["check"], r["message"]) for r in rule_list)
        # schema_version is the loader's, not a note to keep: writing it back would change
        # the shipped codebooks.
        known = {"name", "title", "file", "description", "columns", "rules", "schema_version"}
        return cls(name=data["name"], title=data.get("title", data["name"]), file=data["file"],
                   description=data.get("description", ""), columns=tuple(columns),
                   rules=rules, source=source, extra={k: v for k, v in data.items()
                                                       if k not in known})

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "file": self.file,
                               "description": self.description, **self.extra}
        cols = []
        for c in self.columns:
            entry: dict[str, Any] = {"name": c.name, "type": c.type, "meaning": c.meaning}
            for key in ("question", "scale", "pattern", "references", "minimum", "maximum"):
                if getattr(c, key) is not None:
                    entry[key] = getattr(c, key)
            if c.levels:
                entry["levels"] = list(c.levels)
            if c.allowed:
                entry["allowed"] = list(c.allowed)
            entry["missing"] = c.missing
            if c.unique:
                entry["unique"] = True
            cols.append(entry)
        out["columns"] = cols
        if self.rules:
            out["rules"] = [{"check": r.check, "message": r.message} for r in self.rules]
        return out


def read_codebook(path: Path) -> Codebook:
    """A codebook file, read through the content loader (safe YAML, a size limit and the
    codebook schema), then checked column by column here."""
    try:
        data = load_file("codebook", path)
    except ContentError as err:
        raise DataError(f"{err} If the file came with the kit, regenerate it with "
                        "`tlkit data generate`.") from None
    return Codebook.from_dict(data, source=str(path))


def write_codebook(codebook: Codebook, path: Path) -> None:
    text = yaml.safe_dump(codebook.to_dict(), sort_keys=False, allow_unicode=True, width=96)
    Path(path).write_text(text, encoding="utf-8", newline="\n")


# -- pandera schemas built from a codebook -----------------------------------------------

def _bound(spec: ColumnSpec, value):
    return pd.Timestamp(value) if spec.type == "date" else value


def column_checks(spec: ColumnSpec) -> list[pa.Check]:
    """The value checks for one column; each check's `error` is the human message."""
    want = spec.describe_allowed()
    checks: list[pa.Check] = []
    if spec.type == "likert":
        checks.append(pa.Check.isin(spec.levels, error=f"must be {want}"))
    elif spec.type == "category":
        checks.append(pa.Check.isin(spec.allowed, error=f"must be {want}"))
    if spec.pattern:
        checks.append(pa.Check.str_matches(spec.pattern, error=f"must be {want}"))
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None:
        checks.append(pa.Check.in_range(_bound(spec, low), _bound(spec, high),
                                        error=f"must be between {low} and {high}"))
    elif low is not None:
        checks.append(pa.Check.ge(_bound(spec, low), error=f"must be at least {low}"))
    elif high is not None:
        checks.append(pa.Check.le(_bound(spec, high), error=f"must be at most {high}"))
    return checks


def _rule_check(rule: Rule) -> pa.Check:
    # A row passes when the expression is true or cannot be judged (a missing value is
    # reported by its own column's check, not twice).
    def holds(df: pd.DataFrame) -> pd.Series:
        return df.eval(rule.check).astype("boolean").fillna(True).astype(bool)
    return pa.Check(holds, error=rule.message, name=rule.check)


def parse_schema(codebook: Codebook, present: list[str] | None = None) -> pa.DataFrameSchema:
    """Types only: turns text cells into numbers and dates, reporting cells that will not go."""
    cols = [c for c in codebook.columns if present is None or c.name in present]
    return pa.DataFrameSchema(
        {c.name: pa.Column(PARSE_DTYPES[c.type], nullable=True, coerce=True) for c in cols},
        name=codebook.name)


def check_schema(codebook: Codebook, present: list[str] | None = None) -> pa.DataFrameSchema:
    """Values: missing cells, uniqueness, allowed values and ranges, and the row rules."""
    cols = [c for c in codebook.columns if present is None or c.name in present]
    names = {c.name for c in cols}
    rules = [r for r in codebook.rules if _rule_columns(r, codebook) <= names]
    return pa.DataFrameSchema(
        {c.name: pa.Column(PARSE_DTYPES[c.type], checks=column_checks(c), nullable=c.missing,
                           unique=c.unique) for c in cols},
        checks=[_rule_check(r) for r in rules], name=codebook.name)


def _rule_columns(rule: Rule, codebook: Codebook) -> set[str]:
    # Rule expressions name columns directly ("attended <= enrolled").
    words = set(rule.check.replace("(", " ").replace(")", " ").split())
    return {c for c in codebook.column_names if c in words}


def final_dtype(spec: ColumnSpec):
    """The dtype a learner gets from tlkit.data.load: Likert answers are ordered categories."""
    if spec.type == "likert":
        return pd.CategoricalDtype(list(spec.levels), ordered=True)
    if spec.type == "category":
        return pd.CategoricalDtype(list(spec.allowed), ordered=False)
    return PARSE_DTYPES[spec.type]
