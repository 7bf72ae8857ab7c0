"""Agreement statistics checked against tables worked out by hand (and Cohen's 1960 example)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tlkit.practice.calibration import (MAX_OBSERVERS, MAX_UPLOAD_BYTES, CalibrationError,
                               check_scores, cohen_kappa, compare, contingency_table,
                               exact_agreement, landis_koch, linear_weights, merge_score_rows,
                               read_scores_csv, scores_from_rows, summarise_pairs, weights_text,
                               within_one_agreement)
from tlkit.practice.observation import load_episode, load_rubric

RUBRIC = load_rubric("student-led-discussion")
IDS = list(RUBRIC.look_for_ids)   # six look-fors, levels 1-4


def _from_table(table):
    """Two raters' score lists that produce this table (rows = first rater, cols = second)."""
    first, second = [], []
    for i, row in enumerate(table, start=1):
        for j, count in enumerate(row, start=1):
            first += [i] * count
            second += [j] * count
    return first, second


# --- A 4-level, 2-rater table worked by hand ----------------------------------------------
# Items:  A = 1 2 2 3 3 3 4 4 2 3
#         B = 1 2 3 3 2 4 4 3 2 3
# Table (rows A, cols B):      B1 B2 B3 B4 | row
#                         A1 [  1  0  0  0 ]  1
#                         A2 [  0  2  1  0 ]  3
#                         A3 [  0  1  2  1 ]  4
#                         A4 [  0  0  1  1 ]  2
#                        col    1  3  4  2   n = 10
# Exact: diagonal 1+2+2+1 = 6 -> 6/10 = 0.6.  Within one: every off-diagonal pair is 1 apart
# -> 10/10 = 1.0.
# Linear weights, k = 4: |i-j| = 0 -> 1, 1 -> 2/3, 2 -> 1/3, 3 -> 0.
# p_o (weighted) = (6*1 + 4*(2/3)) / 10 = (26/3)/10 = 26/30.
# p_e (weighted) = sum_ij w_ij * row_i * col_j / n^2:
#   row A1 (1): 1*1 + (2/3)*3 + (1/3)*4 + 0*2   = 13/3, times 1 = 13/3
#   row A2 (3): (2/3)*1 + 1*3 + (2/3)*4 + (1/3)*2 = 7,  times 3 = 63/3
#   row A3 (4): (1/3)*1 + (2/3)*3 + 1*4 + (2/3)*2 = 23/3, times 4 = 92/3
#   row A4 (2): 0*1 + (1/3)*3 + (2/3)*4 + 1*2   = 17/3, times 2 = 34/3
#   total 202/3, / 100 -> p_e = 202/300
# kappa_w = (260/300 - 202/300) / (1 - 202/300) = 58/98 = 29/49 ≈ 0.592
# Unweighted: p_o = 0.6; p_e = (1*1 + 3*3 + 4*4 + 2*2)/100 = 0.30; kappa = 0.3/0.7 = 3/7.
HAND_A = [1, 2, 2, 3, 3, 3, 4, 4, 2, 3]
HAND_B = [1, 2, 3, 3, 2, 4, 4, 3, 2, 3]


def test_contingency_table_matches_hand_count():
    assert contingency_table(HAND_A, HAND_B, (1, 2, 3, 4)).tolist() == [
        [1, 0, 0, 0], [0, 2, 1, 0], [0, 1, 2, 1], [0, 0, 1, 1]]


def test_table_keeps_levels_nobody_used():
    table = contingency_table([2, 3], [3, 3], (1, 2, 3, 4))
    assert table.shape == (4, 4)
    assert table[0].sum() == 0 and table[:, 3].sum() == 0


def test_linear_weights_for_four_levels():
    w = linear_weights(4)
    assert w[0].tolist() == pytest.approx([1, 2 / 3, 1 / 3, 0])
    assert w[2].tolist() == pytest.approx([1 / 3, 2 / 3, 1, 2 / 3])


def test_weighted_kappa_matches_hand_computation():
    k = cohen_kappa(HAND_A, HAND_B, (1, 2, 3, 4))
    assert k.p_observed == pytest.approx(26 / 30)
    assert k.p_expected == pytest.approx(202 / 300)
    assert k.value == pytest.approx(29 / 49)
    assert k.band == "moderate"                 # .41-.60


def test_unweighted_kappa_matches_hand_computation():
    k = cohen_kappa(HAND_A, HAND_B, (1, 2, 3, 4), weighted=False)
    assert k.p_observed == pytest.approx(0.6)
    assert k.p_expected == pytest.approx(0.3)
    assert k.value == pytest.approx(3 / 7)


def test_exact_and_within_one_match_hand_count():
    assert exact_agreement(HAND_A, HAND_B) == pytest.approx(0.6)
    assert within_one_agreement(HAND_A, HAND_B) == pytest.approx(1.0)
    # Within one INCLUDES exact: 2 apart is the only kind of pair left out.
    assert within_one_agreement([1, 1, 4], [1, 3, 3]) == pytest.approx(2 / 3)


def test_cohen_1960_published_example():
    # Cohen (1960), Table 1, 200 items in 3 categories, as counts:
    #   [88 14 18]  row .60        p_o = (88+40+12)/200 = .70
    #   [10 40 10]  row .30        p_e = .60*.50 + .30*.30 + .10*.20 = .41
    #   [ 2  6 12]  row .10        kappa = (.70-.41)/(1-.41) = .29/.59 ≈ .492
    #   cols .50 .30 .20
    first, second = _from_table([[88, 14, 18], [10, 40, 10], [2, 6, 12]])
    k = cohen_kappa(first, second, (1, 2, 3), weighted=False)
    assert k.p_observed == pytest.approx(0.70)
    assert k.p_expected == pytest.approx(0.41)
    assert round(k.value, 3) == 0.492


def test_high_agreement_can_still_give_low_kappa():
    # 10 items, 8 both 3; one (2,3) and one (3,2). Exact 80%.
    # Margins both: level 2 = .1, level 3 = .9.
    # Unweighted p_e = .1*.1 + .9*.9 = .82 -> kappa = (.80-.82)/.18 = -1/9.
    # Weighted: p_o = (8 + 2*(2/3))/10 = 28/30; p_e = .01 + .81 + 2*(.09*2/3) = .94
    #           kappa = (28/30 - .94)/.06 = -1/9 as well.
    a = [3] * 8 + [2, 3]
    b = [3] * 8 + [3, 2]
    assert exact_agreement(a, b) == pytest.approx(0.8)
    assert cohen_kappa(a, b, (1, 2, 3, 4), weighted=False).value == pytest.approx(-1 / 9)
    k = cohen_kappa(a, b, (1, 2, 3, 4))
    assert k.value == pytest.approx(-1 / 9)
    assert k.band.startswith("poor")


def test_no_variation_gives_a_sentence_not_nan():
    k = cohen_kappa([3] * 6, [3] * 6, (1, 2, 3, 4))
    assert k.value is None
    assert "same score (3)" in str(k) and "100%" in str(k)
    assert "nan" not in str(k).lower()


def test_kappa_needs_two_items_scored_by_both():
    k = cohen_kappa([3, None, 2], [3, 4, None], (1, 2, 3, 4))
    assert k.value is None and k.n == 1
    assert "at least 2" in k.reason


def test_kappa_called_directly_with_scores_off_the_levels_says_which_item_and_rater():
    with pytest.raises(CalibrationError) as caught:
        cohen_kappa([1, 2, 7, 3], [1, 2, 3, "three"], (1, 2, 3, 4))
    assert caught.value.problems == [
        "Item 3: the first rater's score 7 is not one of the levels 1, 2, 3, 4; correct it "
        "or leave it blank.",
        "Item 4: the second rater's score 'three' is not one of the levels 1, 2, 3, 4; "
        "correct it or leave it blank.",
    ]
    with pytest.raises(CalibrationError, match="score 2.5 is not one of the levels"):
        cohen_kappa([1, 2, 2.5], [1, 2, 2], (1, 2, 3, 4))     # not silently cut to 2
    with pytest.raises(CalibrationError, match=r"different numbers of scores \(2 and 3\)"):
        cohen_kappa([1, 2], [1, 2, 3], (1, 2, 3, 4))
    with pytest.raises(CalibrationError, match="'x' is not a whole number"):
        exact_agreement([1, "x"], [1, 2])
    # Blanks of every kind still drop out pairwise, as before.
    assert cohen_kappa([1, None, pd.NA, " ", 3, 2], [1, 2, 3, 4, float("nan"), 2],
                       (1, 2, 3, 4)).n == 2


@pytest.mark.parametrize("value, band", [
    (-0.05, "poor: below chance"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"),
    (0.40, "fair"), (0.41, "moderate"), (0.60, "moderate"), (0.61, "substantial"),
    (0.80, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect")])
def test_landis_koch_bands(value, band):
    assert landis_koch(value) == band


def test_weights_are_stated_in_words():
    text = weights_text((1, 2, 3, 4))
    assert "1 − |i − j| / (k − 1)" in text and "k = 4" in text
    assert "1 level apart 0.67" in text and "3 levels apart 0.00" in text


# --- The whole comparison ------------------------------------------------------------------

def _scores(rows: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=IDS)


REF = dict(zip(IDS, [3, 4, 2, 2, 3, 3]))


def test_compare_observer_vs_reference_and_pairs():
    report = compare(_scores({
        "Ana": [3, 4, 2, 2, 3, 3],      # identical to the reference
        "Ben": [4, 2, 3, 2, 3, 3],      # diffs 1, 2, 1, 0, 0, 0
    }), REF, RUBRIC)
    ana, ben = report.vs_reference
    assert (ana.exact, ana.within_one, ana.kappa.value) == (1.0, 1.0, pytest.approx(1.0))
    assert ben.exact == pytest.approx(3 / 6)
    assert ben.within_one == pytest.approx(5 / 6)
    (pair,) = report.pairs
    assert (pair.first, pair.second, pair.n) == ("Ana", "Ben", 6)
    assert pair.exact == pytest.approx(ben.exact)     # Ana is the reference, so same figures
    # Pooled: 12 score pairs, 9 identical.
    assert report.overall.n == 12 and report.overall.exact == pytest.approx(9 / 12)


def test_per_look_for_table_and_disagreement_ranking():
    report = compare(_scores({
        "Ana": [3, 2, 2, 2, 3, 3],
        "Ben": [3, 3, 4, 2, 3, 3],
        "Cy":  [4, 2, 3, 2, 3, 3],
    }), REF, RUBRIC)
    table = report.by_look_for.set_index("look_for_id")
    # build-challenge (ref 4): 2, 3, 2 -> diffs 2, 1, 2: mean 5/3, exact 0, within one 1/3.
    bc = table.loc["build-challenge"]
    assert bc.mean_abs_diff == pytest.approx(5 / 3)
    assert bc.exact == 0 and bc.within_one == pytest.approx(1 / 3)
    assert (bc.lowest, bc.highest, bc.spread) == (2, 3, 1)
    # distributed-talk (ref 2): 2, 4, 3 -> diffs 0, 2, 1: mean 1, spread 2.
    assert table.loc["distributed-talk"].mean_abs_diff == pytest.approx(1.0)
    assert table.loc["distributed-talk"].spread == 2
    # Distance from the reference: build-challenge (5/3), distributed-talk (1), text-evidence
    # (1/3); the three look-fors everyone matched are not listed.
    assert [s.split(":")[0] for s in report.from_reference] == [
        "Build / challenge", "Shared talk", "Text evidence"]
    # Among observers the order differs: distributed-talk (2, 4, 3: SD 0.82, range 2, one
    # pair 2 apart) comes first, then text-evidence (3, 3, 4) and build-challenge (2, 3, 2),
    # both SD 0.47 and range 1, in rubric order. Build / challenge is furthest from the
    # reference but the observers nearly agree on it.
    assert report.among_observers == [
        "Shared talk: scores from 2 to 4 (SD 0.8); two or more levels apart in 1 of 3 pairs "
        "of observers.",
        "Text evidence: scores from 3 to 4 (SD 0.5); no two observers more than one level "
        "apart.",
        "Build / challenge: scores from 2 to 3 (SD 0.5); no two observers more than one "
        "level apart.",
    ]
    assert table.loc["distributed-talk"].sd == pytest.approx((2 / 3) ** 0.5)
    assert (table.loc["distributed-talk"].pairs, table.loc["distributed-talk"].pairs_two_apart) \
        == (3, 1)


def test_everyone_all_threes_gives_sentences_and_no_nan():
    report = compare(_scores({"Ana": [3] * 6, "Ben": [3] * 6}), dict.fromkeys(IDS, 3), RUBRIC)
    for item in [*report.vs_reference, *report.pairs, report.overall]:
        assert item.kappa.value is None and "same score (3)" in str(item.kappa)
        assert item.exact == 1.0
    assert report.among_observers == ["No disagreement among observers: everyone gave the "
                                      "same score on every look-for."]
    assert report.from_reference == ["Every observer gave the reference score on every "
                                     "look-for the reference covers."]


def test_missing_scores_are_excluded_and_reported():
    report = compare(_scores({"Ana": [3, 4, None, 2, 3, 3], "Ben": [3, 4, 2, 2, 3, 3]}),
                     REF, RUBRIC)
    ana = report.vs_reference[0]
    assert ana.n == 5 and ana.exact == 1.0
    assert any("Ana left 'Shared talk' blank" in m for m in report.messages)
    assert report.by_look_for.set_index("look_for_id").loc["distributed-talk"].observers == 1


def test_out_of_rubric_scores_are_all_listed_with_row_observer_and_look_for():
    with pytest.raises(CalibrationError) as caught:
        compare(_scores({"Ana": [5, 4, 2, 2, 3, 3], "Ben": [3, 0, 2, 2.5, 3, 3]}), REF, RUBRIC)
    problems = caught.value.problems
    assert len(problems) == 3
    assert "Row 1 (Ana)" in problems[0] and "Text evidence" in problems[0] and "5" in problems[0]
    assert "Row 2 (Ben)" in problems[1] and "Build / challenge" in problems[1]
    assert "2.5" in problems[2] and "1 to 4" in problems[2]


def test_single_observer_has_no_pairwise_figures():
    report = compare(_scores({"Ana": [3, 4, 2, 1, 3, 3]}), REF, RUBRIC)
    assert report.pairs == [] and len(report.vs_reference) == 1
    assert any("Only one observer" in m for m in report.messages)


def test_fewer_than_two_look_fors_scored():
    frame = pd.DataFrame({"text-evidence": [3, 2]}, index=["Ana", "Ben"])
    report = compare(frame, REF, RUBRIC)
    assert any("Only 1 look-for has scores" in m for m in report.messages)
    assert all(a.kappa.value is None for a in report.vs_reference + report.pairs)
    assert report.pairs[0].exact == 0.0


def test_group_only_comparison_without_reference():
    report = compare(_scores({"Ana": [3, 4, 2, 2, 3, 3], "Ben": [3, 4, 2, 2, 3, 1]}),
                     None, RUBRIC)
    assert report.vs_reference == [] and report.overall is None
    assert report.pairs[0].exact == pytest.approx(5 / 6)
    assert report.among_observers == ["Norms in use: scores from 1 to 3 (SD 1.0); two or "
                                      "more levels apart in 1 of 1 pairs of observers."]
    assert report.from_reference == [] and not report.with_reference


def test_partial_reference_ranks_covered_look_fors_first_and_never_prints_nan():
    # Reference only for text-evidence (3) and build-challenge (4).
    report = compare(_scores({"Ana": [3, 4, 2, 2, 3, 3], "Ben": [4, 2, 3, 2, 3, 1]}),
                     {"text-evidence": 3, "build-challenge": 4}, RUBRIC)
    assert report.from_reference == [
        "Build / challenge: on average 1.0 levels from the reference (4); 50% matched it "
        "exactly, 50% were within one level.",
        "Text evidence: on average 0.5 levels from the reference (3); 50% matched it exactly, "
        "100% were within one level.",
    ]
    assert [s.split(":")[0] for s in report.among_observers] == [
        "Build / challenge", "Norms in use", "Text evidence", "Shared talk"]
    table = report.by_look_for.set_index("look_for_id")
    assert str(table.reference.dtype) == "Int64"
    assert pd.isna(table.loc["norms-in-use"].reference)
    assert any("no score for 'Shared talk'" in m for m in report.messages)
    assert report.vs_reference[0].n == 2          # only the two covered look-fors


def test_reference_covering_no_scored_look_for_gives_group_figures_only():
    scores = _scores({"Ana": [None, None, 2, 2, 3, 3], "Ben": [None, None, 3, 2, 3, 1]})
    report = compare(scores, {"text-evidence": 3}, RUBRIC)
    assert report.vs_reference == [] and report.overall is None
    assert report.pairs[0].n == 4
    assert [s.split(":")[0] for s in report.among_observers] == ["Norms in use", "Shared talk"]
    assert report.from_reference == []
    assert not any("nan" in m.lower() for m in report.messages + report.among_observers)


def test_observer_names_differing_only_in_case_are_duplicates():
    with pytest.raises(CalibrationError) as caught:
        check_scores(pd.DataFrame({"text-evidence": [3, 2]}, index=["Ana", "ANA"]), RUBRIC)
    assert "Row 2: observer name 'ANA' is used twice" in caught.value.problems[0]


def test_check_scores_treats_spaces_as_blank_and_names_bad_text():
    clean = check_scores(pd.DataFrame({"text-evidence": ["  ", "3"]}, index=["Ana", "Ben"]),
                         RUBRIC)
    assert pd.isna(clean.loc["Ana", "text-evidence"]) and clean.loc["Ben", "text-evidence"] == 3
    with pytest.raises(CalibrationError) as caught:
        check_scores(pd.DataFrame({"norms-in-use": ["²", 2]}, index=["Ana", "Ben"]), RUBRIC)
    (problem,) = caught.value.problems
    assert problem.startswith("Row 1 (Ana)") and "'²'" in problem and "Norms in use" in problem


def test_reference_episode_is_on_the_rubric_scale():
    episode = load_episode("voting-age-discussion")
    report = compare(_scores({"Ana": [episode.reference[i] for i in IDS]}),
                     episode.reference, RUBRIC)
    assert report.vs_reference[0].exact == 1.0


# --- Reading a CSV from a form -------------------------------------------------------------

def test_read_scores_csv_by_id_name_and_form_grid_headers():
    csv = ("Timestamp,Observer,Text evidence,Score [Students build on or challenge each other's "
           "ideas],distributed-talk\n"
           "2026-03-04,Ana,3,4 - Student-owned,2\n"
           "2026-03-04,Ben,2,,3\n")
    scores = read_scores_csv(io.StringIO(csv), RUBRIC)
    assert list(scores.index) == ["Ana", "Ben"]
    assert scores.loc["Ana", "build-challenge"] == 4
    assert pd.isna(scores.loc["Ben", "build-challenge"])
    assert pd.isna(scores.loc["Ana", "norms-in-use"])          # column absent: blank
    assert scores.attrs["ignored_columns"] == ["Timestamp"]


def test_read_scores_csv_accepts_upload_bytes_with_byte_order_mark():
    data = "\ufeffobserver,text-evidence,norms-in-use\nAna,3,4\n".encode("utf-8")
    scores = read_scores_csv(data, RUBRIC)
    assert scores.loc["Ana", "norms-in-use"] == 4


def test_read_scores_csv_lists_every_problem_with_sheet_row_and_column():
    csv = ("observer,text-evidence,build-challenge\n"
           "Ana,3,5\n"          # row 2: 5 off the scale, column C
           ",2,2\n"             # row 3: no name, column A
           "Ana,three,2\n")     # row 4: Ana again; 'three' in column B
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(io.StringIO(csv), RUBRIC)
    problems = caught.value.problems
    assert len(problems) == 4
    assert problems[0].startswith("Row 2, column C") and "'5'" in problems[0]
    assert problems[1].startswith("Row 3, column A") and "blank" in problems[1]
    assert problems[2].startswith("Row 4, column A") and "row 2" in problems[2]
    assert problems[3].startswith("Row 4, column B") and "'three'" in problems[3]


def test_read_scores_csv_without_observer_or_look_for_columns():
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(io.StringIO("who,colour\nAna,blue\n"), RUBRIC)
    assert len(caught.value.problems) == 2
    assert "observer" in caught.value.problems[0]
    assert "text-evidence" in caught.value.problems[1]



def test_repeated_headers_are_reported_not_ignored():
    csv = "observer,text-evidence,text-evidence,Observer\nAna,3,4,Ana\n"
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(io.StringIO(csv), RUBRIC)
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("Column C ('text-evidence') repeats look-for")
    assert problems[1].startswith("Column D ('Observer') is a second observer column")


def test_blank_lines_are_skipped_and_row_numbers_match_the_sheet():
    csv = "observer,text-evidence\n\nAna,3\n,\n\nBen,9\n"
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(io.StringIO(csv), RUBRIC)
    (problem,) = caught.value.problems            # blank rows 2, 4, 5 are not problems
    assert problem.startswith("Row 6, column B")
    scores = read_scores_csv(io.StringIO(csv.replace("9", "2")), RUBRIC)
    assert list(scores.index) == ["Ana", "Ben"]


def test_repeated_observer_in_another_case_is_reported():
    with pytest.raises(CalibrationError, match=r"Row 3, column A: 'ANA' already appears in row 2"):
        read_scores_csv(io.StringIO("observer,text-evidence\nAna,3\nANA,2\n"), RUBRIC)


def test_windows_1252_file_from_excel_is_accepted(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes("observer,text-evidence\nJosé,3\nZoë,4\n".encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")         # the file really is not UTF-8
    scores = read_scores_csv(path, RUBRIC)
    assert list(scores.index) == ["José", "Zoë"]


def test_unreadable_csv_names_the_file(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("observer,text-evidence\nAna,3,4,5\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"ragged\.csv could not be read as CSV"):
        read_scores_csv(ragged, RUBRIC)
    with pytest.raises(CalibrationError, match=r"upload\.csv could not be read as CSV"):
        read_scores_csv(b"", RUBRIC, name="upload.csv")


# --- Grid rows -----------------------------------------------------------------------------

def test_scores_from_rows_skips_only_rows_with_neither_name_nor_score():
    frame = scores_from_rows([("Ana ", {"text-evidence": 3}), ("", {"text-evidence": None}),
                              ("", {"norms-in-use": 2}), ("Ben", {})], RUBRIC)
    assert list(frame.index) == ["Ana", "", "Ben"]
    assert frame.loc["Ana", "text-evidence"] == 3 and list(frame.columns) == IDS
    with pytest.raises(CalibrationError, match="Row 2: the observer has no name"):
        check_scores(frame, RUBRIC)


def test_merge_keeps_typed_rows_and_replaces_same_named_observers():
    current = [("Observer A", {}), ("Ana", {"text-evidence": 2}), ("Cy", {"text-evidence": 1}),
               ("", {})]
    uploaded = pd.DataFrame({"text-evidence": [4, 3], "norms-in-use": [None, 2]},
                            index=["ANA", "Dee"], dtype="Int64")
    merged = merge_score_rows(current, uploaded, placeholders=("Observer A",))
    assert merged.rows == [("ANA", {"text-evidence": 4, "norms-in-use": None}),
                           ("Cy", {"text-evidence": 1}),
                           ("Dee", {"text-evidence": 3, "norms-in-use": 2})]
    assert merged.updated == ["ANA"] and merged.added == ["Dee"]


def test_merge_keeps_a_placeholder_row_that_has_scores():
    merged = merge_score_rows([("Observer A", {"text-evidence": 2})],
                              pd.DataFrame({"text-evidence": [3]}, index=["Ana"]),
                              placeholders=("Observer A",))
    assert [name for name, _ in merged.rows] == ["Observer A", "Ana"]


# --- Other shapes of CSV, and limits ------------------------------------------------------

SHAPED = ("observer{0}text-evidence{0}norms-in-use{0}comment\n"
          "José{0}3{0}4{0}fine, really\nZoë{0}2{0}1{0}ok\n")


@pytest.mark.parametrize(("sep", "encoding"), [
    (";", "utf-8"), (";", "cp1252"), (";", "utf-8-sig"),
    ("\t", "utf-16"),          # Excel's "Unicode Text": UTF-16 LE with byte-order mark, tabs
    ("\t", "utf-16-le"), ("\t", "utf-16-be"), ("\t", "cp1252"),
])
def test_semicolon_tab_and_utf16_uploads_are_read(sep, encoding):
    scores = read_scores_csv(SHAPED.format(sep).encode(encoding), RUBRIC, name="scores.csv")
    assert list(scores.index) == ["José", "Zoë"]
    assert scores.loc["Zoë", "norms-in-use"] == 1
    assert scores.attrs["ignored_columns"] == ["comment"]


def test_a_file_that_is_not_text_gets_a_sentence_not_the_observer_advice():
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(b"PK\x03\x04" + bytes(100), RUBRIC, name="scores.csv")
    (problem,) = caught.value.problems
    assert "scores.csv is an Excel workbook" in problem and "CSV UTF-8" in problem
    with pytest.raises(CalibrationError, match="not a text file"):
        read_scores_csv(b"observer\x00\x00\x00,x\n\x01\x00\x00\x00", RUBRIC, name="x.csv")


def test_no_observer_column_names_the_headers_found():
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(b"Teacher|text-evidence\nAna|3\n", RUBRIC, name="scores.csv")
    assert "'Teacher|text-evidence'" in caught.value.problems[0]


def test_rows_of_spaces_and_tabs_are_blank_rows_not_observers():
    csv = "observer;text-evidence\nAna;3\n   ;  \n \t \nBen;2\n"
    scores = read_scores_csv(csv.encode(), RUBRIC)
    assert list(scores.index) == ["Ana", "Ben"]


def _many(observers: int) -> str:
    return "observer,text-evidence,norms-in-use\n" + "".join(
        f"Observer {n},{1 + n % 4},{1 + n * 7 % 4}\n" for n in range(observers))


def test_more_observers_than_the_limit_are_refused_with_the_limit_stated():
    assert len(read_scores_csv(_many(MAX_OBSERVERS).encode(), RUBRIC)) == MAX_OBSERVERS
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(_many(10_000).encode(), RUBRIC, name="everyone.csv")
    (problem,) = caught.value.problems
    assert "everyone.csv" in problem and "10000 observers" in problem
    assert f"at most {MAX_OBSERVERS}" in problem
    frame = pd.DataFrame({"text-evidence": [3] * (MAX_OBSERVERS + 1)},
                         index=[f"O{n}" for n in range(MAX_OBSERVERS + 1)])
    with pytest.raises(CalibrationError, match=f"at most {MAX_OBSERVERS} can be compared"):
        compare(frame, REF, RUBRIC)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path):
    big = b"observer,comment\n" + b"Ana," + b"x" * MAX_UPLOAD_BYTES + b"\n"
    with pytest.raises(CalibrationError) as caught:
        read_scores_csv(big, RUBRIC, name="big.csv")
    (problem,) = caught.value.problems
    assert problem.startswith("big.csv is 1.0 MB") and "at most 1 MB" in problem
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    with pytest.raises(CalibrationError, match="big.csv is 1.0 MB"):
        read_scores_csv(path, RUBRIC)


def test_pairs_of_a_large_group_are_summarised():
    # 20 observers; "Odd" disagrees with everyone on every look-for.
    rows = {f"O{n:02}": [3, 4, 2, 2, 3, 3] if n % 2 else [3, 4, 2, 3, 3, 3] for n in range(19)}
    rows["Odd"] = [1, 1, 4, 4, 1, 1]
    report = compare(_scores(rows), REF, RUBRIC)
    assert len(report.pairs) == 190
    summary = summarise_pairs(report.pairs)
    assert summary.pairs == 190
    # Pairs among the 19: 9*8/2 + 10*9/2 = 81 identical (exact 1), 90 differ on one look-for
    # (5/6); the 19 pairs with Odd match nothing (exact 0). Median of 190 values: 5/6.
    assert summary.exact_median == pytest.approx(5 / 6)
    assert summary.exact_range == (0.0, 1.0)
    assert len(summary.least_agreeing) == 5
    assert all("Odd" in (a.first, a.second) for a in summary.least_agreeing)
    # Odd against an odd-numbered observer: nothing within one level; those come first.
    assert summary.within_one_range[0] == 0.0
    assert all(a.within_one == 0.0 for a in summary.least_agreeing)
    assert summarise_pairs([]) is None
