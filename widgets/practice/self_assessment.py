"""SelfAssessmentForm and GrowthPlan: rate yourself with evidence, see your profile, write a
growth plan and print it.

Thin views over tlkit.practice.self_assessment (items, scoring, chart) and
tlkit.printables.growth_plan (the printable plan). Both keep their work in one
SelfAssessmentRecord under the same state_key, merged key by key, so the plan sees the ratings
and neither view ever wipes out the other's work.
"""

from __future__ import annotations

import weakref
from html import escape

import ipywidgets as widgets

from tlkit.practice.self_assessment import (DEFAULT, SelfAssessment, load_self_assessment,
                                            profile, profile_html)
from tlkit.printables.growth_plan import BOX_LIMIT, PLAN_FIELDS, growth_plan_html, over_limit
from tlkit.store import Keeper, SelfAssessmentRecord, Store, default_store
from tlkit.widgets.common import download_link, keeper_notice, message_html

_WIDE = widgets.Layout(width="95%")

# The growth plans open in this kernel, by state_key: a form's change reaches them at once, so
# a plan never says "No ratings yet" under ratings just made.
_PLANS: dict[str, weakref.WeakSet] = {}


def _tell_plans(state_key: str | None, record: SelfAssessmentRecord) -> None:
    for plan in list(_PLANS.get(state_key or "", ())):
        plan.follow(record)


class _Saved:
    """Reading and saving the shared record, with the kit's plain messages for faults."""

    def _open_store(self, state_key: str | None, store: Store | None) -> SelfAssessmentRecord:
        self.state_key = state_key
        self.store = store or default_store()
        self._keeper = Keeper(self.store, state_key, SelfAssessmentRecord)
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-sa-save-status")
        if not state_key:
            return SelfAssessmentRecord()
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier self-assessment",
                                               "This one starts fresh.")
        return saved or SelfAssessmentRecord()

    def _latest(self) -> SelfAssessmentRecord:
        """What the store holds now (another view may have saved), else what this view has."""
        if not self.state_key:
            return self._mine()
        return self._keeper.latest(self._mine())

    def _save(self) -> None:
        if not self.state_key:
            return
        self._keeper.save(self._mine())
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved

    def _mine(self) -> SelfAssessmentRecord:
        raise NotImplementedError


class SelfAssessmentForm(_Saved, widgets.VBox):
    """Rate each statement on the kit's scale, write evidence, then **Show my profile**.

    `name`: the self-assessment content file (default teacher-leader). With `state_key` the
    ratings and evidence are saved and come back after a reload or a restart."""

    def __init__(self, name: str = DEFAULT, *, state_key: str | None = None,
                 store: Store | None = None, assessment: SelfAssessment | None = None):
        self.assessment = assessment or load_self_assessment(name)
        saved = self._open_store(state_key, store)
        scale = self.assessment.scale
        options = [("Choose a rating", None)] + [(f"{n} {word}", n)
                                                 for n, word in enumerate(scale, start=1)]
        self.ratings: dict[str, widgets.Dropdown] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        blocks = []
        number = 0
        for domain in self.assessment.domains:
            rows = [widgets.HTML(f"<h4 style='font-size:1.2em;margin:.8em 0 .2em'>"
                                 f"{escape(domain.name)}</h4>")]
            for item in self.assessment.items_in(domain.id):
                number += 1
                value = saved.ratings.get(item.id)
                rating = widgets.Dropdown(
                    options=options, value=value if value in range(1, len(scale) + 1) else None,
                    description=f"Rating for statement {number}",
                    style={"description_width": "initial"})
                rating.add_class("tlkit-sa-rating")
                rating.observe(self._changed, names="value")
                note = widgets.Textarea(
                    value=saved.evidence.get(item.id, ""),
                    description=f"Evidence for statement {number}",
                    placeholder=item.evidence_prompt, continuous_update=False,
                    style={"description_width": "initial"}, layout=_WIDE)
                note.add_class("tlkit-sa-evidence")
                note.observe(self._changed, names="value")
                self.ratings[item.id] = rating
                self.evidence[item.id] = note
                rows.append(widgets.VBox([
                    widgets.HTML(f"<p style='font-size:1.1em;margin:.4em 0 .1em'>{number}. "
                                 f"{escape(item.statement)} <i>({escape(item.level)})</i></p>"),
                    rating, note]))
            blocks.append(widgets.VBox(rows))
        levels = "".join(f"<li><b>{escape(level.capitalize())}:</b> {escape(text)}</li>"
                         for level, text in self.assessment.levels.items())
        scale_words = ", ".join(f"{n} {w}" for n, w in enumerate(scale, start=1))
        header = widgets.HTML(
            f"<h3 style='font-size:1.4em'>{escape(self.assessment.title)}</h3>"
            f"<p style='font-size:1.1em'>{escape(self.assessment.instructions)}</p>"
            f"<p><b>The scale:</b> {escape(scale_words)}.</p><ul>{levels}</ul>")
        self.show_button = widgets.Button(description="Show my profile", button_style="primary",
                                          layout=widgets.Layout(width="14em", height="2.6em"))
        self.show_button.add_class("tlkit-sa-show")
        self.show_button.on_click(lambda _b: self.show_profile())
        self.profile_view = widgets.HTML()
        self.profile_view.add_class("tlkit-sa-profile-view")
        super().__init__([header, self.save_status, *blocks, self.show_button,
                          self.profile_view])
        self.add_class("tlkit-self-assessment")
        if saved.ratings:
            self.show_profile()

    def rated(self) -> dict[str, int]:
        return {item: box.value for item, box in self.ratings.items() if box.value is not None}

    def written(self) -> dict[str, str]:
        return {item: box.value for item, box in self.evidence.items() if box.value.strip()}

    def profile(self):
        return profile(self.assessment, self.rated(), self.written())

    def show_profile(self):
        result = self.profile()
        self.profile_view.value = profile_html(result)
        return result

    def _mine(self) -> SelfAssessmentRecord:
        # The plan is the other view's: carry what was last read, so a merge keeps theirs.
        base = self._keeper.base or SelfAssessmentRecord()
        return SelfAssessmentRecord(self.rated(), self.written(), dict(base.plan))

    def _changed(self, _change) -> None:
        self._save()
        if self.state_key:
            _tell_plans(self.state_key, self._mine())


class GrowthPlan(_Saved, widgets.VBox):
    """Write a growth plan from the self-assessment's profile, keep it, and download it as a
    printable page (one or two sheets). Use the same `state_key` as the SelfAssessmentForm."""

    def __init__(self, name: str = DEFAULT, *, state_key: str | None = None,
                 store: Store | None = None, assessment: SelfAssessment | None = None):
        self.assessment = assessment or load_self_assessment(name)
        saved = self._open_store(state_key, store)
        self._ratings, self._evidence = dict(saved.ratings), dict(saved.evidence)
        self.boxes: dict[str, widgets.Widget] = {}
        rows = []
        for key, label, question in PLAN_FIELDS:
            if key == "focus":
                box = widgets.Dropdown(
                    options=[("Choose a domain", "")] + [(d.name, d.id)
                                                         for d in self.assessment.domains],
                    description=label, style={"description_width": "initial"})
                stored = saved.plan.get(key, "")
                box.value = stored if stored in {d.id for d in self.assessment.domains} else ""
            elif key == "review":
                box = widgets.Text(value=saved.plan.get(key, ""), description=label,
                                   placeholder="e.g. the last week of March",
                                   continuous_update=False,
                                   style={"description_width": "initial"})
            else:
                box = widgets.Textarea(value=saved.plan.get(key, ""), description=label,
                                       placeholder=question, continuous_update=False,
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="95%", height="6em"))
            box.add_class(f"tlkit-plan-{key}")
            box.observe(self._changed, names="value")
            self.boxes[key] = box
            rows.append(widgets.VBox([widgets.HTML(
                f"<p style='margin:.6em 0 .1em'><i>{escape(question)}</i></p>"), box]))
        self.summary = widgets.HTML()
        self.summary.add_class("tlkit-plan-summary")
        self.length_note = widgets.HTML()
        self.length_note.add_class("tlkit-plan-length")
        self.export_button = widgets.Button(description="Make my printable plan",
                                            button_style="primary",
                                            layout=widgets.Layout(width="16em", height="2.6em"))
        self.export_button.add_class("tlkit-plan-export")
        self.export_button.on_click(lambda _b: self.export())
        self.link = widgets.HTML()
        self.link.add_class("tlkit-plan-link")
        header = widgets.HTML(
            "<h3 style='font-size:1.4em'>My growth plan</h3><p style='font-size:1.1em'>"
            "Start from a growth area in your profile. Your plan is saved as you type (each box "
            "saves when you click out of it). Press <b>Make my printable plan</b> for a page you "
            "can print or share.</p>")
        super().__init__([header, self.save_status, self.summary, *rows, self.length_note,
                          self.export_button, self.link])
        self.add_class("tlkit-growth-plan")
        if state_key:
            _PLANS.setdefault(state_key, weakref.WeakSet()).add(self)
        self.refresh()

    def plan(self) -> dict[str, str]:
        return {key: box.value for key, box in self.boxes.items() if box.value.strip()}

    def refresh(self) -> None:
        """Read the latest ratings (the form above may have changed them) into the summary."""
        latest = self._latest()
        self._ratings, self._evidence = dict(latest.ratings), dict(latest.evidence)
        self._show_summary()

    def follow(self, record: SelfAssessmentRecord) -> None:
        """The form on the same record changed: show its ratings (taken from the form itself,
        so they show even when the state folder cannot be written)."""
        self._ratings, self._evidence = dict(record.ratings), dict(record.evidence)
        self._show_summary()

    def _latest(self) -> SelfAssessmentRecord:
        latest = super()._latest()
        if self._keeper.cannot_save is not None:
            # Nothing reaches the store: keep the ratings the form handed over.
            return SelfAssessmentRecord(self._ratings, self._evidence, latest.plan)
        return latest

    def _show_summary(self) -> None:
        result = profile(self.assessment, self._ratings, self._evidence)
        if not result.ratings:
            self.summary.value = ("<p class='tlkit-plan-no-profile'>No ratings yet. Rate "
                                  "yourself in the self-assessment above: this summary "
                                  "follows your ratings as you choose them.</p>")
        else:
            strengths = ", ".join(d.domain.name for d in result.strengths) or "none yet"
            growth = ", ".join(d.domain.name for d in result.growth_areas) or "none"
            self.summary.value = (f"<p style='font-size:1.1em'><b>From your self-assessment.</b>"
                                  f" Strengths: {escape(strengths)}. Growth areas: "
                                  f"{escape(growth)}.</p>")
        long = over_limit(self.plan())
        self.length_note.value = message_html(
            f"{', '.join(long)}: longer than {BOX_LIMIT} characters. Everything you wrote is "
            "kept and printed, but the page may run to a third sheet.", "warning") if long else ""

    def export(self) -> str:
        """The printable plan (HTML), also offered as a download link."""
        self.refresh()
        result = profile(self.assessment, self._ratings, self._evidence)
        page = growth_plan_html(self.assessment, result, self.plan(), self._evidence)
        self.link.value = (
            download_link(page, "growth-plan.html", "text/html", "Download my growth plan",
                          css_class="tlkit-plan-download", style="font-size:1.2em")
            + " &mdash; open it in a browser and print it (one or two pages).")
        return page

    def _mine(self) -> SelfAssessmentRecord:
        # Ratings and evidence are the form's: carry what was last read, so a merge keeps theirs.
        base = self._keeper.base or SelfAssessmentRecord()
        return SelfAssessmentRecord(dict(base.ratings), dict(base.evidence), self.plan())

    def _changed(self, _change) -> None:
        self._save()
        self.refresh()


def session_handout_link(name: str = DEFAULT) -> widgets.HTML:
    """The facilitator guide's printable handout (roles, scale, a blank growth plan) as a
    download link holding the page itself, so it needs no file on the server."""
    from tlkit.printables.growth_plan import session_handout_html

    page = session_handout_html(load_self_assessment(name))
    view = widgets.HTML(
        download_link(page, "teacher-roles-handout.html", "text/html",
                      "Download the session handout (roles, scale and a blank growth plan)",
                      css_class="tlkit-roles-handout-link", style="font-size:1.2em")
        + " &mdash; open it in a browser and print one for each participant.")
    view.add_class("tlkit-roles-handout")
    return view
