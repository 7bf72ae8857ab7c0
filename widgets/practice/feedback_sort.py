"""FeedbackSorter: sort an observer's statements into descriptive and evaluative, then check.

A thin view over tlkit.practice.feedback, which holds the statements and does the marking.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from tlkit.practice.feedback import (
    LABELS,
    Exercise,
    SortResult,
    check_sorting,
    learner_seed,
    load_exercise,
    sample_statements,
)
from tlkit.store.files import load_state, save_state

_CHOICES = [(label.capitalize(), label) for label in LABELS]


class FeedbackSorter(widgets.VBox):
    """The sorting exercise. `sample`: how many statements to show (default all); `seed`:
    shuffle order reproducibly (default: per learner, see learner_seed). With `state_key`,
    choices and the order are saved and come back after a reload."""

    def __init__(self, sample: int | None = None, seed: int | None = None, *,
                 state_key: str | None = None, exercise: Exercise | None = None):
        exercise = exercise or load_exercise()
        if seed is None:
            seed = _order_seed(state_key)
        self.statements = sample_statements(exercise.statements, sample, seed)
        self.state_key = state_key
        self.result: SortResult | None = None
        saved = _saved_answers(state_key) if state_key else {}

        self.toggles: dict[str, widgets.ToggleButtons] = {}
        self.verdicts: dict[str, widgets.HTML] = {}
        rows = []
        for number, statement in enumerate(self.statements, start=1):
            toggle = widgets.ToggleButtons(
                options=_CHOICES,
                value=saved.get(statement.id) if saved.get(statement.id) in LABELS else None,
                style={"button_width": "9em"},
            )
            toggle.add_class("tlkit-feedback-toggle")
            toggle.observe(self._answer_changed, names="value")
            verdict = widgets.HTML()
            verdict.add_class("tlkit-feedback-verdict")
            text = widgets.HTML(f'<div style="font-size:1.25em;line-height:1.4">'
                                f"{number}. {escape(statement.text)}</div>")
            row = widgets.VBox([text, toggle, verdict],
                               layout=widgets.Layout(margin="0 0 1em 0"))
            row.add_class("tlkit-feedback-item")
            self.toggles[statement.id] = toggle
            self.verdicts[statement.id] = verdict
            rows.append(row)

        self.check_button = widgets.Button(description="Check my sorting", button_style="primary",
                                           layout=widgets.Layout(width="14em", height="2.6em"))
        self.check_button.add_class("tlkit-feedback-check")
        self.check_button.on_click(lambda _button: self.check())
        self.score = widgets.HTML()
        self.score.add_class("tlkit-feedback-score")

        header = widgets.HTML(
            f'<h3 style="font-size:1.6em">{escape(exercise.title)}</h3>'
            f'<p style="font-size:1.2em">{escape(exercise.instructions)}</p>'
        )
        footer = widgets.HTML(
            f'<p style="font-size:1em">{escape(exercise.background)}</p>'
            '<p style="font-size:0.9em">Sources: '
            + "; ".join(escape(source) for source in exercise.sources) + "</p>"
        )
        super().__init__([header, *rows, self.check_button, self.score, footer])
        self.add_class("tlkit-feedback-sort")

    def answers(self) -> dict[str, str | None]:
        return {sid: toggle.value for sid, toggle in self.toggles.items()}

    def check(self) -> SortResult:
        self.result = check_sorting(self.answers(), self.statements)
        for item in self.result.items:
            self.verdicts[item.statement.id].value = _verdict_html(item)
        self.score.value = (f'<div style="font-size:2em;font-weight:bold">'
                            f"{escape(self.result.score_line())}</div>")
        return self.result

    def _answer_changed(self, change) -> None:
        # An old tick or cross next to a changed answer would mislead; clear it until rechecked.
        for sid, toggle in self.toggles.items():
            if toggle is change["owner"]:
                self.verdicts[sid].value = ""
        if self.state_key:
            # Merge: with `sample`, only some statements are on screen, and answers saved
            # earlier for the others must survive.
            answers = _saved_answers(self.state_key) | self.answers()
            save_state(self.state_key, {**(load_state(self.state_key) or {}), "answers": answers})


def _order_seed(state_key: str | None) -> int:
    """The learner's order: chosen on first use and kept in the saved state, so it stays put
    on every reload even if the way the seed is worked out changes."""
    if not state_key:
        return learner_seed(None)
    saved = load_state(state_key) or {}
    if isinstance(saved.get("order_seed"), int):
        return saved["order_seed"]
    seed = learner_seed(state_key)
    save_state(state_key, {**saved, "order_seed": seed})
    return seed


def _saved_answers(state_key: str) -> dict:
    answers = (load_state(state_key) or {}).get("answers")
    return answers if isinstance(answers, dict) else {}


def _verdict_html(item) -> str:
    if item.answer is None:
        return _line("unsorted", "#555", "Not sorted yet.")
    if item.correct:
        return _line("right", "#1b5e20", f"<b>✓ Right:</b> {item.statement.label}.")
    return _line("wrong", "#b71c1c", f"<b>✗ Not quite:</b> this one is {item.statement.label}. "
                 f"{escape(item.statement.why)}")


def _line(kind: str, colour: str, html: str) -> str:
    style = f"font-size:1.15em;color:{colour}"
    return f'<div class="tlkit-feedback-{kind}" style="{style}">{html}</div>'
