"""QuestionWorkshop: sort coaching questions as open, leading or judging, then rewrite leading
and judging ones as open questions and check them.

A thin view over tlkit.practice.coaching (the questions, the marking and the rewrite checks).
With a state_key the sort and the rewrites are kept in a QuestionWorkshopRecord, so a reload
or a restart brings them back.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from tlkit.practice.coaching import (DEFAULT_QUESTIONS, QuestionSet, check_rewrite,
                                     load_questions, mark_sort)
from tlkit.store import Keeper, QuestionWorkshopRecord, Store, default_store
from tlkit.widgets.common import keeper_notice, message_html

_WIDE = widgets.Layout(width="95%")
_LABELS = {"description_width": "initial"}


class QuestionWorkshop(widgets.VBox):
    """The workshop for one questions file (default: the coaching module's)."""

    def __init__(self, name: str = DEFAULT_QUESTIONS, *, state_key: str | None = None,
                 store: Store | None = None, questions: QuestionSet | None = None):
        self.questions = questions or load_questions(name)
        self.state_key = state_key
        self._keeper = Keeper(store or default_store(), state_key, QuestionWorkshopRecord)
        saved = (self._keeper.restore() if state_key else None) or QuestionWorkshopRecord()
        self.save_status = widgets.HTML(keeper_notice(self._keeper, "Your earlier answers",
                                                      "The workshop starts fresh."))
        kinds = [("Choose a kind", None)] + [(k.name, k.id) for k in self.questions.kinds]
        self.sorts: dict[str, widgets.Dropdown] = {}
        sort_rows = []
        for number, question in enumerate(self.questions.questions, start=1):
            choice = widgets.Dropdown(
                options=kinds, description=f"Question {number} is",
                value=saved.sorted_as.get(question.id)
                if saved.sorted_as.get(question.id) in {k.id for k in self.questions.kinds}
                else None, style=_LABELS)
            choice.observe(self._changed, names="value")
            self.sorts[question.id] = choice
            sort_rows.append(widgets.VBox([widgets.HTML(
                f"<p style='font-size:1.1em;margin:.5em 0 .1em'>{number}. "
                f"{escape(question.text)}</p>"), choice]))
        self.check_sort_button = widgets.Button(description="Check my sorting",
                                                button_style="primary",
                                                layout=widgets.Layout(width="14em"))
        self.check_sort_button.on_click(lambda _b: self.check_sort())
        self.sort_result = widgets.HTML()

        self.rewrites: dict[str, widgets.Textarea] = {}
        self.rewrite_results: dict[str, widgets.HTML] = {}
        rewrite_rows = []
        for number, rewrite in enumerate(self.questions.rewrites, start=1):
            box = widgets.Textarea(value=saved.rewrites.get(rewrite.id, ""),
                                   description=f"Open version of question {chr(64 + number)}",
                                   placeholder="Write an open question here",
                                   continuous_update=False, style=_LABELS, layout=_WIDE)
            box.observe(self._changed, names="value")
            result = widgets.HTML()
            self.rewrites[rewrite.id], self.rewrite_results[rewrite.id] = box, result
            rewrite_rows.append(widgets.VBox([widgets.HTML(
                f"<p style='font-size:1.1em;margin:.6em 0 .1em'><b>{chr(64 + number)}.</b> "
                f"{escape(rewrite.text)}</p>"), box, result]))
        self.check_rewrites_button = widgets.Button(description="Check my questions",
                                                    button_style="primary",
                                                    layout=widgets.Layout(width="14em"))
        self.check_rewrites_button.on_click(lambda _b: self.check_rewrites())

        meanings = "".join(f"<li><b>{escape(k.name)}:</b> {escape(k.meaning)}</li>"
                           for k in self.questions.kinds)
        super().__init__([
            widgets.HTML(f"<h3 style='font-size:1.4em'>{escape(self.questions.title)}</h3>"
                         f"<p style='font-size:1.1em'>{escape(self.questions.instructions)}</p>"
                         f"<ul>{meanings}</ul>"),
            self.save_status, *sort_rows, self.check_sort_button, self.sort_result,
            widgets.HTML("<h4 style='font-size:1.2em;margin-top:1em'>Rewrite them as open "
                         "questions</h4><p>Write an open version of each question below, then "
                         "press <b>Check my questions</b>.</p>"),
            *rewrite_rows, self.check_rewrites_button])

    # --- actions ----------------------------------------------------------------------------

    def _mine(self) -> QuestionWorkshopRecord:
        return QuestionWorkshopRecord(
            {qid: box.value for qid, box in self.sorts.items() if box.value},
            {rid: box.value for rid, box in self.rewrites.items() if box.value.strip()})

    def _changed(self, _change=None) -> None:
        if self.state_key:
            self._keeper.save(self._mine())
            self.save_status.value = keeper_notice(self._keeper)

    def check_sort(self) -> None:
        result = mark_sort(self.questions, {q: b.value for q, b in self.sorts.items()})
        numbers = {q.id: n for n, q in enumerate(self.questions.questions, start=1)}
        items = [f"Question {numbers[q.id]}: you chose {self.questions.kind_name(given)}. "
                 f"{q.why}" for q, given in result.wrong]
        kind = "info" if result.right == result.total else "warning"
        self.sort_result.value = message_html(result.line(), kind, items=items)

    def check_rewrites(self) -> None:
        for rewrite in self.questions.rewrites:
            check = check_rewrite(self.rewrites[rewrite.id].value, rewrite.text)
            if check.is_open:
                text = ("This reads as an open question: it leaves the thinking to your "
                        f"colleague. One more way to ask it: {rewrite.example}")
                self.rewrite_results[rewrite.id].value = message_html(text, "info")
            else:
                self.rewrite_results[rewrite.id].value = message_html(
                    "Worth another look:", "warning", items=check.problems)
