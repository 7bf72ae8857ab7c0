"""Checked activities: the activity files (tlkit.course.checks) and what a learner reads when a
form is reviewed (tlkit.course.forms.review_form): hints that teach and never give the key, near
misses named for percents typed as a teacher types them, and stored digests that agree with the
key the grade cells' hidden tests spell out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from support import ROOT

from tlkit.course import checks
from tlkit.course.answers import save_activity
from tlkit.course.checks import (ActivityError, CheckFailed, accepted_digests, box_html,
                                 label_of, load_activity)
from tlkit.course.forms import fail_if_unanswered, review_form, score_form
from tlkit.ops.form_scores import score_call

KEY_A = {"Q1": "clarifying", "Q2": "probing", "Q3": "advice", "Q4": "clarifying", "Q5": "probing"}
KEY_B = {"exact_agreement_percent": 50.0, "within_one_percent": 83.33}
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", re.S)
ACTIVITY_FILES = sorted({*checks.ACTIVITIES_DIR.glob("*.yaml"),
                         *ROOT.glob("modules/*/activities/*.yaml")})


def _form(key) -> dict[str, str]:
    """A key as a form holds it: text, as chosen or typed."""
    return {item: str(value) for item, value in key.items()}


def _clarify():
    return load_activity("clarify_probe")


def _agreement():
    return load_activity("agreement")


# --- labels: what is missing, what to reconsider, and what never shows ------------------------

def test_a_blank_form_says_which_items_have_no_answer_yet():
    result = review_form(_clarify(), {q: "" for q in KEY_A})
    assert not result.all_right and (result.right, result.total) == (0, 5)
    assert result.missing == ["Q1, Q2, Q3, Q4 and Q5 have no answer yet."]
    assert result.lines() == result.missing
    assert review_form(_clarify(), {}).missing == result.missing


def test_a_partly_answered_form_names_the_blank_and_says_the_rest_fits():
    result = review_form(_clarify(), {**KEY_A, "Q4": ""})
    assert (result.right, result.reconsider) == (4, [])
    assert result.lines() == ["Q4 has no answer yet.", "The answers you have given so far fit."]


def test_an_answer_that_is_not_a_label_is_named_not_counted():
    # Only a hand-edited answers file can hold one: the form offers the labels alone.
    result = review_form(_clarify(), {**KEY_A, "Q2": "advise"})
    assert result.right == 4 and not result.all_right
    assert result.missing == ["Q2: “advise” is not one of the choices."]


def test_three_wrong_labels_are_named_with_hints_that_teach():
    result = review_form(_clarify(), {**KEY_A, "Q1": "probing", "Q3": "probing",
                                      "Q5": "clarifying"})
    assert result.missing == [] and result.right == 2 and not result.all_right
    lines = result.lines()
    assert "Worth another look (3 of 5):" in lines
    flagged = [line.split(":")[0] for line in lines if re.match(r"Q\d:", line)]
    assert flagged == ["Q1", "Q3", "Q5"]
    q1 = next(line for line in lines if line.startswith("Q1:"))
    assert "quick fact" in q1 and "already knows" in q1           # what clarifying means
    q3 = next(line for line in lines if line.startswith("Q3:"))
    assert "asker's own" in q3 and "advice" not in q3              # what advice means
    q5 = next(line for line in lines if line.startswith("Q5:"))
    assert "think" in q5                                           # what probing means


def test_a_hint_can_answer_the_label_that_was_given():
    result = review_form(_clarify(), {**KEY_A, "Q2": "advice in disguise"})
    assert result.reconsider == [
        "Q2: Does the question carry an idea of what she should do, or does it leave the "
        "thinking to her? Advice in disguise is a suggestion phrased as a question."]
    other = review_form(_clarify(), {**KEY_A, "Q2": "clarifying"})
    assert other.reconsider[0].startswith("Q2: Does the presenter already know the answer")


@pytest.mark.parametrize("with_key", [False, True])
def test_feedback_never_prints_the_key(with_key):
    # However an answer is wrong, no line pairs an item with its right label.
    key = KEY_A if with_key else None
    text = "\n".join(line for wrong in ("probing", "advice", "clarifying")
                     for line in review_form(_clarify(), {q: wrong for q in KEY_A},
                                             key=key).lines())
    assert text.count("Worth another look") == 3
    for item, label in KEY_A.items():
        assert not re.search(rf"{item}\W+(is|=|should be|answer)\W+{label}", text, re.I)
    assert "Q3 is advice" not in text and '"Q1": "clarifying"' not in text


def test_all_right_and_spellings_are_accepted():
    values = {**KEY_A, "Q1": " Clarifying question. ", "Q3": "Advice in disguise",
              "Q5": "PROBING"}
    result = review_form(_clarify(), values)
    assert result.all_right and result.lines() == ["All your answers fit. Well done."]
    assert review_form(_clarify(), values, key=KEY_A).points(3) == 3
    assert label_of(_clarify(), "  advise IN disguise!") == "advice"
    assert label_of(_clarify(), "a question") is None


def test_the_hidden_key_decides_when_it_is_given():
    # Grading scores against the grade cell's key, not the digests in the learner's copy.
    other_key = {**KEY_A, "Q3": "probing"}
    result = review_form(_clarify(), _form(KEY_A), key=other_key)
    assert (result.right, result.points(3)) == (4, 2.4)
    assert [line.split(":")[0] for line in result.reconsider] == ["Q3"]
    assert "carries the asker's own plan" in result.reconsider[0]
    assert review_form(_clarify(), _form(other_key), key=other_key).all_right


# --- percents: typed as a teacher types them, near misses named -------------------------------

@pytest.mark.parametrize(("typed", "flagged", "words"), [
    ({"exact_agreement_percent": "3", "within_one_percent": "83.3"}, ["Exact agreement"],
     "not a percent"),
    ({"exact_agreement_percent": "0.5", "within_one_percent": "83.3"}, ["Exact agreement"],
     "fraction"),
    ({"exact_agreement_percent": "50", "within_one_percent": "33.3 %"},
     ["Within-one agreement"], "include the exact matches"),
    ({"exact_agreement_percent": "50%", "within_one_percent": "100"}, ["Within-one agreement"],
     "two levels does not count"),
    ({"exact_agreement_percent": "5", "within_one_percent": "0.83"}, ["Exact agreement",
                                                                      "Within-one agreement"],
     "Multiply by 100"),
    ({"exact_agreement_percent": "40", "within_one_percent": "60"}, ["Exact agreement",
                                                                     "Within-one agreement"],
     "divide by"),
])
def test_percents_say_which_one_is_off_with_a_counting_hint(typed, flagged, words):
    result = review_form(_agreement(), typed)
    assert result.missing == []
    assert [line.split(":")[0] for line in result.reconsider] == flagged
    assert words in " ".join(result.reconsider)
    assert "50" not in " ".join(result.reconsider) and "83" not in " ".join(result.reconsider)


def test_a_fraction_of_one_with_no_near_miss_is_still_called_a_fraction():
    result = review_form(_agreement(), {"exact_agreement_percent": "0.25",
                                        "within_one_percent": "83"})
    assert result.reconsider == ["Exact agreement: 0.25 looks like a fraction of one. Give the "
                                 "share as a percent: multiply by 100."]


@pytest.mark.parametrize("within", ["83", "83.3", "83.33", "83.3%", "83 %", "83,3",
                                    "83.3 percent", " 84 ", "83.33333333333333"])
def test_rounded_percents_are_accepted(within):
    values = {"exact_agreement_percent": "50", "within_one_percent": within}
    assert review_form(_agreement(), values).all_right
    assert review_form(_agreement(), values, key=KEY_B).all_right


@pytest.mark.parametrize("within", ["82", "85", "8.33"])
def test_a_percent_more_than_one_off_is_not_accepted(within):
    result = review_form(_agreement(), {"exact_agreement_percent": "50",
                                        "within_one_percent": within})
    assert result.right == 1 and [r.split(":")[0] for r in result.reconsider] == [
        "Within-one agreement"]
    assert result.points(2) == 1.0


@pytest.mark.parametrize(("typed", "says"), [
    (None, "Exact agreement has no answer yet."),
    ("   ", "Exact agreement has no answer yet."),
    ("half", "Exact agreement: “half” is not a number."),
    ("True", "Exact agreement: “True” is not a number."),
    ("1/2", "Exact agreement: “1/2” is a fraction."),
    ("150", "Exact agreement: 150 is not a percent; a percent is between 0 and 100."),
    ("-5", "Exact agreement: -5 is not a percent"),
])
def test_a_percent_that_is_not_one_is_a_sentence_not_a_crash(typed, says):
    result = review_form(_agreement(), {"exact_agreement_percent": typed,
                                        "within_one_percent": "83"})
    assert result.right == 1 and result.reconsider == []
    assert result.missing[0].startswith(says)
    assert result.lines()[0] == result.missing[0]


# --- the graded cell and nbgrader's Validate --------------------------------------------------

def test_the_hidden_test_reads_the_answers_file_and_fails_with_sentences(tmp_path, monkeypatch,
                                                                        capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    save_activity("clarify_probe", {**KEY_A, "Q3": "probing"}, tmp_path)
    with pytest.raises(CheckFailed, match="Q3: .*carries the asker's own plan") as failed:
        score_form("clarify_probe", KEY_A)
    assert "probing" not in str(failed.value).split("Q3:")[0]
    assert isinstance(failed.value, AssertionError)
    # What Jupyter (and nbgrader's Validate) shows instead of a traceback.
    assert failed.value._render_traceback_() == str(failed.value).splitlines()
    save_activity("clarify_probe", KEY_A, tmp_path)
    score_form("clarify_probe", KEY_A)
    assert capsys.readouterr().out == "All your answers fit. Well done.\n"


def test_the_hidden_test_grades_percents_as_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    save_activity("agreement", {"exact_agreement_percent": "50 %",
                                "within_one_percent": "66.7"}, tmp_path)
    with pytest.raises(CheckFailed, match="Within-one agreement"):
        score_form("agreement", KEY_B)
    save_activity("agreement", {"exact_agreement_percent": "50 %",
                                "within_one_percent": "83.3%"}, tmp_path)
    score_form("agreement", KEY_B)


@pytest.mark.parametrize(("values", "sentence"), [
    ({}, "Q1, Q2, Q3, Q4 and Q5 have no answer yet."),
    ({**KEY_A, "Q4": ""}, "Q4 has no answer yet."),
    ({**KEY_A, "Q2": "advise"}, "Q2: “advise” is not one of the choices."),
])
def test_validating_a_blank_or_unreadable_form_fails_with_one_sentence(tmp_path, values,
                                                                       sentence):
    if values:
        save_activity("clarify_probe", values, tmp_path)
    with pytest.raises(CheckFailed) as failed:
        fail_if_unanswered("clarify_probe", tmp_path)
    assert str(failed.value) == sentence
    # complete but wrong passes: correctness is left to the hidden tests
    save_activity("clarify_probe", {**KEY_A, "Q3": "probing", "Q4": "clarifying",
                                    "Q2": "probing"}, tmp_path)
    fail_if_unanswered("clarify_probe", tmp_path)


# --- activity files -----------------------------------------------------------------------------

def _write(folder: Path, activity_id: str, text: str) -> None:
    (folder / "activities").mkdir(exist_ok=True)
    (folder / "activities" / f"{activity_id}.yaml").write_text(text, "utf-8")


def test_an_activity_beside_the_notebook_loads_without_answers(tmp_path):
    digest = accepted_digests("labels", "s-1", "A1", "yes")[0]
    _write(tmp_path, "local_one", f"id: local_one\nkind: labels\nsalt: s-1\n"
                                  f"labels:\n  'yes': {{spellings: [y]}}\n  'no': {{}}\n"
                                  f"items:\n  A1:\n    accepted: [{digest}]\n"
                                  f"    hint: Think again.\n")
    activity = load_activity("local_one", here=tmp_path)
    assert activity.answers == () and activity.label_names() == "yes or no"
    assert review_form(activity, {"A1": "Y"}).all_right
    assert review_form(activity, {"A1": "no"}).reconsider == ["A1: Think again."]


def test_the_kits_own_activity_wins_over_a_file_beside_the_notebook(tmp_path):
    _write(tmp_path, "clarify_probe", "id: clarify_probe\nkind: labels\n")
    assert load_activity("clarify_probe", here=tmp_path).path == (
        checks.ACTIVITIES_DIR / "clarify_probe.yaml")


@pytest.mark.parametrize(("text", "words"), [
    ("id: broken\nitems: [\n", "broken.yaml"),
    ("id: other\nkind: labels\n", "its id is 'other'; make it 'broken'"),
    ("id: broken\nkind: essay\nsalt: s\nitems: {A: {accepted: [x], hint: h}}\n",
     "kind 'essay' should be one of labels, percents"),
    ("id: broken\nkind: percents\nsalt: s\nitems: {A: {hint: h}}\n",
     "item A: 'accepted'"),
    ("id: broken\nkind: percents\nsalt: s\nitems: {A: {accepted: [x]}}\n",
     "item A's 'hint' is missing"),
])
def test_a_broken_activity_file_is_named_with_its_fix(tmp_path, text, words):
    _write(tmp_path, "broken", text)
    with pytest.raises(ActivityError) as failed:
        load_activity("broken", here=tmp_path)
    assert words in str(failed.value)


def test_a_missing_activity_or_a_bad_id_is_a_sentence(tmp_path):
    with pytest.raises(ActivityError, match="no activity called 'nowhere'"):
        load_activity("nowhere", here=tmp_path)
    with pytest.raises(ActivityError, match="is not an activity id"):
        load_activity("../clarify_probe", here=tmp_path)


def test_every_activity_file_in_the_kit_loads_and_holds_no_plain_answers():
    assert len(ACTIVITY_FILES) >= 2 + 7
    for path in ACTIVITY_FILES:
        data = yaml.safe_load(path.read_text("utf-8"))
        assert data["id"] == path.stem
        activity = load_activity(path.stem, here=path.parent.parent)
        assert activity.path.resolve() == path.resolve() and activity.items
        for item_id, item in data["items"].items():
            assert set(item) <= {"name", "accepted", "hint", "hints", "near"}, (path.name, item_id)
            assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in item["accepted"])


def test_box_is_plain_escaped_and_announced():
    html = box_html("note", ["Q1 says '<b>', which is not one of the three labels."])
    assert 'role="status"' in html and "&lt;b&gt;" in html and "<b>" not in html
    assert box_html("done", ["All your answers fit. Well done."]).count("<p ") == 1


# --- the key: digests in the activity files agree with the hidden tests -----------------------

def _hidden_keys() -> list[tuple[Path, str, dict]]:
    """Every score_form(activity, {key}) in a module notebook's hidden tests, read as data."""
    found = []
    for path in sorted(ROOT.glob("modules/*/*.ipynb")):
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            for block in HIDDEN.findall("".join(cell["source"])):
                scored = score_call(block)
                assert scored, f"{path.name}: hidden tests with no literal score_form key"
                found.append((path, *scored))
    return found


def _another_answer(activity, answer):
    """A wrong answer for an item: another label, or a percent well away from the key."""
    if activity.kind == "labels":
        return next(label.name for label in activity.labels
                    if label.name != label_of(activity, answer))
    value = float(answer)
    return str(value - 10 if value > 50 else value + 10)


def test_every_hidden_key_matches_its_activity_digests():
    keys = _hidden_keys()
    assert {activity for _, activity, _ in keys} >= {"clarify_probe", "agreement",
                                                      "contact_hours", "active_minutes"}
    keyed = set()
    for path, activity_id, key in keys:
        activity = load_activity(activity_id, here=path.parent)
        keyed.add(activity.path.resolve())
        assert {item.id for item in activity.items} == set(key), activity_id
        assert review_form(activity, _form(key)).all_right, \
            f"{path.name}: {activity_id} digests drifted from the hidden key"
        assert review_form(activity, _form(key), key=key).all_right
        for item in activity.items:     # and the digests do not accept just anything
            wrong = {**_form(key), item.id: _another_answer(activity, key[item.id])}
            result = review_form(activity, wrong)
            assert result.right == result.total - 1, (activity_id, item.id)
            assert review_form(activity, wrong, key=key).right == result.total - 1
    assert {p.resolve() for p in ACTIVITY_FILES} <= keyed, "an activity has no hidden key"


# --- hints point at the reasoning and never name their own item's answer ----------------------

def _answer_words(activity, answer) -> set[str]:
    """The words that would give an item's answer away: a label's name and its spellings (the
    very short ones, such as 'in' or 'no', are everyday words), or a percent as written."""
    if activity.kind == "percents":
        value = float(answer)
        return {f"{value:g}", str(round(value, 2)), str(checks.whole_percent(value))}
    label = next(label for label in activity.labels if label.name == label_of(activity, answer))
    return {word for word in (label.name, label.name.replace("-", " "), *label.spellings)
            if len(word) >= 4}


def test_no_hint_names_its_own_items_answer():
    named = []
    for path, activity_id, key in _hidden_keys():
        activity = load_activity(activity_id, here=path.parent)
        for item in activity.items:
            hints = [item.hint, *item.hints.values(), *(hint for _, _, hint in item.near)]
            for word in _answer_words(activity, key[item.id]):
                # A whole word or number: "model" is not in "modelling", 16 is not in 16.5.
                pattern = re.compile(rf"(?<![\w.]){re.escape(word)}(?!\w|\.\d)", re.I)
                named += [f"{path.parent.name}/{activity_id} {item.id} ({word!r}): {hint}"
                          for hint in hints if pattern.search(hint)]
    assert not named, "hints that name their own answer:\n" + "\n".join(named)
