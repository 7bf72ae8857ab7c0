"""The facilitator guide's protocol panel: choose a protocol, run it, print its handout.

A thin view: the protocols come from tlkit.practice.protocols, the clock is tlkit.widgets.
protocol_runner.ProtocolRunner and the handout is tlkit.printables.handouts.protocol_handout.
The guide runs in Voila, where a traceback would reach facilitators: the kit's own errors
(ValueError, which ProtocolError and RescaleError are) are shown as plain messages instead.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from tlkit.course.module import Module, section_activity
from tlkit.practice.plan import Plan
from tlkit.practice.protocols import Protocol, list_protocols, load_protocol
from tlkit.widgets.common import download_link, message_html


def handout_link_html(plan: Plan, note: str = "") -> str:
    """A download link holding the printable handout itself (a data: URI), so it works with
    no file on the server and no outside request.

    plan: the plan the handout prints (the runner's own). note: one plain sentence shown
    under the link.
    """
    from tlkit.printables.handouts import protocol_handout

    protocol = plan.protocol
    page = protocol_handout(plan)
    small = f"<br><small class='tlkit-plan-note'>{html.escape(note)}</small>" if note else ""
    link = download_link(page, f"{protocol.id}-handout.html", "text/html",
                         f"Download the one-page handout for {protocol.name} ({plan.total} min)",
                         css_class="tlkit-handout-link", style="font-size:1.2em")
    return f"{link} &mdash; open it in a browser and print it.{small}"


def protocol_moves_html(plan: Plan) -> str:
    """What the facilitator does at each step, with the plan's minutes, for preparing before
    the session."""
    protocol = plan.protocol
    steps = []
    for step, minutes in zip(protocol.steps, plan.minutes):
        moves = "".join(f"<li>{html.escape(move)}</li>" for move in step.facilitator_moves)
        steps.append(f"<li><b>{html.escape(step.name)}</b> ({minutes} min)"
                     + (f"<ul>{moves}</ul>" if moves else "") + "</li>")
    norms = "".join(f"<li>{html.escape(norm)}</li>" for norm in protocol.norms)
    return (f"<div class='tlkit-protocol-moves' style='font-size:1.1em'>"
            f"<p>{html.escape(protocol.purpose)}</p>"
            f"<p><b>Norms to name at the start:</b></p><ul>{norms}</ul>"
            f"<p><b>Your moves, step by step:</b></p><ol>{''.join(steps)}</ol>"
            f"<p><small>Originators: {html.escape(protocol.originators)} "
            f"{html.escape(protocol.source_note)}</small></p></div>")


class ProtocolPanel(widgets.VBox):
    """A protocol chooser over a ProtocolRunner.

    `moves` (the chosen protocol's facilitator moves) and `handout` (its download link) follow
    the chooser and the runner's plan; the guide shows them in their own sections. They
    always exist: when a protocol cannot be shown they hold the reason, in plain words.
    slot_minutes: the minutes the runner opens with (for_section reads them from the module).
    The moves and the handout always show the runner's own Plan, so none can disagree.
    """

    @classmethod
    def for_section(cls, module: Module | str, section: str, **kwargs) -> "ProtocolPanel":
        """The panel for the protocol a module section runs, opening at that section's live
        minutes, the same minutes the guide's agenda shows for it."""
        try:
            activity = section_activity(module, section)
        except ValueError as err:
            panel = cls(**kwargs)
            panel._show_problem(f"The guide cannot read the section {section!r}: {err}")
            return panel
        if not activity.protocol:
            panel = cls(**kwargs)
            panel._show_problem(f"The section {section!r} runs no protocol, so there is no "
                                f"runner to show for it.")
            return panel
        return cls(activity.protocol, slot_minutes=activity.slot_minutes, **kwargs)

    def __init__(self, protocol_id: str = "tuning", slot_minutes: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-protocol-panel")
        self.slot_minutes = slot_minutes
        self.runner = None
        self.runner_box = widgets.VBox()
        self.handout = widgets.HTML()
        self.handout.add_class("tlkit-handout")
        self.moves = widgets.HTML()
        self.moves.add_class("tlkit-moves")
        self.protocols, problems = _load_protocols()
        self.problems = widgets.HTML("".join(_problem_html(p) for p in problems))
        self.chooser = widgets.Dropdown(
            options=[(p.name, pid) for pid, p in self.protocols.items()],
            description="Protocol:", style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"))
        self.chooser.add_class("tlkit-protocol-chooser")
        if not self.protocols:
            self._show_problem("No protocol could be loaded, so there is nothing to run. "
                               + " ".join(problems))
            self.children = [self.problems]
            return
        if protocol_id not in self.protocols:
            protocol_id = next(iter(self.protocols))
        self.chooser.value = protocol_id
        self.children = [self.problems, self.chooser, self.runner_box]
        self.chooser.observe(lambda change: self.show(change["new"]), names="value")
        self.show(protocol_id)

    @property
    def protocol(self) -> Protocol | None:
        return self.protocols.get(self.chooser.value)

    def show(self, protocol_id: str) -> None:
        from tlkit.widgets.practice.protocol_runner import ProtocolRunner

        if self.runner is not None:
            self.runner.close()  # stops its clock task; the saved state stays on disk
            self.runner = None
        try:
            self.runner = ProtocolRunner(self.protocols[protocol_id],
                                         slot_minutes=self.slot_minutes)
            # Registered after the runner's own handler, so it sees the runner's new plan.
            self.runner.slot_box.observe(self._on_slot_change, names="value")
            self.runner_box.children = [self.runner]
            self._update_handout(self._opening_note())
        except ValueError as err:
            self._show_problem(f"{self.protocols[protocol_id].name} cannot be shown: {err}")

    @property
    def plan(self) -> Plan:
        """The runner's plan: what the clock runs and the moves and the handout show."""
        return self.runner.plan

    def _opening_note(self) -> str:
        # The section's slot could not hold this protocol: the runner opened at the
        # suggested times, and says so in the same words as a slot typed too short.
        if not self.slot_minutes or self.plan.total == self.slot_minutes:
            return ""
        if self.slot_minutes < self.protocol.min_minutes:
            return self._kept_sentence(self.slot_minutes)
        return (f"The runner picked up the {self.plan.total}-minute plan the group was working "
                f"to; the handout shows the same plan.")

    def _kept_sentence(self, typed: int) -> str:
        protocol = self.protocol
        return (f"{protocol.name} needs at least {protocol.min_minutes} minutes, so {typed} "
                f"cannot work: the runner and the handout keep the {self.plan.total}-minute "
                f"plan.")

    def _on_slot_change(self, change) -> None:
        typed = change["new"]
        note = "" if self.plan.total == typed else self._kept_sentence(typed)
        if note:
            # One sentence, in both places, instead of the runner's own longer message.
            self.runner.slot_message.value = (f"<span class='tlkit-plan-note' "
                                              f"style='color:#b71c1c'>{html.escape(note)}</span>")
        self._update_handout(note)

    def _update_handout(self, note: str = "") -> None:
        self.moves.value = protocol_moves_html(self.plan)
        try:
            self.handout.value = handout_link_html(self.plan, note)
        except ValueError as err:
            self.handout.value = _problem_html(f"The handout could not be made: {err}")

    def _show_problem(self, message: str) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        self.runner_box.children = [widgets.HTML(_problem_html(message))]
        self.moves.value = self.handout.value = _problem_html(message)


def _problem_html(message: str) -> str:
    return message_html(message, "problem", css_class="tlkit-guide-problem")


def _load_protocols() -> tuple[dict[str, Protocol], list[str]]:
    """Every shipped protocol that loads; a broken file is reported, the rest stay usable."""
    loaded, problems = {}, []
    for protocol_id in list_protocols():
        try:
            loaded[protocol_id] = load_protocol(protocol_id)
        except ValueError as err:
            problems.append(f"Protocol {protocol_id!r} is left out: {err}")
    return loaded, problems
