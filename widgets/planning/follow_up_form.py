"""FollowUpForm: the follow-up survey, some weeks after the course, as a learner answers it.

A thin view over tlkit.evaluation.follow_up: one labelled list per practice on the
instrument's scale, and **Make my answers file**, which gives a small CSV file to send to the
facilitator (who adds it on the evaluation page). Nothing is sent anywhere by the form.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from tlkit.evaluation.follow_up import ratings_csv, response_csv, survey
from tlkit.evaluation.inputs import EvaluationInputError
from tlkit.evaluation.sources import THIS_COHORT
from tlkit.widgets.common import download_link, message_html

WIDE = {"description_width": "14em"}


class FollowUpForm(widgets.VBox):
    """store: where the learner's self-assessments are kept (default: the state folder); both
    ratings, the first and the portfolio's re-rating, go in a second file when there are some."""

    def __init__(self, cohort: str = THIS_COHORT, *, store=None):
        self._store = store
        self.survey = survey()
        self.name = widgets.Text(description="Your name", placeholder="as on the course roster",
                                 style=WIDE, layout=widgets.Layout(width="34em"))
        self.cohort = widgets.Text(value=cohort, description="Cohort", style=WIDE,
                                   layout=widgets.Layout(width="34em"))
        self.weeks = widgets.BoundedIntText(value=self.survey.get("weeks_after", 8), min=0,
                                            max=104, description="Weeks since the course",
                                            style=WIDE, layout=widgets.Layout(width="22em"))
        self.answers: dict[str, widgets.Dropdown] = {}
        rows = []
        for item in self.survey["items"]:
            box = widgets.Dropdown(options=[("Choose an answer", "")] + [
                (word, word) for word in self.survey["scale"]],
                description=item.get("short", item["id"]), style=WIDE,
                layout=widgets.Layout(width="34em"))
            self.answers[item["id"]] = box
            rows += [widgets.HTML(f"<p style='margin:.6em 0 .1em'>{escape(item['statement'])}"
                                  "</p>"), box]
        self.make_button = widgets.Button(description="Make my answers file",
                                          button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.make_button.on_click(lambda _b: self.make())
        self.message = widgets.HTML()
        intro = widgets.HTML(f"<h3>{escape(self.survey['title'])}</h3>"
                             f"<p>{escape(self.survey.get('introduction', ''))}</p>")
        super().__init__([intro, self.name, self.cohort, self.weeks, *rows, self.make_button,
                          self.message])
        self.add_class("tlkit-follow-up")

    def make(self) -> str | None:
        """The answers file's text, offered as a download; None (and why) if it cannot be."""
        chosen = {item: box.value for item, box in self.answers.items()}
        if not any(chosen.values()):
            self.message.value = message_html("Answer at least one question first.", "warning")
            return None
        try:
            text = response_csv(chosen, learner=self.name.value, cohort=self.cohort.value,
                                weeks_after=int(self.weeks.value))
        except EvaluationInputError as err:
            self.message.value = message_html(str(err), "problem")
            return None
        links = download_link(text, "follow-up-answers.csv", "text/csv",
                              "Download my answers (CSV)")
        ratings = self._ratings()
        if ratings:
            links += " " + download_link(ratings, "self-assessment-ratings.csv", "text/csv",
                                         "Download my self-assessment ratings, first and "
                                         "again (CSV)")
        self.message.value = (message_html("Your answers file is ready. Download it and send "
                                           "it to your facilitator; nothing was sent yet."
                                           + (" Your self-assessment ratings, first and again, "
                                              "are in a second file, if you want to share them "
                                              "too." if ratings else ""))
                              + links)
        return text

    def _ratings(self) -> str | None:
        from tlkit.portfolio.parts import read_self_assessment_change
        from tlkit.store import default_store

        try:
            change = read_self_assessment_change(self._store or default_store())
            if not change:
                return None
            return ratings_csv(change["first"], change["again"], learner=self.name.value,
                               cohort=self.cohort.value)
        except (EvaluationInputError, OSError, ValueError):
            return None     # no ratings to share: the survey's file alone
