"""Small-cell suppression: hide counts and statistics about so few people that they could be
identified, before a table is shared with colleagues, families or the board.

The usual rule in US education reporting is a minimum group size; states use 5 to 30, and 10
is the most common (NCES, "SLDS Technical Brief 3: Statistical Methods for Protecting
Personally Identifiable Information in Aggregate Reporting", NCES 2011-603, 2010).

Two tools:

- `suppress_counts` for count tables (groups x categories) shown with totals. A cell counting
  1 to threshold-1 people is hidden (primary suppression). Because the totals stay visible,
  more cells are hidden (complementary suppression) until no hidden cell can be worked out
  from what is shown.
- `suppress_groups` for a statistic per group (a mean, a percent agree) computed from one row
  per person: the statistic is hidden where fewer than threshold people contribute to it.

What "cannot be worked out" means here: no hidden count can be computed exactly from the
shown counts and totals, whether line by line or by combining lines. A reader can still put
bounds on a hidden count (it is at most its row total), as with any suppressed table.

Zero counts are SHOWN. A zero describes nobody, and hiding zeros would hide most of a sparse
table. Be aware that a zero can still tell something about a whole group (a column "Did not
pass" with 0 for one class says every student in that class passed); hide such a column
yourself when that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import Callable, Iterable

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10
TOTAL = "Total"
COMPLEMENT_MARKER = "—"
COMPLEMENT_REASON = "Hidden so that a small group nearby cannot be worked out from the totals"

# Labels pandas and spreadsheets give to margins; a table arriving with them would be counted twice.
_TOTAL_LABELS = {"total", "totals", "all", "grand total"}


class SuppressionError(ValueError):
    """The table cannot be checked as given. The message names the cell and says what to do."""


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to share, plus what was hidden and why.

    display -- the table to show: numbers where safe, a marker where hidden.
    mask    -- same shape as `display`; True where a value is hidden.
    reasons -- same shape; a plain sentence where hidden, "" elsewhere.
    """

    display: pd.DataFrame
    mask: pd.DataFrame
    reasons: pd.DataFrame
    threshold: int

    @property
    def hidden_count(self) -> int:
        return int(self.mask.to_numpy().sum())

    def notes(self) -> list[str]:
        """One line per kind of hiding used, to print under the table as a key."""
        used = set(self.reasons.to_numpy().ravel())
        return [r for r in (primary_reason(self.threshold), COMPLEMENT_REASON) if r in used]


def primary_reason(threshold: int) -> str:
    return f"Hidden: fewer than {threshold} people"


# ---------------------------------------------------------------------------------------------
# Count tables


def suppress_counts(
    table: pd.DataFrame,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool | None = None,
    column_totals: bool = True,
    primary_marker: str | None = None,
    complement_marker: str = COMPLEMENT_MARKER,
) -> SuppressedTable:
    """Hide small counts, and enough other counts that the small ones cannot be recomputed.

    table         -- rows are groups, columns are categories (or a single count column);
                     every cell a whole number of people, 0 or more; no total row or column
                     (they are added here, from the counts).
    threshold     -- smallest count that may be shown (default 10). 0 is always shown.
    row_totals    -- add a "Total" column with each row's sum. Default: yes when the table
                     has more than one column.
    column_totals -- add a "Total" row with each column's sum.
    primary_marker    -- shown in place of a small count; default "<10" (for threshold 10).
    complement_marker -- shown in place of a count hidden only to protect a small one.

    Totals are counts of people too: a total below the threshold is hidden like any cell.
    """
    threshold = _check_threshold(threshold)
    counts = _check_counts(table)
    if row_totals is None:
        row_totals = counts.shape[1] > 1
    grid = _with_totals(counts, row_totals, column_totals)
    values = grid.to_numpy(dtype=np.int64)

    primary = (values > 0) & (values < threshold)
    hidden = _protect(values, primary.copy(), _lines(values.shape, row_totals, column_totals))

    primary_marker = f"<{threshold}" if primary_marker is None else primary_marker
    complement = hidden & ~primary
    shown = np.where(primary, primary_marker,
                     np.where(complement, complement_marker, values.astype(object)))
    why = np.where(primary, primary_reason(threshold), np.where(complement, COMPLEMENT_REASON, ""))

    def frame(data) -> pd.DataFrame:
        return pd.DataFrame(data, index=grid.index, columns=grid.columns)

    return SuppressedTable(display=frame(shown), mask=frame(hidden), reasons=frame(why),
                           threshold=threshold)


def _check_threshold(threshold) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, Integral) or threshold < 1:
        raise SuppressionError(
            f"The threshold must be a whole number of people, 1 or more (got {threshold!r}). "
            f"The most common choice is {DEFAULT_THRESHOLD}."
        )
    return int(threshold)


def _check_counts(table) -> pd.DataFrame:
    if isinstance(table, pd.Series):
        table = table.to_frame()
    if not isinstance(table, pd.DataFrame):
        raise SuppressionError(
            "suppress_counts needs a pandas table (DataFrame) of counts, "
            f"not {type(table).__name__}."
        )
    if table.empty:
        raise SuppressionError("The table of counts is empty: there is nothing to check.")
    for axis, labels in (("row", table.index), ("column", table.columns)):
        duplicated = labels[labels.duplicated()]
        if len(duplicated):
            raise SuppressionError(
                f"The {axis} label {duplicated[0]!r} appears more than once. "
                f"Give each {axis} its own name, or add the duplicate {axis}s together first."
            )
        for label in labels:
            if str(label).strip().lower() in _TOTAL_LABELS:
                raise SuppressionError(
                    f"The table already has a {axis} named {label!r}. Remove it and pass only "
                    "the counts: totals are added here, from the counts, so that they are "
                    "checked and hidden where needed."
                )
    for column in table.columns:
        for row, value in table[column].items():
            ok = (isinstance(value, Real) and not isinstance(value, bool) and not pd.isna(value)
                  and not (isinstance(value, (float, np.floating)) and np.isinf(value)))
            if not ok or value < 0 or float(value) != int(value):
                what = "is empty" if _is_missing(value) else f"holds {_plain(value)!r}"
                raise SuppressionError(
                    f"Row {row!r}, column {column!r} {what}; each cell must be a whole "
                    "number of people, 0 or more. Correct that cell (use 0 for nobody) and "
                    "run again."
                )
    table = table.astype(np.int64)
    # Plain labels, so a "Total" row and column can be added (a category or a multi-level
    # index from groupby/crosstab would refuse a new label); "Grade 7 / Girls" reads fine.
    table.index = _plain_labels(table.index)
    table.columns = _plain_labels(table.columns)
    return table


def _plain_labels(labels: pd.Index) -> pd.Index:
    if isinstance(labels, pd.MultiIndex):
        return pd.Index([" / ".join(map(str, label)) for label in labels], dtype=object,
                        name=" / ".join(str(n) for n in labels.names if n is not None) or None)
    return pd.Index(list(labels), dtype=object, name=labels.name)


def _plain(value):
    """numpy scalars as plain Python values, so messages read 2.0 rather than np.float64(2.0)."""
    return value.item() if isinstance(value, np.generic) else value


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _with_totals(counts: pd.DataFrame, row_totals: bool, column_totals: bool) -> pd.DataFrame:
    grid = counts.copy()
    if row_totals:
        grid[TOTAL] = counts.sum(axis=1)
    if column_totals:
        grid.loc[TOTAL] = grid.sum(axis=0)
    return grid


def _lines(shape, row_totals: bool, column_totals: bool) -> list[list[tuple[int, int]]]:
    """Every set of cells tied by one displayed sum: the cells of a line plus its total.

    A row is tied only when there is a Total column to add up to, and a column only when there
    is a Total row. The Total row and Total column are lines too when both exist (their sums
    meet in the grand total).
    """
    n_rows, n_cols = shape
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if column_totals:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    return lines


def _protect(values: np.ndarray, hidden: np.ndarray, lines) -> np.ndarray:
    """Add complementary cells to `hidden` until no hidden cell can be recomputed."""
    while True:
        _pair_up(values, hidden, lines)
        exposed = _recoverable(hidden, lines)
        if not exposed:
            return hidden
        # A hidden cell can still be solved by combining several lines (for example two blocks
        # of hidden cells joined by one cell). Hide one more cell beside it and check again.
        cell = exposed[0]
        beside = [c for line in lines if cell in line for c in line if not hidden[c]]
        anywhere = [c for line in lines for c in line if not hidden[c]]
        if not beside and not anywhere:
            return hidden  # everything is hidden already
        hidden[_smallest(values, beside or anywhere)] = True


def _pair_up(values, hidden, lines) -> None:
    """The classic rule: a line holding one hidden cell gets its next-smallest cell hidden too.

    Repeat until stable, since each new hidden cell may leave a crossing line with just one.
    """
    changed = True
    while changed:
        changed = False
        for line in lines:
            shown = [cell for cell in line if not hidden[cell]]
            if len(shown) == len(line) - 1:
                hidden[_smallest(values, shown)] = True
                changed = True


def _smallest(values, cells):
    # Prefer a non-zero cell: hiding a zero beside a small count gives it little cover
    # (a row reading "<10, —, 40, total 43" would pin the pair to 3 people between them).
    return min(cells, key=lambda cell: (values[cell] == 0, values[cell], cell))


def _recoverable(hidden: np.ndarray, lines) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from the displayed ones by solving the line sums.

    Each line says: cells of the line add up to its total (the last cell). With the hidden
    cells as unknowns, a hidden cell is fixed exactly when every change to the hidden cells
    that keeps all sums true leaves that cell unchanged (it has no part in the null space).
    """
    cells = [(int(r), int(c)) for r, c in zip(*np.nonzero(hidden))]
    if not cells:
        return []
    position = {cell: i for i, cell in enumerate(cells)}
    equations = np.zeros((max(len(lines), 1), len(cells)))
    for e, line in enumerate(lines):
        *parts, total = line
        for cell in parts:
            if cell in position:
                equations[e, position[cell]] = 1.0
        if total in position:
            equations[e, position[total]] = -1.0
    _, singular, vt = np.linalg.svd(equations)
    rank = int((singular > 1e-9).sum())
    free = vt[rank:]  # rows spanning the changes that keep every sum true
    movable = np.abs(free).sum(axis=0) > 1e-9 if len(free) else np.zeros(len(cells), bool)
    return [cell for cell, moves in zip(cells, movable) if not moves]


# ---------------------------------------------------------------------------------------------
# Statistics by group


def suppress_groups(
    df: pd.DataFrame,
    group_cols: str | Iterable[str],
    value_cols: str | Iterable[str],
    *,
    agg: str | Callable = "mean",
    threshold: int = DEFAULT_THRESHOLD,
    decimals: int | None = 1,
    marker: str | None = None,
) -> SuppressedTable:
    """A statistic per group, hidden where fewer than `threshold` people contribute to it.

    df         -- one row per person (a survey response, a student).
    group_cols -- column(s) to group by, e.g. "school" or ["school", "grade"].
    value_cols -- column(s) to summarise.
    agg        -- "mean", "median", any pandas aggregation name or a function, or "percent":
                  the percent of people whose value is true (yes/no or 0/1 columns), as used
                  for "percent agree".
    decimals   -- round shown statistics (None: leave as computed).

    The result has an "n" column (people in the group) then one column per value column.
    A group's n is hidden too when it is below the threshold. Each statistic counts only the
    people with an answer for that column, so a group of 12 with 8 answers is hidden.

    Take care when you add an overall figure (all groups together) next to the result: with
    one hidden group, the overall mean and the shown groups give the hidden one away.
    """
    threshold = _check_threshold(threshold)
    group_cols = [group_cols] if isinstance(group_cols, str) else list(group_cols)
    value_cols = [value_cols] if isinstance(value_cols, str) else list(value_cols)
    if not isinstance(df, pd.DataFrame):
        raise SuppressionError(
            f"suppress_groups needs a pandas table (DataFrame), not {type(df).__name__}."
        )
    for column in group_cols + value_cols:
        if column not in df.columns:
            raise SuppressionError(
                f"There is no column {column!r} in the data. "
                f"Columns present: {', '.join(map(str, df.columns))}."
            )
    if "n" in value_cols:
        raise SuppressionError('A value column is named "n", which the result uses for group '
                               "sizes. Rename that column first.")
    function = _percent_true if agg == "percent" else agg
    if agg == "percent":
        _check_yes_no(df, value_cols)

    grouped = df.groupby(group_cols, dropna=False, observed=True)
    sizes = grouped.size().rename("n")
    answered = grouped[value_cols].count()
    try:
        stats = grouped[value_cols].agg(function)
    except (TypeError, ValueError) as error:
        raise SuppressionError(
            f"Could not work out {agg!r} for {', '.join(value_cols)}: {error}. "
            "Check that these columns hold numbers (or yes/no values for 'percent')."
        ) from error
    if decimals is not None:
        stats = stats.round(decimals)

    marker = f"<{threshold}" if marker is None else marker
    small_group = sizes < threshold
    hidden = pd.concat([small_group, answered < threshold], axis=1)
    hidden.columns = ["n", *value_cols]
    hidden = hidden.astype(bool)
    table = pd.concat([sizes, stats], axis=1).astype(object)
    display = table.mask(hidden, marker)
    reasons = pd.DataFrame("", index=table.index, columns=table.columns).mask(
        hidden, primary_reason(threshold))
    return SuppressedTable(display=display, mask=hidden, reasons=reasons, threshold=threshold)


def _percent_true(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.astype(bool).mean() * 100) if len(values) else float("nan")


def _check_yes_no(df: pd.DataFrame, value_cols: list[str]) -> None:
    for column in value_cols:
        odd = df[column].dropna()
        odd = odd[~odd.isin([True, False, 0, 1])]
        if len(odd):
            raise SuppressionError(
                f"Column {column!r} holds {_plain(odd.iloc[0])!r} (row {_plain(odd.index[0])!r}); "
                "'percent' needs yes/no values: True/False or 1/0. Recode the column first, e.g. "
                "agree = answer >= 4 on a 5-point scale."
            )
