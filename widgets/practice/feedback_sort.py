"""FeedbackSorter: sort an observer's statements into descriptive and evaluative, then check.

A thin view over tlkit.practice.feedback, which holds the statements and does the marking.
Answers are kept as a FeedbackSortRecord; pages on the same record merge statement by statement.
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
from tlkit.store import FeedbackSortRecord, Keeper, Store, default_store
from tlkit.widgets.common import keeper_notice

_CHOICES = [(label.capitalize(), label) for label in LABELS]
# The chosen answer is marked three ways, so no one has to tell two greys apart: a check mark,
# white bold words on dark blue (contrast about 11:1; the unchosen button is dark text on light
# grey), and a line saying the choice in words.
CHOSEN_BACKGROUND, CHOSEN_TEXT = "#1a3e72", "#ffffff"
CHOSEN_CSS = ("<style>.tlkit-feedback-toggle .jupyter-button.mod-active{"
              f"background:{CHOSEN_BACKGROUND} !important;color:{CHOSEN_TEXT} !important;"
              "font-weight:bold;box-shadow:inset 0 0 0 2px #000 !important}</style>")


class FeedbackSorter(widgets.VBox):
    """The sorting exercise. `sample`: how many statements to show (default all); `seed`:
    shuffle order reproducibly (default: per learner, see learner_seed). With `state_key`,
    choices and the order are saved and come back after a reload; `store` is where (default:
    the state folder)."""

    def __init__(self, sample: int | None = None, seed: int | None = None, *,
                 state_key: str | None = None, exercise: Exercise | None = None,
                 store: Store | None = None):
        exercise = exercise or load_exercise()
        self.state_key = state_key
        self.store = store or default_store()
        self.result: SortResult | None = None
        self._keeper = Keeper(self.store, state_key, FeedbackSortRecord)
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-feedback-save-status")
        saved = self._restore() if state_key else {}
        if seed is None:
            seed = self._order_seed()
        self.statements = sample_statements(exercise.statements, sample, seed)

        self.toggles: dict[str, widgets.ToggleButtons] = {}
        self.verdicts: dict[str, widgets.HTML] = {}
        self.chosen: dict[str, widgets.HTML] = {}
        rows = []
        for number, statement in enumerate(self.statements, start=1):
            toggle = widgets.ToggleButtons(
                options=_CHOICES,
                value=saved.get(statement.id) if saved.get(statement.id) in LABELS else None,
                style={"button_width": "9em"},
            )
            toggle.add_class("tlkit-feedback-toggle")
            toggle.observe(self._answer_changed, names="value")
            chosen = widgets.HTML()
            chosen.add_class("tlkit-feedback-chosen")
            verdict = widgets.HTML()
            verdict.add_class("tlkit-feedback-verdict")
            text = widgets.HTML(f'<div style="font-size:1.25em;line-height:1.4">'
                                f"{number}. {escape(statement.text)}</div>")
            row = widgets.VBox([text, toggle, chosen, verdict],
                               layout=widgets.Layout(margin="0 0 1em 0"))
            row.add_class("tlkit-feedback-item")
            self.toggles[statement.id] = toggle
            self.chosen[statement.id] = chosen
            self.verdicts[statement.id] = verdict
            _mark(toggle, chosen)
            rows.append(row)

        self.check_button = widgets.Button(description="Check my sorting", button_style="primary",
                                           layout=widgets.Layout(width="14em", height="2.6em"))
        self.check_button.add_class("tlkit-feedback-check")
        self.check_button.on_click(lambda _button: self.check())
        self.score = widgets.HTML()
        self.score.add_class("tlkit-feedback-score")

        header = widgets.HTML(
            f'{CHOSEN_CSS}<h3 style="font-size:1.6em">{escape(exercise.title)}</h3>'
            f'<p style="font-size:1.2em">{escape(exercise.instructions)}</p>'
        )
        footer = widgets.HTML(
            f'<p style="font-size:1em">{escape(exercise.background)}</p>'
            '<p style="font-size:0.9em">Sources: '
            + "; ".join(escape(source) for source in exercise.sources) + "</p>"
        )
        super().__init__([widgets.VBox([header, self.save_status]), *rows, self.check_button,
                          self.score, footer])
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
                _mark(toggle, self.chosen[sid])
        if self.state_key:
            self._save()

    def _restore(self) -> dict[str, str | None]:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier answers",
                                               "The sorting starts fresh.")
        return saved.answers if saved else {}

    def _order_seed(self) -> int:
        """The learner's order: chosen on first use and kept in the record, so it stays put on
        every reload even if the way the seed is worked out changes."""
        base = self._keeper.base
        if base is not None and base.order_seed is not None:
            return base.order_seed
        seed = learner_seed(self.state_key)
        if self.state_key and self._keeper.cannot_save is None:
            # Only the seed is new here: merged with no base, so every stored answer stays.
            saved = self._keeper.update(
                lambda theirs: FeedbackSortRecord(order_seed=seed).merged(None, theirs))
            if saved is None:
                self._keeper.cannot_save = self._keeper.problem    # answers would fail too
                self.save_status.value = keeper_notice(self._keeper)
            else:
                seed = saved.record.order_seed if saved.record.order_seed is not None else seed
        return seed

    def _save(self) -> None:
        # Merge per statement: with `sample`, only some statements are on screen, and
        # answers saved earlier (or on another page) for the others must survive.
        base = self._keeper.base
        self._keeper.save(FeedbackSortRecord(self.answers(), base.order_seed if base else None))
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved


def _mark(toggle: widgets.ToggleButtons, chosen: widgets.HTML) -> None:
    """A check mark on the chosen button and the choice said in words beside it."""
    toggle.icons = ["check" if value == toggle.value else "" for _label, value in _CHOICES]
    label = dict((value, words) for words, value in _CHOICES).get(toggle.value)
    chosen.value = (f'<div style="font-size:1.05em;color:{CHOSEN_BACKGROUND}">'
                    f"✓ Your choice: <b>{escape(label)}</b></div>" if label else "")


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
