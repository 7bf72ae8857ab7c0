"""Descriptive vs evaluative sorting: the statements file, the marking, and the widget."""

from __future__ import annotations

from collections import Counter
from html import escape

import ipywidgets as widgets
import pytest

from tlkit.content import ContentError
from tlkit.practice.feedback import (
    LABELS,
    check_sorting,
    learner_seed,
    load_exercise,
    load_statements,
    sample_statements,
)
from state_files import load_state, save_state
from tlkit.widgets.practice.feedback_sort import FeedbackSorter

STATEMENTS = load_statements()
OTHER = {"descriptive": "evaluative", "evaluative": "descriptive"}


def key(statements=STATEMENTS):
    return {s.id: s.label for s in statements}


# --- content ----------------------------------------------------------------------------------

def test_statements_file_is_a_balanced_set_with_reasons_and_sources():
    exercise = load_exercise()
    counts = Counter(s.label for s in exercise.statements)
    assert 12 <= len(exercise.statements) <= 20
    assert set(counts) == set(LABELS)
    assert abs(counts["descriptive"] - counts["evaluative"]) <= 2
    assert all(len(s.why) > 20 for s in exercise.statements)
    assert any("Showers" in source and "1996" in source for source in exercise.sources)
    assert any("WestEd" in source for source in exercise.sources)


def _write(tmp_path, body: str):
    path = tmp_path / "statements.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, field, words", [
    ("statements:\n  - {id: a, text: T, label: judgement, why: W}\n", "statements[1].label",
     "the text 'judgement' is not one of the values the kit knows. "
     "Fix: use 'descriptive' or 'evaluative'"),
    ("statements:\n  - {id: a, text: T, label: evaluative}\n", "statements[1].why",
     "this field is missing. Fix: add a line 'why: ...'"),
    ("statements:\n  - {id: a, text: T, label: evaluative, why: W}\n"
     "  - {id: a, text: U, label: descriptive, why: W}\n", "statements[2].id",
     "'a' is used more than once"),
    ("statements: [\n", None, "layout (YAML) error"),
    ("title: only a title\n", "statements", "this field is missing"),
])
def test_bad_statements_file_names_file_field_and_fix(tmp_path, body, field, words):
    with pytest.raises(ContentError) as caught:
        load_exercise(_write(tmp_path, body))
    assert str(tmp_path / "statements.yaml") in str(caught.value)
    assert words in str(caught.value) and "Fix:" in str(caught.value)
    assert caught.value.field == field


# --- marking ----------------------------------------------------------------------------------

def test_all_right_and_all_wrong():
    assert check_sorting(key()).right == len(STATEMENTS)
    flipped = check_sorting({sid: OTHER[label] for sid, label in key().items()})
    assert flipped.right == 0
    assert [item.statement.id for item in flipped.wrong] == [s.id for s in STATEMENTS]
    assert flipped.unanswered == []


def test_labels_read_case_blind_and_partial_answers_marked():
    first, second, *rest = STATEMENTS
    result = check_sorting({first.id: f"  {first.label.upper()} ", second.id: OTHER[second.label]})
    assert result.right == 1
    assert [item.statement.id for item in result.wrong] == [second.id]
    assert result.unanswered == [s.id for s in rest]
    expected = f"1 of {len(STATEMENTS)} sorted correctly ({len(rest)} not sorted yet)."
    assert result.score_line() == expected


@pytest.mark.parametrize("value", [None, "", "   ", 3, "maybe"])
def test_blank_or_odd_labels_count_as_unsorted_without_crashing(value):
    sid = STATEMENTS[0].id
    result = check_sorting({sid: value})
    assert sid in result.unanswered
    assert result.right == 0
    # Only real words the kit does not know are flagged; blanks are just "not yet".
    assert (sid in result.unrecognised) == (value in (3, "maybe"))


def test_unknown_ids_reported_and_ignored():
    result = check_sorting({"no-such-statement": "evaluative", **key()})
    assert result.unknown_ids == ("no-such-statement",)
    assert result.right == len(STATEMENTS)


def test_marking_only_covers_the_statements_shown():
    shown = STATEMENTS[:4]
    result = check_sorting(key(shown), shown)
    assert (result.right, result.total, result.unanswered) == (4, 4, [])


def test_sample_is_balanced_and_reproducible():
    picked = sample_statements(STATEMENTS, 6, seed=3)
    assert len({s.id for s in picked}) == 6
    assert Counter(s.label for s in picked) == {"descriptive": 3, "evaluative": 3}
    assert picked == sample_statements(STATEMENTS, 6, seed=3)
    assert sample_statements(STATEMENTS) == STATEMENTS
    with pytest.raises(ValueError, match="between 1 and"):
        sample_statements(STATEMENTS, len(STATEMENTS) + 1)


# --- widget -----------------------------------------------------------------------------------

def test_sorter_starts_unanswered():
    sorter = FeedbackSorter()
    assert isinstance(sorter, widgets.VBox)
    assert "tlkit-feedback-sort" in sorter._dom_classes
    assert len(sorter.toggles) == len(STATEMENTS)
    assert all(toggle.value is None for toggle in sorter.toggles.values())
    assert sorter.check_button.description == "Check my sorting"


def test_clicking_check_marks_each_statement_and_scores():
    sorter = FeedbackSorter(sample=6, seed=1)
    right, wrong, blank = sorter.statements[:3], sorter.statements[3], sorter.statements[4:]
    for statement in right:
        sorter.toggles[statement.id].value = statement.label
    sorter.toggles[wrong.id].value = OTHER[wrong.label]
    sorter.check_button.click()

    assert "3 of 6 sorted correctly (2 not sorted yet)" in sorter.score.value
    for statement in right:
        assert "tlkit-feedback-right" in sorter.verdicts[statement.id].value
        assert "Right" in sorter.verdicts[statement.id].value
    wrong_html = sorter.verdicts[wrong.id].value
    assert "tlkit-feedback-wrong" in wrong_html and wrong.label in wrong_html
    assert escape(wrong.why) in wrong_html  # the explanation is shown
    assert all("Not sorted yet" in sorter.verdicts[s.id].value for s in blank)


def _contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_chosen_answer_is_clearly_marked():
    from tlkit.widgets.practice import feedback_sort

    sorter = FeedbackSorter(sample=2, seed=0)
    first = sorter.statements[0]
    toggle = sorter.toggles[first.id]
    assert list(toggle.icons) == ["", ""] and sorter.chosen[first.id].value == ""
    toggle.value = "evaluative"
    assert list(toggle.icons) == ["", "check"]                            # a check mark on it
    assert "Your choice: <b>Evaluative</b>" in sorter.chosen[first.id].value   # and in words
    toggle.value = "descriptive"
    assert list(toggle.icons) == ["check", ""] and "Descriptive" in sorter.chosen[first.id].value
    # The chosen button's colours: well above WCAG's 4.5:1, and far from the unchosen grey.
    css = feedback_sort.CHOSEN_CSS
    assert ".tlkit-feedback-toggle .jupyter-button.mod-active" in css
    assert feedback_sort.CHOSEN_BACKGROUND in css and feedback_sort.CHOSEN_TEXT in css
    assert _contrast(feedback_sort.CHOSEN_TEXT, feedback_sort.CHOSEN_BACKGROUND) >= 7
    assert _contrast(feedback_sort.CHOSEN_BACKGROUND, "#eeeeee") >= 3     # against unchosen
    assert css in sorter.children[0].children[0].value                # on the page
    again = FeedbackSorter(sample=2, seed=0, store=sorter.store, state_key=None)
    assert list(again.toggles[first.id].icons) == ["", ""]


def test_changing_an_answer_clears_its_old_verdict():
    sorter = FeedbackSorter(sample=2, seed=0)
    first = sorter.statements[0]
    sorter.toggles[first.id].value = OTHER[first.label]
    sorter.check()
    assert "tlkit-feedback-wrong" in sorter.verdicts[first.id].value
    sorter.toggles[first.id].value = first.label
    assert sorter.verdicts[first.id].value == ""
    assert sorter.check().right == 1


def test_choices_survive_a_reload_with_a_state_key():
    sorter = FeedbackSorter(state_key="feedback-sort-test")
    chosen = sorter.statements[2]
    sorter.toggles[chosen.id].value = "evaluative"
    again = FeedbackSorter(state_key="feedback-sort-test")
    assert again.toggles[chosen.id].value == "evaluative"
    assert sum(t.value is not None for t in again.toggles.values()) == 1


def test_statement_text_is_escaped():
    sorter = FeedbackSorter()
    quoted = next(s for s in sorter.statements if '"' in s.text)
    html = "".join(child.value for row in sorter.children[1:-3] for child in row.children[:1])
    assert quoted.text not in html
    assert "&quot;" in html


def test_a_sampled_round_keeps_answers_saved_for_statements_not_shown():
    shown_later = {s.id for s in sample_statements(STATEMENTS, 3, seed=2)}
    first = FeedbackSorter(sample=3, seed=1, state_key="feedback-rounds")
    earlier = next(s for s in first.statements if s.id not in shown_later)
    first.toggles[earlier.id].value = "evaluative"
    second = FeedbackSorter(sample=3, seed=2, state_key="feedback-rounds")
    later = next(s for s in second.statements if s.id != earlier.id)
    second.toggles[later.id].value = "descriptive"
    saved = load_state("feedback-rounds")["answers"]
    assert saved[earlier.id] == "evaluative" and saved[later.id] == "descriptive"


def test_saved_answers_of_the_wrong_shape_start_the_sorting_fresh():
    save_state("feedback-odd", {"answers": ["not", "a", "mapping"]})
    sorter = FeedbackSorter(state_key="feedback-odd")
    assert all(toggle.value is None for toggle in sorter.toggles.values())
    sorter.toggles[sorter.statements[0].id].value = "descriptive"
    assert load_state("feedback-odd")["answers"][sorter.statements[0].id] == "descriptive"


def test_a_statements_file_not_saved_as_utf8_says_so(tmp_path):
    path = tmp_path / "statements.yaml"
    path.write_bytes("statements:\n  - {id: a, text: caf\u00e9, label: descriptive, why: W}\n"
                     .encode("latin-1"))
    with pytest.raises(ContentError, match="save it as UTF-8") as caught:
        load_exercise(path)
    assert str(path) in str(caught.value)


# --- order: shuffled per learner, stable across reloads ---------------------------------------

def _alternating_score(statements) -> int:
    """The best a learner scores by clicking the two labels in turn, whichever comes first."""
    return max(sum(s.label == LABELS[(i + phase) % 2] for i, s in enumerate(statements))
               for phase in (0, 1))


def test_the_file_order_alone_would_reward_clicking_in_turn():
    # Why the sorter must shuffle: the file alternates labels on purpose.
    assert _alternating_score(STATEMENTS) == len(STATEMENTS)


@pytest.mark.parametrize("user", ["amara", "ben", "chen", "dolores", "jovyan"])
def test_a_learners_order_defeats_clicking_in_turn(monkeypatch, user):
    monkeypatch.setenv("JUPYTERHUB_USER", user)
    sorter = FeedbackSorter(state_key="module-protocols-feedback")
    assert sorted(s.id for s in sorter.statements) == sorted(s.id for s in STATEMENTS)
    assert _alternating_score(sorter.statements) <= 0.75 * len(STATEMENTS)
    for phase in (0, 1):
        for i, statement in enumerate(sorter.statements):
            sorter.toggles[statement.id].value = LABELS[(i + phase) % 2]
        assert sorter.check().right < len(STATEMENTS)


def test_order_is_stable_across_reloads_and_differs_between_learners(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "amara")
    first = [s.id for s in FeedbackSorter(state_key="fb-order").statements]
    assert [s.id for s in FeedbackSorter(state_key="fb-order").statements] == first
    assert load_state("fb-order")["order_seed"] == learner_seed("fb-order", "amara")
    others = {tuple(s.id for s in sample_statements(STATEMENTS, seed=learner_seed("fb-order", u)))
              for u in ("ben", "chen", "dolores")}
    assert tuple(first) not in others and len(others) == 3


def test_the_saved_order_wins_and_survives_answering(monkeypatch):
    save_state("fb-kept", {"order_seed": 12345})
    monkeypatch.setenv("JUPYTERHUB_USER", "someone-else")
    sorter = FeedbackSorter(state_key="fb-kept")
    assert sorter.statements == sample_statements(STATEMENTS, seed=12345)
    sorter.toggles[sorter.statements[0].id].value = "descriptive"
    saved = load_state("fb-kept")
    assert saved["order_seed"] == 12345 and saved["answers"][sorter.statements[0].id]
    reloaded = FeedbackSorter(state_key="fb-kept")
    assert reloaded.statements == sorter.statements
    assert reloaded.toggles[sorter.statements[0].id].value == "descriptive"


def test_an_explicit_seed_gives_everyone_the_same_order(monkeypatch):
    orders = set()
    for user in ("amara", "ben"):
        monkeypatch.setenv("JUPYTERHUB_USER", user)
        orders.add(tuple(s.id for s in FeedbackSorter(seed=7, state_key=f"fb-{user}").statements))
    assert len(orders) == 1
