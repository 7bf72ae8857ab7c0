"""Checked activities (tlkit.course.checks): formative feedback while studying, one plain sentence
while nbgrader grades, and an answer key that only the grade cell's hidden tests spell out."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from support import ROOT

from tlkit.course import checks
from tlkit.course.checks import (RUN_FIRST, ActivityError, CheckFailed, check_activity,
                                 expect_answers, load_activity, review)

KEY_A = {"Q1": "clarifying", "Q2": "probing", "Q3": "advice", "Q4": "clarifying", "Q5": "probing"}
KEY_B = {"exact_agreement_percent": 50, "within_one_percent": 500 / 6}
HIDDEN = re.compile(r"BEGIN HIDDEN TESTS(.*?)END HIDDEN TESTS", re.S)


@pytest.fixture
def shown(monkeypatch):
    """What check_activity puts on screen: a list of (kind, lines)."""
    boxes: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(checks, "_show", lambda kind, lines: boxes.append((kind, list(lines))))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return boxes


@pytest.fixture
def grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


def _labels(**changes):
    return {"clarifying_or_probing": {**KEY_A, **changes}}


# --- studying: never stops the notebook -------------------------------------------------------

@pytest.mark.parametrize("namespace", [
    {},                                                            # answer cell never run
    {"clarifying_or_probing": {q: "" for q in KEY_A}},             # the released blank
    _labels(Q2="porbing"),                                         # a misspelling
    {"clarifying_or_probing": ["clarifying"]},                     # the shape broken
    {"clarifying_or_probing": {"Q1": "clarifying"}},               # lines deleted
])
def test_studying_a_check_never_raises_and_says_what_to_do(shown, namespace):
    result = check_activity("clarify_probe", namespace)
    assert not result.complete
    [(kind, lines)] = shown
    assert kind == "note" and lines and all(line.strip() for line in lines)


def test_the_value_a_check_returns_shows_nothing_under_the_cell(shown):
    # The check's box says it all; a "Review(...)" line under it would be code talk.
    from IPython.core.interactiveshell import InteractiveShell

    result = check_activity("clarify_probe", {"clarifying_or_probing": {q: "" for q in KEY_A}})
    assert InteractiveShell.instance().display_formatter.format(result) == ({}, {})


def test_blank_answers_get_a_friendly_note(shown):
    check_activity("clarify_probe", {"clarifying_or_probing": {q: "" for q in KEY_A}})
    [(_, lines)] = shown
    assert lines[0] == ("Q1, Q2, Q3, Q4 and Q5 do not have a label yet. Type clarifying, "
                        "probing or advice between the quotes.")
    assert any("Nothing stops here" in line for line in lines)


def test_three_wrong_labels_are_named_with_hints_that_teach(shown):
    result = check_activity("clarify_probe", _labels(Q1="probing", Q3="probing", Q5="clarifying"))
    assert result.complete and not result.all_right
    [(_, lines)] = shown
    text = "\n".join(lines)
    assert "Every question has a label" not in text
    assert "Worth another look (3 of 5)" in text
    flagged = [line.split(":")[0] for line in lines if re.match(r"Q\d:", line)]
    assert flagged == ["Q1", "Q3", "Q5"]
    q1 = next(line for line in lines if line.startswith("Q1:"))
    assert "quick fact" in q1 and "already knows" in q1           # what clarifying means
    q3 = next(line for line in lines if line.startswith("Q3:"))
    assert "asker's own" in q3 and "advice" not in q3              # what advice means
    q5 = next(line for line in lines if line.startswith("Q5:"))
    assert "think" in q5                                           # what probing means


def test_feedback_never_prints_the_key(shown):
    # However an answer is wrong, no line pairs an item with its right label.
    for wrong in ("probing", "advice", "clarifying"):
        check_activity("clarify_probe", {"clarifying_or_probing": {q: wrong for q in KEY_A}})
    text = "\n".join(line for _, lines in shown for line in lines)
    for item, label in KEY_A.items():
        assert not re.search(rf"{item}\W+(is|=|should be|answer)\W+{label}", text, re.I)
    assert "Q3 is advice" not in text and '"Q1": "clarifying"' not in text


def test_all_right_and_spellings_are_accepted(shown):
    result = check_activity("clarify_probe", _labels(Q1=" Clarifying question. ",
                                                     Q3="Advice in disguise", Q5="PROBING"))
    assert result.all_right
    assert shown == [("done", ["All your answers fit. Well done."])]


@pytest.mark.parametrize(("answers", "flagged", "words"), [
    ({"exact_agreement_percent": 3, "within_one_percent": 83.3}, ["Exact agreement"],
     "not a percent"),
    ({"exact_agreement_percent": 0.5, "within_one_percent": 83.3}, ["Exact agreement"],
     "fraction"),
    ({"exact_agreement_percent": 50, "within_one_percent": 33.3}, ["Within-one agreement"],
     "include the exact matches"),
    ({"exact_agreement_percent": 50, "within_one_percent": 100}, ["Within-one agreement"],
     "two levels does not count"),
    ({"exact_agreement_percent": 40, "within_one_percent": 60}, ["Exact agreement",
                                                                 "Within-one agreement"],
     "divide by"),
])
def test_percents_say_which_one_is_off_with_a_counting_hint(shown, answers, flagged, words):
    result = check_activity("agreement", answers)
    assert [line.split(":")[0] for line in result.reconsider] == flagged
    assert words in " ".join(result.reconsider)
    assert "50" not in " ".join(result.reconsider) and "83" not in " ".join(result.reconsider)


@pytest.mark.parametrize("within", [83, 83.3, 83.33, "83.3%", 500 / 6, 84])
def test_rounded_percents_are_accepted(shown, within):
    assert check_activity("agreement", {"exact_agreement_percent": "50",
                                        "within_one_percent": within}).all_right


@pytest.mark.parametrize("answers", [
    {"exact_agreement_percent": None, "within_one_percent": 80},
    {"exact_agreement_percent": "half", "within_one_percent": 80},
    {"exact_agreement_percent": 150, "within_one_percent": 80},
    {"exact_agreement_percent": True, "within_one_percent": 80},
])
def test_a_percent_that_is_not_one_is_a_problem_not_a_crash(shown, answers):
    result = check_activity("agreement", answers)
    assert result.problems and "exact_agreement_percent" in result.problems[0]


def test_run_before_the_answer_cell_reads_the_notebook_not_a_name_error(shown):
    # check_activity() reads the notebook's globals itself: no NameError before the answer.
    namespace = {"check_activity": check_activity}
    exec('check_activity("agreement")', namespace)
    assert shown == [("note", [RUN_FIRST])]
    namespace.update(exact_agreement_percent=50, within_one_percent=83.3)
    exec('check_activity("agreement")', namespace)
    assert shown[-1][0] == "done"


def test_a_broken_activity_file_is_a_plain_note_while_studying(shown, tmp_path, monkeypatch):
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "broken.yaml").write_text("id: broken\nitems: [\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    check_activity("broken", {})
    [(kind, [line])] = shown
    assert kind == "problem" and "broken.yaml" in line and "your answer is kept" in line
    with pytest.raises(ActivityError, match="no activity called 'nowhere'"):
        load_activity("nowhere")


# --- grading: fails with one sentence ---------------------------------------------------------

@pytest.mark.parametrize(("namespace", "sentence"), [
    ({}, RUN_FIRST),
    ({"clarifying_or_probing": {**KEY_A, "Q4": ""}}, "Q4 does not have a label yet."),
    (_labels(Q2="advise"), "Q2 says 'advise', which is not one of the three labels."),
])
def test_grading_a_blank_or_unreadable_answer_fails(grading, namespace, sentence):
    with pytest.raises(CheckFailed) as failed:
        check_activity("clarify_probe", namespace)
    assert isinstance(failed.value, AssertionError)
    assert str(failed.value).startswith(sentence)
    # What Jupyter (and nbgrader's Validate) shows instead of a traceback.
    assert failed.value._render_traceback_() == str(failed.value).splitlines()


def test_grading_leaves_correctness_to_the_hidden_tests(grading, capsys):
    wrong = _labels(Q3="probing")
    check_activity("clarify_probe", wrong)             # complete, so the visible call passes
    assert "filled in" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="Q3: .*carries the asker's own plan") as failed:
        expect_answers("clarify_probe", KEY_A, wrong)
    assert "probing" not in str(failed.value).split("Q3:")[0]
    expect_answers("clarify_probe", KEY_A, _labels())


def test_hidden_tests_read_the_notebook_globals_and_grade_percents():
    namespace = {"expect_answers": expect_answers, "exact_agreement_percent": 50,
                 "within_one_percent": 66.7}
    with pytest.raises(CheckFailed, match="Within-one agreement"):
        exec("expect_answers('agreement', {'exact_agreement_percent': 50, "
             "'within_one_percent': 500 / 6})", namespace)
    namespace["within_one_percent"] = 83.3
    exec("expect_answers('agreement', {'exact_agreement_percent': 50, "
         "'within_one_percent': 500 / 6})", namespace)


# --- the key: digests in the content files agree with the hidden tests ------------------------

def _hidden_keys() -> list[tuple[Path, str, dict]]:
    """Every expect_answers(activity, {key}) call in a module notebook's hidden tests."""
    found = []
    for path in sorted(ROOT.glob("modules/*/*.ipynb")):
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            for block in HIDDEN.findall("".join(cell["source"])):
                code = block.split("\n", 1)[1].rsplit("\n", 1)[0]   # drop the marker lines' tails
                for node in ast.walk(ast.parse(code)):
                    called = getattr(getattr(node, "func", None), "id", "")
                    if isinstance(node, ast.Call) and called == "expect_answers":
                        # The key may hold arithmetic (3 / 6 * 100): evaluate the dict alone.
                        key = eval(compile(ast.Expression(node.args[1]), path.name, "eval"), {})
                        found.append((path, ast.literal_eval(node.args[0]), key))
    return found


def test_every_hidden_key_matches_its_activity_digests():
    keys = _hidden_keys()
    assert {activity for _, activity, _ in keys} >= {"clarify_probe", "agreement"}
    for path, activity_id, key in keys:
        activity = load_activity(activity_id, here=path.parent)
        assert {item.id for item in activity.items} == set(key), activity_id
        namespace = ({activity.answers[0]: key} if activity.kind == "labels" else key)
        assert review(activity, namespace).all_right, f"{path.name}: {activity_id} digests drifted"


def test_activity_files_hold_no_plain_answers():
    for path in sorted((checks.ACTIVITIES_DIR).glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert data["id"] == path.stem
        for item_id, item in data["items"].items():
            assert set(item) <= {"name", "accepted", "hint", "hints", "near"}, (path.name, item_id)
            assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in item["accepted"])


def test_box_is_plain_escaped_and_announced():
    html = checks.box_html("note", ["Q1 says '<b>', which is not one of the three labels."])
    assert 'role="status"' in html and "&lt;b&gt;" in html and "<b>" not in html


# --- hints point at the reasoning and never name their own item's answer ----------------------

def _answer_words(activity, item_id, answer) -> set[str]:
    """The words that would give an item's answer away: a label's name and its spellings (the
    very short ones, such as 'in' or 'no', are everyday words), or a percent as written."""
    if activity.kind == "percents":
        value = float(answer)
        return {f"{value:g}", str(round(value, 2)), str(checks.whole_percent(value))}
    label = next(label for label in activity.labels if label.name == _label_of(activity, answer))
    return {word for word in (label.name, label.name.replace("-", " "), *label.spellings)
            if len(word) >= 4}


def _label_of(activity, answer):
    return checks._label_of(activity, answer)


def test_no_hint_names_its_own_items_answer():
    activity_files = {path for path in ROOT.glob("modules/*/activities/*.yaml")}
    activity_files |= set(checks.ACTIVITIES_DIR.glob("*.yaml"))
    keyed, named = set(), []
    for path, activity_id, key in _hidden_keys():
        activity = load_activity(activity_id, here=path.parent)
        keyed.add(activity.path.resolve())
        for item in activity.items:
            hints = [item.hint, *item.hints.values(), *(hint for _, _, hint in item.near)]
            for word in _answer_words(activity, item.id, key[item.id]):
                # A whole word or number: "model" is not in "modelling", 16 is not in 16.5.
                pattern = re.compile(rf"(?<![\w.]){re.escape(word)}(?!\w|\.\d)", re.I)
                named += [f"{path.parent.name}/{activity_id} {item.id} ({word!r}): {hint}"
                          for hint in hints if pattern.search(hint)]
    assert not named, "hints that name their own answer:\n" + "\n".join(named)
    assert {p.resolve() for p in activity_files} <= keyed, "an activity has no hidden key"
