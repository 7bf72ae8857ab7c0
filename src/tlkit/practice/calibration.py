"""Observer calibration: how closely observers' scores on the same episode agree.

Plain statistics with numpy, written out so a facilitator can follow them:

- exact agreement: share of look-fors given identical scores;
- within-one agreement: share whose scores differ by at most one level. It INCLUDES exact
  agreement (a common certification rule is "within one of the reference on 80% of items");
- weighted Cohen's kappa with linear weights w_ij = 1 - |i - j| / (k - 1) over the rubric's k
  levels, from the k x k table of score pairs: kappa = (p_o - p_e) / (1 - p_e), where p_o is the
  weighted share of observed agreement and p_e the weighted share expected by chance from each
  rater's own mix of scores (Cohen 1960; weighted form Cohen 1968). Bands: Landis & Koch (1977).

Anything that cannot be computed comes back as a sentence saying why, never as NaN.
"""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tlkit.content.loader import find, load, read
from tlkit.data import csv_text
from tlkit.practice.observation import ObservationError, Rubric, as_whole_number

# The works cited with every comparison (content/sources/agreement.yaml) and the bands a kappa is
# read with (content/bands/landis-koch.yaml). Read on first use: importing this module for its
# records never validates a file.
SOURCES_FILE = "agreement"
BANDS_FILE = "landis-koch"


@cache
def sources() -> tuple[str, ...]:
    """Full citations for the statistics: Cohen 1960 and 1968, Landis & Koch 1977."""
    return tuple(entry["citation"] for entry in load("sources", SOURCES_FILE)["sources"])


@dataclass(frozen=True)
class Bands:
    name: str                               # as cited, e.g. "Landis & Koch (1977)"
    below_zero: str                         # the label for a value below 0
    bands: tuple[tuple[float, str], ...]    # (highest value in the band, label), rising

    def label(self, kappa: float) -> str:
        if kappa < 0:
            return self.below_zero
        return next((label for upper, label in self.bands if kappa <= upper),
                    self.bands[-1][1])

    def summary(self) -> str:
        """E.g. "up to .20 slight, .21–.40 fair, ..., above .80 almost perfect"."""
        def point(value: float) -> str:
            return f"{value:.2f}".lstrip("0") if value < 1 else f"{value:g}"
        parts, lower = [], None
        for upper, label in self.bands:
            if lower is None:
                parts.append(f"up to {point(upper)} {label}")
            elif upper >= 1:
                parts.append(f"above {point(lower)} {label}")
            else:
                parts.append(f"{point(lower + .01)}–{point(upper)} {label}")
            lower = upper
        return ", ".join(parts)


@cache
def kappa_bands() -> Bands:
    document = read("bands", find("bands", BANDS_FILE))
    data = document.data
    uppers = [band["up_to"] for band in data["bands"]]
    for index in range(1, len(uppers)):
        if uppers[index] <= uppers[index - 1]:
            document.fail(["bands", index, "up_to"],
                          f"the upper limit {uppers[index]} is not above the one before it "
                          f"({uppers[index - 1]}).", "list the bands from lowest to highest.")
    if uppers[-1] != 1:
        document.fail(["bands", len(uppers) - 1, "up_to"],
                      f"the last band ends at {uppers[-1]}, so values up to 1 have no band.",
                      "make the last band's up_to 1.")
    return Bands(name=data["name"], below_zero=data["below_zero"],
                 bands=tuple((band["up_to"], band["label"]) for band in data["bands"]))


def __getattr__(name: str):
    # SOURCES stays importable as a constant for views written before the sources file.
    if name == "SOURCES":
        return sources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


REFERENCE = "reference"
MIN_LOOK_FORS = 2   # one item gives p_o of 0 or 1 and a kappa that means nothing
# A calibration round is one group in one room. Sixty observers is already a very large
# room; beyond that the pairwise figures (n(n-1)/2 pairs) stop meaning anything on a
# projector and cost the kernel minutes, so larger uploads are refused with a message.
MAX_OBSERVERS = 60
MAX_UPLOAD_BYTES = 1_000_000        # 60 observers' form export, comments and all, fits easily
PAIR_DETAIL_LIMIT = 12              # above this many observers, pairs are summarised
LEAST_AGREEING_SHOWN = 5


class CalibrationError(ValueError):
    """Scores that cannot be compared. `problems` lists every one found, not just the first."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("Please fix these scores, then compare again:\n- "
                         + "\n- ".join(self.problems))


# --- The statistics ------------------------------------------------------------------------

def linear_weights(k: int) -> np.ndarray:
    """k x k agreement weights 1 - |i - j| / (k - 1): 1 on the diagonal, 0 at opposite ends."""
    i, j = np.indices((k, k))
    return 1 - np.abs(i - j) / (k - 1)


def weights_text(levels: Sequence[int]) -> str:
    k = len(levels)
    parts = [f"{d} level{'s' if d > 1 else ''} apart {1 - d / (k - 1):.2f}" for d in range(1, k)]
    return (f"Weighted kappa uses linear weights w = 1 − |i − j| / (k − 1) over the rubric's "
            f"k = {k} levels: identical scores count 1, scores " + ", ".join(parts) + ".")


def contingency_table(first: Sequence[int], second: Sequence[int],
                      levels: Sequence[int]) -> np.ndarray:
    """Counts of (first, second) score pairs over the FULL set of levels, so a level nobody
    used still has its row and column (it changes neither p_o nor p_e, but keeps k right)."""
    index = {level: n for n, level in enumerate(levels)}
    table = np.zeros((len(levels), len(levels)), dtype=int)
    for a, b in zip(first, second):
        table[index[a], index[b]] += 1
    return table


def landis_koch(kappa: float) -> str:
    """Landis & Koch (1977) label for a kappa value (the bands in content/bands/)."""
    return kappa_bands().label(kappa)


@dataclass(frozen=True)
class Kappa:
    value: float | None        # None when kappa cannot be computed; `reason` says why
    p_observed: float | None
    p_expected: float | None
    n: int
    weighted: bool
    reason: str = ""

    @property
    def band(self) -> str:
        return landis_koch(self.value) if self.value is not None else ""

    def __str__(self) -> str:
        return f"{self.value:.2f} ({self.band})" if self.value is not None else self.reason


def _blank(value: Any) -> bool:
    return (value is None or (isinstance(value, str) and not value.strip())
            or (not isinstance(value, str) and bool(pd.isna(value))))


def _pairs(first: Sequence[Any], second: Sequence[Any],
           levels: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Score pairs where both raters gave a score; blanks drop out pairwise. Scores that are
    not whole numbers (or not among `levels`) and lists of different lengths raise one
    CalibrationError naming every such item, so a direct call reads as plainly as compare()."""
    first, second = list(first), list(second)
    problems = []
    if len(first) != len(second):
        problems.append(f"The two raters have different numbers of scores ({len(first)} and "
                        f"{len(second)}); give one score (or a blank) per look-for to each.")
    scale = (f"one of the levels {', '.join(str(level) for level in levels)}" if levels
             else "a whole number")
    pairs = []
    for item, (a, b) in enumerate(zip(first, second), start=1):
        numbers = []
        for rater, value in (("first", a), ("second", b)):
            number = None if _blank(value) else as_whole_number(value)
            if not _blank(value) and (number is None or (levels and number not in levels)):
                shown = repr(value) if isinstance(value, str) else str(value)
                problems.append(f"Item {item}: the {rater} rater's score {shown} is not "
                                f"{scale}; correct it or leave it blank.")
            numbers.append(number)
        if None not in numbers:
            pairs.append((numbers[0], numbers[1]))
    if problems:
        raise CalibrationError(problems)
    return pairs


def cohen_kappa(first: Sequence[Any], second: Sequence[Any], levels: Sequence[int],
                weighted: bool = True) -> Kappa:
    """Cohen's kappa between two raters' scores on the same items (linear weights by default;
    weighted=False gives Cohen's original unweighted kappa). A score off `levels`, or text,
    raises CalibrationError saying which item and rater."""
    pairs = _pairs(first, second, levels)
    n = len(pairs)
    if n < MIN_LOOK_FORS:
        return Kappa(None, None, None, n, weighted,
                     f"Kappa needs at least {MIN_LOOK_FORS} look-fors scored by both; "
                     f"{'only ' + str(n) if n else 'none'} here.")
    table = contingency_table([a for a, _ in pairs], [b for _, b in pairs], levels) / n
    w = linear_weights(len(levels)) if weighted else np.eye(len(levels))
    p_o = float((w * table).sum())
    p_e = float((w * np.outer(table.sum(axis=1), table.sum(axis=0))).sum())
    if 1 - p_e < 1e-12:
        only = pairs[0][0]
        return Kappa(None, p_o, p_e, n, weighted,
                     f"Kappa cannot be computed: both gave every look-for the same score "
                     f"({only}), so chance alone predicts 100% agreement and there is no "
                     "variation left to agree on. Read the exact agreement instead.")
    # Rounding away float dust keeps a true zero from printing as "-0.00 (poor)".
    return Kappa(round((p_o - p_e) / (1 - p_e), 12), p_o, p_e, n, weighted)


def exact_agreement(first: Sequence[Any], second: Sequence[Any]) -> float | None:
    """Share of items (scored by both) with identical scores; None if none were."""
    pairs = _pairs(first, second)
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def within_one_agreement(first: Sequence[Any], second: Sequence[Any]) -> float | None:
    """Share of items whose scores differ by at most one level. INCLUDES exact matches."""
    pairs = _pairs(first, second)
    return sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs) if pairs else None


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


# --- Checking the scores -------------------------------------------------------------------

def check_scores(scores: pd.DataFrame, rubric: Rubric,
                 reference: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Observers (rows) x look-fors (columns by id, name or short name) as whole numbers on the
    rubric's scale, columns in rubric order, blanks as <NA>. Every problem is collected and
    raised together in one CalibrationError naming row, observer and look-for."""
    if len(scores) > MAX_OBSERVERS:
        raise CalibrationError([_too_many(len(scores))])
    problems: list[str] = []
    columns: dict[str, Any] = {}
    for col in scores.columns:
        try:
            lf = rubric.look_for(str(col))
        except KeyError as exc:
            problems.append(f"Column {col!r}: {exc.args[0]}")
            continue
        if lf.id in columns:
            problems.append(f"Columns {columns[lf.id]!r} and {col!r} are both '{lf.name}'; "
                            "keep one.")
        columns[lf.id] = col
    names = [str(name).strip() for name in scores.index]
    folded = [name.casefold() for name in names]    # "Ana" and "ana" are the same observer
    for row, name in enumerate(names, start=1):
        if not name or name.lower() == "nan":
            problems.append(f"Row {row}: the observer has no name; type one.")
        elif folded.index(name.casefold()) != row - 1:
            problems.append(f"Row {row}: observer name {name!r} is used twice; "
                            "give each observer their own name.")
        elif name.casefold() == REFERENCE:
            problems.append(f"Row {row}: 'reference' is kept for the reference scores; "
                            "choose another name.")
    clean = pd.DataFrame(index=pd.Index(names, name="observer"),
                         columns=list(rubric.look_for_ids), dtype="Int64")
    for lf_id, col in columns.items():
        for row, (name, value) in enumerate(zip(names, scores[col]), start=1):
            try:
                # The short name reads better in the message than the id.
                number = rubric.check_score(rubric.look_for(lf_id).short, value)
            except ObservationError as exc:
                problems.append(f"Row {row} ({name or 'no name'}): {exc}")
                continue
            if number is not None:
                clean.iloc[row - 1, clean.columns.get_loc(lf_id)] = number
    for lf_id, value in (reference or {}).items():
        if lf_id not in rubric.look_for_ids or as_whole_number(value) not in rubric.scale:
            problems.append(f"Reference score {value!r} for {lf_id!r} is not on the rubric.")
    if problems:
        raise CalibrationError(problems)
    return clean


def _too_many(observers: int) -> str:
    return (f"There are {observers} observers; at most {MAX_OBSERVERS} can be compared at "
            "once. Compare one group (one room) at a time.")


_SCORE_TEXT = re.compile(r"^\s*(\d+)\s*(?:$|[-–—:.)]\s*\D|\s+\D)")   # "3", "3 - Established"
_OBSERVER_HEADERS = ("observer", "name", "observer name", "your name", "observer's name")


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _csv_text(file_or_buffer: Any, name: str) -> str:
    """The file's text in whichever encoding the spreadsheet used (tlkit.data.csv_text), after
    checking its size, so a huge file is refused before it is read."""
    if isinstance(file_or_buffer, (str, os.PathLike)):
        try:
            size = Path(file_or_buffer).stat().st_size
        except OSError:
            size = 0        # read_bytes below says the file could not be opened
        if size > MAX_UPLOAD_BYTES:
            raise CalibrationError([_too_big(name, size)])
    try:
        data = csv_text.read_bytes(file_or_buffer, name)
        if len(data) > MAX_UPLOAD_BYTES:
            raise CalibrationError([_too_big(name, len(data))])
        return csv_text.decode(data, name)
    except csv_text.CsvTextError as exc:
        raise CalibrationError([str(exc)]) from None


def _too_big(name: str, size: int) -> str:
    return (f"{name} is {size / 1_000_000:.1f} MB; a scores file can be at most "
            f"{MAX_UPLOAD_BYTES // 1_000_000} MB (room for {MAX_OBSERVERS} observers). Keep "
            "only the observers' names and score columns, or split the group into rooms.")


def read_scores_csv(file_or_buffer: Any, rubric: Rubric, name: str | None = None) -> pd.DataFrame:
    """Scores from a CSV file (path, open file, or the bytes of an upload), e.g. a form's
    export: one row per observer, a column for the
    observer's name and a column per look-for headed by its id or name. Other columns
    (timestamp, e-mail, comments) are ignored and listed in `.attrs["ignored_columns"]`.
    `name` is the file name used in messages (taken from a path or open file if not given).

    Every problem is reported at once, with its spreadsheet row (the header is row 1) and
    column letter, in one CalibrationError. Blank rows are skipped but still counted, so
    "Row N" is the row the spreadsheet shows.
    """
    if name is None:
        source = file_or_buffer if isinstance(file_or_buffer, (str, os.PathLike)) \
            else getattr(file_or_buffer, "name", None)
        name = Path(source).name if isinstance(source, (str, os.PathLike)) else "The file"
    text = _csv_text(file_or_buffer, name)
    delimiter = csv_text.sniff_delimiter(text)
    try:
        # header=None keeps the header row verbatim (pandas would rename a repeated header
        # to "x.1"); everything as text so blanks and typos reach our own checks.
        raw = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False, skipinitialspace=True, sep=delimiter)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CalibrationError([f"{name} could not be read as CSV ({exc}). Save it from the "
                                "spreadsheet as 'CSV (comma separated)' and try again."]) from None
    headers = list(raw.iloc[0]) if len(raw) else []
    raw = raw.iloc[1:]
    # Rows of nothing but spaces or tabs are blank lines too, not observers.
    raw = raw[(raw.apply(lambda column: column.fillna("").str.strip()) != "").any(axis=1)]
    if len(raw) > MAX_OBSERVERS:
        raise CalibrationError([f"{name}: {_too_many(len(raw))}"])

    problems: list[str] = []
    observer_col, look_for_cols, ignored = None, {}, []
    for pos, header in enumerate(headers):
        label = str(header).strip()
        inner = re.search(r"\[(.+)\]\s*$", label)   # form grids export "Question [Row label]"
        key = inner.group(1) if inner else label
        if label.lower() in _OBSERVER_HEADERS:
            if observer_col is None:
                observer_col = pos
            else:
                problems.append(f"Column {_column_letter(pos)} ({label!r}) is a second "
                                f"observer column after column {_column_letter(observer_col)}; "
                                "delete one of the two columns.")
            continue
        try:
            lf = rubric.look_for(key)
        except KeyError:
            ignored.append(label)
            continue
        if lf.id in look_for_cols:
            problems.append(f"Column {_column_letter(pos)} ({label!r}) repeats look-for "
                            f"'{lf.name}'; delete one of the two columns.")
            continue
        look_for_cols[lf.id] = (pos, label)
    if observer_col is None:
        found = ", ".join(repr(str(h).strip()) for h in headers[:8]) or "none"
        problems.append("No observer column: head the column of names 'observer' (row 1). "
                        f"The headers in row 1 are: {found}.")
    if not look_for_cols:
        problems.append("No column matches a look-for. Head each score column with a look-for "
                        f"id or name, e.g. {', '.join(rubric.look_for_ids[:3])}.")
    if problems:
        raise CalibrationError(problems)

    seen: dict[str, int] = {}
    scores = pd.DataFrame(index=range(len(raw)), columns=list(rubric.look_for_ids),
                          dtype="Int64")
    names = []
    levels = f"{min(rubric.levels)} to {max(rubric.levels)}"
    for i, (line, record) in enumerate(raw.iterrows()):
        sheet_row = line + 1        # raw kept the header as line 0 and every blank line
        observer = record[observer_col].strip()
        names.append(observer)
        if not observer:
            problems.append(f"Row {sheet_row}, column {_column_letter(observer_col)}: "
                            "the observer's name is blank; type a name.")
        elif observer.casefold() in seen:
            problems.append(f"Row {sheet_row}, column {_column_letter(observer_col)}: "
                            f"{observer!r} already appears in row {seen[observer.casefold()]}; "
                            "give each observer one row.")
        else:
            seen[observer.casefold()] = sheet_row
        for lf_id, (pos, _label) in look_for_cols.items():
            text = record[pos].strip()
            if not text:
                continue
            match = _SCORE_TEXT.match(text)
            number = int(match.group(1)) if match else None
            if number not in rubric.scale:
                problems.append(f"Row {sheet_row}, column {_column_letter(pos)} "
                                f"({rubric.look_for(lf_id).short}), observer "
                                f"{observer or '(no name)'}: {text!r} is not a score; use a "
                                f"whole number from {levels} or leave it blank.")
                continue
            scores.iloc[i, scores.columns.get_loc(lf_id)] = number
    if problems:
        raise CalibrationError(problems)
    scores.index = pd.Index(names, name="observer")
    scores.attrs["ignored_columns"] = ignored
    return scores


# --- Rows typed in a grid -----------------------------------------------------------------

ScoreRow = tuple[str, dict[str, Any]]        # (observer name, {look-for id: score or None})


def scores_from_rows(rows: Iterable[ScoreRow], rubric: Rubric) -> pd.DataFrame:
    """Grid rows as observers x look-for ids. A row with neither a name nor a score is an
    unused line and is skipped; a row with scores but no name stays, so check_scores asks
    for the name instead of the scores vanishing."""
    kept = [(name.strip(), scores) for name, scores in rows
            if name.strip() or any(v is not None for v in scores.values())]
    frame = pd.DataFrame([scores for _, scores in kept], index=[name for name, _ in kept],
                         columns=list(rubric.look_for_ids), dtype="Int64")
    frame.index.name = "observer"
    return frame


@dataclass
class ScoreMerge:
    rows: list[ScoreRow]
    added: list[str]        # observers new to the grid, in the file's order
    updated: list[str]      # observers already in the grid whose scores the file replaced


def merge_score_rows(current: Iterable[ScoreRow], uploaded: pd.DataFrame,
                     placeholders: Collection[str] = ()) -> ScoreMerge:
    """Uploaded scores merged into the grid by observer name (case ignored): an uploaded
    observer replaces the row of the same name in place, new observers are added at the end,
    and every other typed row stays. Rows with no score whose name is blank or one of
    `placeholders` (names the grid started with) are dropped, so they don't linger."""
    incoming = {str(name).strip().casefold(): (str(name).strip(),
                                               {lf: None if pd.isna(v) else int(v)
                                                for lf, v in row.items()})
                for name, row in uploaded.iterrows()}
    unused = {name.strip().casefold() for name in placeholders} | {""}
    rows, updated = [], []
    for name, scores in current:
        key = name.strip().casefold()
        if key in incoming:
            rows.append(incoming.pop(key))
            updated.append(rows[-1][0])
        elif key not in unused or any(v is not None for v in scores.values()):
            rows.append((name, dict(scores)))
    rows.extend(incoming.values())
    return ScoreMerge(rows, added=[name for name, _ in incoming.values()], updated=updated)


# --- The comparison ------------------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    """How two sets of scores agree: an observer vs the reference, or two observers."""
    first: str
    second: str
    n: int                       # look-fors scored by both
    exact: float | None
    within_one: float | None     # includes exact
    kappa: Kappa


def agreement(first_name: str, first: Sequence[Any], second_name: str, second: Sequence[Any],
              levels: Sequence[int]) -> Agreement:
    return Agreement(first_name, second_name, len(_pairs(first, second)),
                     exact_agreement(first, second), within_one_agreement(first, second),
                     cohen_kappa(first, second, levels, weighted=True))


@dataclass
class CalibrationReport:
    rubric: Rubric
    weights_text: str
    vs_reference: list[Agreement] = field(default_factory=list)
    pairs: list[Agreement] = field(default_factory=list)
    overall: Agreement | None = None              # all observers' scores pooled vs reference
    by_look_for: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Two readings of "where the group disagrees", as sentences, most disagreement first:
    # observers' scores set against each other (needs no reference, so it can be discussed
    # before the reference is revealed), and distance from the reference (after).
    among_observers: list[str] = field(default_factory=list)
    from_reference: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)        # what was left out, and why

    @property
    def with_reference(self) -> bool:
        """Whether any figure here compares with the reference."""
        return bool(self.by_look_for.size) and bool(self.by_look_for.reference.notna().any())

    def pair_summary(self) -> PairSummary | None:
        return summarise_pairs(self.pairs)


def compare(scores: pd.DataFrame, reference: Mapping[str, int] | None,
            rubric: Rubric) -> CalibrationReport:
    """Compare each observer with the reference, each pair of observers, and each look-for.

    `scores`: one row per observer (index = names), one column per look-for (id or name);
    blanks allowed. `reference`: look-for id -> reference score, or None for group-only
    figures. Raises CalibrationError (all problems listed) for scores off the rubric."""
    clean = check_scores(scores, rubric, reference)
    levels = rubric.levels
    report = CalibrationReport(rubric=rubric, weights_text=weights_text(levels))
    reference = {k: int(v) for k, v in (reference or {}).items()}
    short = {lf.id: lf.short for lf in rubric.look_fors}

    data = {name: [None if pd.isna(v) else int(v) for v in row]
            for name, row in zip(clean.index, clean.itertuples(index=False))}
    scored = [lf for n, lf in enumerate(clean.columns)
              if any(row[n] is not None for row in data.values())]
    for name, row in list(data.items()):
        # A look-for nobody scored is reported once for the group, not once per observer.
        blank = [short[lf] for lf, v in zip(clean.columns, row) if v is None and lf in scored]
        if not any(v is not None for v in row):
            report.messages.append(f"{name} entered no scores and is left out.")
            del data[name]
        elif blank:
            report.messages.append(f"{name} left {_join(blank)} blank; "
                                   f"{'it is' if len(blank) == 1 else 'they are'} left out of "
                                   f"{name}'s figures.")
    if not data:
        report.messages.insert(0, "No scores yet: enter at least one observer's scores.")
        return report
    if len(scored) < MIN_LOOK_FORS:
        report.messages.append(
            f"Only {len(scored)} look-for has scores. Agreement on a single look-for says "
            f"little and kappa needs at least {MIN_LOOK_FORS}; score more look-fors.")

    ref_row = [reference.get(lf) for lf in clean.columns]
    if any(lf in reference for lf in scored):     # else every figure would be over no items
        for name, row in data.items():
            report.vs_reference.append(agreement(name, row, REFERENCE, ref_row, levels))
        pooled = [(v, r) for row in data.values() for v, r in zip(row, ref_row)]
        report.overall = agreement("All observers", [v for v, _ in pooled], REFERENCE,
                                   [r for _, r in pooled], levels)
    if len(data) < 2:
        report.messages.append("Only one observer, so there are no figures between "
                               "observers; add a second observer to compare with each other.")
    for (a, row_a), (b, row_b) in itertools.combinations(data.items(), 2):
        report.pairs.append(agreement(a, row_a, b, row_b, levels))

    report.by_look_for = _by_look_for(clean, data, reference, rubric)
    report.among_observers = _among_observers(report.by_look_for)
    report.from_reference = _from_reference(report.by_look_for)
    no_reference = [short[lf] for lf in scored if lf not in reference]
    if reference and no_reference:
        report.messages.append(f"The reference has no score for {_join(no_reference)}; "
                               "there only the spread of observers' scores is shown.")
    unscored = [short[lf] for lf in clean.columns if lf not in scored]
    if unscored and len(scored) >= MIN_LOOK_FORS:
        report.messages.append(f"No one scored {_join(unscored)}.")
    return report


def _join(items: Sequence[str]) -> str:
    items = [f"'{i}'" for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _by_look_for(clean: pd.DataFrame, data: dict[str, list], reference: dict[str, int],
                 rubric: Rubric) -> pd.DataFrame:
    rows = []
    for n, lf_id in enumerate(clean.columns):
        values = [row[n] for row in data.values() if row[n] is not None]
        if not values:
            continue
        ref = reference.get(lf_id)
        diffs = [abs(v - ref) for v in values] if ref is not None else []
        counts = {level: values.count(level) for level in set(values)}
        rows.append({
            "look_for_id": lf_id,
            "look_for": rubric.look_for(lf_id).short,
            "reference": ref,
            "observers": len(values),
            "exact": sum(d == 0 for d in diffs) / len(diffs) if diffs else None,
            "within_one": sum(d <= 1 for d in diffs) / len(diffs) if diffs else None,
            "mean_abs_diff": sum(diffs) / len(diffs) if diffs else None,
            "lowest": min(values),
            "highest": max(values),
            "spread": max(values) - min(values),
            # Population SD: how far a typical score sits from the group's average score.
            "sd": float(np.std(values)),
            "pairs": len(values) * (len(values) - 1) // 2,
            # Pairs of observers two or more levels apart ("discrepant"), from the counts
            # per level rather than by listing every pair.
            "pairs_two_apart": sum(counts[a] * counts[b] for a in counts for b in counts
                                   if a - b >= 2),
        })
    table = pd.DataFrame(rows, columns=["look_for_id", "look_for", "reference", "observers",
                                        "exact", "within_one", "mean_abs_diff", "lowest",
                                        "highest", "spread", "sd", "pairs",
                                        "pairs_two_apart"])
    # Int64 so a reference prints as 3, not 3.0; a look-for without one holds <NA>.
    table["reference"] = table["reference"].astype("Int64")
    for column in ("exact", "within_one", "mean_abs_diff", "sd"):
        table[column] = table[column].astype(float)
    return table


def _among_observers(table: pd.DataFrame) -> list[str]:
    """Look-fors ranked by how far apart the observers' scores are from each other: standard
    deviation first, then range, then pairs two or more levels apart. No reference is used,
    so the group can discuss this before it sees the reference. Agreeing look-fors omitted."""
    if table.empty:
        return []
    ranked = table.sort_values(["sd", "spread", "pairs_two_apart"], ascending=False,
                               kind="stable")
    sentences = []
    for row in ranked.itertuples():
        if row.spread == 0:
            continue
        apart = (f"two or more levels apart in {row.pairs_two_apart} of {row.pairs} pairs "
                 "of observers" if row.pairs_two_apart
                 else "no two observers more than one level apart")
        sentences.append(f"{row.look_for}: scores from {row.lowest} to {row.highest} "
                         f"(SD {row.sd:.1f}); {apart}.")
    if not sentences:
        sentences.append("No disagreement among observers: everyone gave the same score on "
                         "every look-for.")
    return sentences


def _from_reference(table: pd.DataFrame) -> list[str]:
    """Look-fors the reference covers, ranked by the observers' average distance from it.
    Look-fors everyone scored as the reference did are omitted."""
    if table.empty or not table.reference.notna().any():
        return []
    covered = table[table.reference.notna()]
    ranked = covered.sort_values(["mean_abs_diff", "spread"], ascending=False, kind="stable")
    sentences = [f"{row.look_for}: on average {row.mean_abs_diff:.1f} levels from the "
                 f"reference ({row.reference}); {percent(row.exact)} matched it exactly, "
                 f"{percent(row.within_one)} were within one level."
                 for row in ranked.itertuples() if row.mean_abs_diff > 0]
    if not sentences:
        sentences.append("Every observer gave the reference score on every look-for the "
                         "reference covers.")
    return sentences


# --- Many observers: pairs in summary ------------------------------------------------------

@dataclass(frozen=True)
class PairSummary:
    """Pairwise agreement for a large group in a few numbers instead of n(n-1)/2 rows."""
    pairs: int
    exact_median: float | None
    exact_range: tuple[float, float] | None
    within_one_median: float | None
    within_one_range: tuple[float, float] | None
    kappa_median: float | None
    kappa_range: tuple[float, float] | None
    kappa_missing: int                 # pairs whose kappa could not be computed
    least_agreeing: list[Agreement]    # lowest within-one first, then lowest exact


def summarise_pairs(pairs: Sequence[Agreement],
                    shown: int = LEAST_AGREEING_SHOWN) -> PairSummary | None:
    if not pairs:
        return None

    def middle(values: list[float]) -> tuple[float | None, tuple[float, float] | None]:
        return (float(np.median(values)), (min(values), max(values))) if values \
            else (None, None)

    exact = middle([p.exact for p in pairs if p.exact is not None])
    within = middle([p.within_one for p in pairs if p.within_one is not None])
    kappas = [p.kappa.value for p in pairs if p.kappa.value is not None]
    compared = [p for p in pairs if p.exact is not None]
    least = sorted(compared, key=lambda p: (p.within_one, p.exact))[:shown]
    return PairSummary(len(pairs), *exact, *within, *middle(kappas),
                       kappa_missing=len(pairs) - len(kappas), least_agreeing=least)
