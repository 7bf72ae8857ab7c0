"""Small-cell suppression: small counts hidden, and no hidden count recoverable from the rest."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tlkit.data.suppression import (
    COMPLEMENT_REASON,
    SuppressionError,
    primary_reason,
    suppress_counts,
    suppress_groups,
)

SURVEY = pd.DataFrame(
    {"Agree": [25, 3, 40], "Neutral": [12, 14, 11], "Disagree": [30, 22, 8]},
    index=["Grade 6", "Grade 7", "Grade 8"],
)


# --- an attacker who sees only the displayed table -------------------------------------------

def _lines(display: pd.DataFrame):
    """Each displayed sum as (cells that add up, total cell), using the Total row/column."""
    rows, cols = list(display.index), list(display.columns)
    lines = []
    if "Total" in cols:
        lines += [([(r, c) for c in cols if c != "Total"], (r, "Total")) for r in rows]
    if "Total" in rows:
        lines += [([(r, c) for r in rows if r != "Total"], ("Total", c)) for c in cols]
    return lines


def peel(display: pd.DataFrame, mask: pd.DataFrame) -> dict:
    """Solve any line with exactly one unknown, over and over, as a reader with a pencil would."""
    known = {(r, c): display.loc[r, c] for r in display.index for c in display.columns
             if not mask.loc[r, c]}
    progress = True
    while progress:
        progress = False
        for parts, total in _lines(display):
            unknown = [cell for cell in [*parts, total] if cell not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            if cell == total:
                known[cell] = sum(known[p] for p in parts)
            else:
                known[cell] = known[total] - sum(known[p] for p in parts if p != cell)
            progress = True
    return {cell: value for cell, value in known.items() if mask.loc[cell]}


def solvable_by_algebra(display: pd.DataFrame, mask: pd.DataFrame) -> set:
    """Hidden cells fixed by the whole system of line sums (not just one line at a time)."""
    hidden = [(r, c) for r in display.index for c in display.columns if mask.loc[r, c]]
    where = {cell: i for i, cell in enumerate(hidden)}
    matrix = np.zeros((len(_lines(display)), len(hidden)))
    for e, (parts, total) in enumerate(_lines(display)):
        for cell in parts:
            if cell in where:
                matrix[e, where[cell]] = 1
        if total in where:
            matrix[e, where[total]] = -1
    rank = np.linalg.matrix_rank(matrix)
    fixed = set()
    for cell, i in where.items():
        probe = np.zeros((1, len(hidden)))
        probe[0, i] = 1
        # The cell is fixed when "this cell" is a combination of the equations.
        if np.linalg.matrix_rank(np.vstack([matrix, probe])) == rank:
            fixed.add(cell)
    return fixed


def assert_safe(result, table: pd.DataFrame, threshold: int = 10) -> None:
    assert peel(result.display, result.mask) == {}
    assert solvable_by_algebra(result.display, result.mask) == set()
    small = (table > 0) & (table < threshold)
    for row, col in zip(*np.nonzero(small.to_numpy())):
        assert result.mask.loc[table.index[row], table.columns[col]]


# --- tests ------------------------------------------------------------------------------------

def test_attacker_recovers_a_cell_hidden_without_complements():
    # Proves the attacker works: hide only the small cell and the totals give it away.
    everything = suppress_counts(SURVEY, threshold=1).display  # threshold 1 hides nothing
    naive = everything == "never"
    naive.loc["Grade 7", "Agree"] = True
    recovered = peel(everything.mask(naive, "?"), naive)
    assert recovered == {("Grade 7", "Agree"): 3}


def test_small_counts_hidden_with_reason_and_large_ones_shown():
    result = suppress_counts(SURVEY)
    assert result.display.loc["Grade 7", "Agree"] == "<10"
    assert result.display.loc["Grade 8", "Disagree"] == "<10"
    assert result.reasons.loc["Grade 7", "Agree"] == "Hidden: fewer than 10 people"
    assert result.display.loc["Total", "Total"] == SURVEY.to_numpy().sum()
    assert result.display.loc["Grade 6", "Disagree"] == 30


def test_complementary_cells_hidden_in_the_same_row_and_column():
    result = suppress_counts(SURVEY)
    complements = result.mask & (result.reasons == COMPLEMENT_REASON)
    # Row Grade 7 and column Agree each need a second hidden cell beside the 3.
    assert complements.loc["Grade 7"].any()
    assert complements["Agree"].any()
    assert (result.display[complements] == "—").sum().sum() == complements.sum().sum()
    assert result.notes() == [primary_reason(10), COMPLEMENT_REASON]


def test_no_hidden_cell_can_be_recovered_from_the_displayed_table():
    assert_safe(suppress_counts(SURVEY), SURVEY)


def test_cell_joining_two_blocks_of_hidden_cells_is_protected():
    # Hiding "a second cell in every line" alone leaves (row 1, last column) solvable by
    # adding and subtracting whole lines; the result must close that gap too.
    table = pd.DataFrame([[30, 20, 2, 0, 15], [8, 30, 30, 12, 5],
                          [20, 20, 15, 30, 12], [12, 12, 30, 5, 30]])
    assert_safe(suppress_counts(table), table)


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_safe(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 7)), int(rng.integers(1, 6)))
    table = pd.DataFrame(rng.choice([0, 1, 3, 7, 9, 10, 14, 25, 60], size=shape))
    assert_safe(suppress_counts(table), table)


@pytest.mark.parametrize("row_totals, column_totals", [(True, False), (False, True)])
def test_one_kind_of_totals_is_safe(row_totals, column_totals):
    result = suppress_counts(SURVEY, row_totals=row_totals, column_totals=column_totals)
    assert ("Total" in result.display.columns) == row_totals
    assert ("Total" in result.display.index) == column_totals
    assert_safe(result, SURVEY)


def test_single_count_column_hides_a_second_group():
    table = pd.DataFrame({"teachers": [6, 40, 31, 12]}, index=["Art", "Math", "ELA", "Music"])
    result = suppress_counts(table)
    assert list(result.display.columns) == ["teachers"]  # no row totals for one column
    assert result.display.loc["Art", "teachers"] == "<10"
    # The next-smallest group goes too, or the total would give Art away.
    assert result.display.loc["Music", "teachers"] == "—"
    assert result.display.loc["Total", "teachers"] == 89
    assert_safe(result, table)


def test_threshold_is_configurable():
    at_five = suppress_counts(SURVEY, threshold=5)
    assert at_five.display.loc["Grade 7", "Agree"] == "<5"
    assert (at_five.reasons == primary_reason(5)).sum().sum() == 1  # the 8 is no longer small
    assert at_five.reasons.loc["Grade 7", "Agree"] == "Hidden: fewer than 5 people"
    assert_safe(at_five, SURVEY, threshold=5)
    at_twenty = suppress_counts(SURVEY, threshold=20)
    assert at_twenty.display.loc["Grade 6", "Neutral"] == "<20"
    assert_safe(at_twenty, SURVEY, threshold=20)


def test_zero_counts_are_shown_and_not_used_as_cover():
    table = pd.DataFrame({"yes": [4, 30, 25], "no": [0, 12, 18], "unsure": [20, 11, 15]},
                         index=["a", "b", "c"])
    result = suppress_counts(table)
    assert result.display.loc["a", "no"] == 0
    # Row a needs a second hidden cell: the 20, not the zero (a zero would pin the 4).
    assert result.display.loc["a", "unsure"] == "—"
    assert_safe(result, table)


def test_tiny_table_is_hidden_entirely():
    table = pd.DataFrame({"yes": [1, 3], "no": [2, 2]}, index=["a", "b"])
    result = suppress_counts(table)
    assert result.mask.to_numpy().all()
    assert result.hidden_count == 9


def test_total_at_or_above_threshold_survives_when_everything_else_is_small():
    table = pd.DataFrame({"yes": [2, 3], "no": [1, 4]}, index=["a", "b"])
    result = suppress_counts(table)
    assert result.display.loc["Total", "Total"] == 10
    assert result.hidden_count == 8
    assert_safe(result, table)


@pytest.mark.parametrize("value, words", [(-2, "holds -2"), (2.5, "holds 2.5"),
                                          (None, "is empty"), ("12", "holds '12'"),
                                          (float("inf"), "holds inf"),
                                          (np.float32("inf"), "holds inf")])
def test_bad_count_names_the_cell(value, words):
    table = pd.DataFrame({"yes": [12, value]}, index=["a", "b"], dtype=object)
    with pytest.raises(SuppressionError, match=words) as caught:
        suppress_counts(table)
    assert "Row 'b', column 'yes'" in str(caught.value)


def test_existing_total_row_is_refused_with_advice():
    table = pd.crosstab(pd.Series(["a", "b", "a"], name="g"), pd.Series(["x", "y", "y"]),
                        margins=True)
    with pytest.raises(SuppressionError, match="already has a row named 'All'"):
        suppress_counts(table)


@pytest.mark.parametrize("threshold", [0, -1, 2.5, True])
def test_bad_threshold_is_refused(threshold):
    with pytest.raises(SuppressionError, match="threshold"):
        suppress_counts(SURVEY, threshold=threshold)


def test_multi_level_groups_are_flattened():
    people = pd.DataFrame({"school": ["N"] * 14 + ["S"] * 12, "grade": [6, 7] * 13,
                           "answer": ["yes", "no"] * 10 + ["yes"] * 6})
    table = pd.crosstab([people["school"], people["grade"]], people["answer"])
    result = suppress_counts(table)
    assert "N / 6" in result.display.index
    assert_safe(result, table.set_axis(result.display.index[:-1]))


# --- statistics by group --------------------------------------------------------------------

RESPONSES = pd.DataFrame({
    "school": ["North"] * 12 + ["South"] * 4 + ["East"] * 10,
    "score": list(range(1, 13)) + [4, 4, 5, 5] + [3] * 9 + [None],
    "agree": [True] * 9 + [False] * 3 + [True] * 4 + [True, False] * 5,
})


def test_group_mean_hidden_for_small_groups():
    result = suppress_groups(RESPONSES, "school", "score")
    assert result.display.loc["North", "score"] == 6.5
    assert result.display.loc["North", "n"] == 12
    assert result.display.loc["South", "score"] == "<10"
    assert result.display.loc["South", "n"] == "<10"
    assert result.reasons.loc["South", "score"] == "Hidden: fewer than 10 people"
    # East has 10 people but only 9 scores: the mean describes 9 people, so it is hidden.
    assert result.display.loc["East", "n"] == 10
    assert result.display.loc["East", "score"] == "<10"


def test_percent_agree_and_threshold():
    result = suppress_groups(RESPONSES, ["school"], ["agree"], agg="percent", threshold=4)
    assert result.display.loc["North", "agree"] == 75.0
    assert result.display.loc["South", "agree"] == 100.0
    assert result.display.loc["East", "agree"] == 50.0
    assert not result.mask.to_numpy().any()


def test_group_errors_name_the_column():
    with pytest.raises(SuppressionError, match="no column 'grade'.*school"):
        suppress_groups(RESPONSES, "grade", "score")
    with pytest.raises(SuppressionError, match=r"'score' holds 2.0 \(row 1\)"):
        suppress_groups(RESPONSES, "school", "score", agg="percent")


def test_importing_suppression_alone_leaves_pandera_out():
    # Suppressing a table needs pandas only; pandera (for checking datasets) loads on use.
    code = "import sys, tlkit.data.suppression; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
