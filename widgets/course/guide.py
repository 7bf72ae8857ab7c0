"""The facilitator guide's protocol panel: choose a protocol, run it, print its handout.

A thin view: the protocols come from tlkit.practice.protocols, the clock is tlkit.widgets.
protocol_runner.ProtocolRunner and the handout is tlkit.printables.handouts.protocol_handout.
The guide runs in Voila, where a traceback would reach facilitators: the kit's own errors
(ValueError, which ProtocolError and RescaleError are) are shown as plain messages instead.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets

from tlkit.practice.protocols import Protocol, list_protocols, load_protocol
from tlkit.widgets.common import message_html


def handout_link_html(protocol: Protocol, slot_minutes: int | None = None) -> str:
    """A download link holding the printable handout itself (a data: URI), so it works with
    no file on the server and no outside request."""
    from tlkit.printables.handouts import protocol_handout

    note = ""
    minutes = slot_minutes or protocol.total_minutes
    try:
        page = protocol_handout(protocol, slot_minutes=slot_minutes)
    except ValueError as err:  # the slot cannot hold the steps: print the suggested timings
        page = protocol_handout(protocol)
        minutes = protocol.total_minutes  # the label names the minutes the handout shows
        note = (f"<br><small>{html.escape(str(err))} The handout shows the suggested "
                f"{protocol.total_minutes} minutes instead.</small>")
    data = base64.b64encode(page.encode("utf-8")).decode("ascii")
    return (f"<a class='tlkit-handout-link' download='{html.escape(protocol.id)}-handout.html' "
            f"href='data:text/html;charset=utf-8;base64,{data}' style='font-size:1.2em'>"
            f"Download the one-page handout for {html.escape(protocol.name)} ({minutes} min)"
            f"</a> &mdash; open it in a browser and print it.{note}")


def protocol_moves_html(protocol: Protocol) -> str:
    """What the facilitator does at each step, for preparing before the session."""
    steps = []
    for number, step in enumerate(protocol.steps, start=1):
        moves = "".join(f"<li>{html.escape(move)}</li>" for move in step.facilitator_moves)
        steps.append(f"<li><b>{html.escape(step.name)}</b> ({step.suggested_minutes} min)"
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
    the chooser and the runner's minutes; the guide shows them in their own sections. They
    always exist: when a protocol cannot be shown they hold the reason, in plain words.
    """

    def __init__(self, protocol_id: str = "tuning", **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-protocol-panel")
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
            self.runner = ProtocolRunner(self.protocols[protocol_id])
            self.runner.slot_box.observe(lambda change: self._update_handout(), names="value")
            self.runner_box.children = [self.runner]
            self.moves.value = protocol_moves_html(self.protocol)
            self._update_handout()
        except ValueError as err:
            self._show_problem(f"{self.protocols[protocol_id].name} cannot be shown: {err}")

    def _update_handout(self) -> None:
        minutes = self.runner.slot_box.value
        slot = None if minutes == self.protocol.total_minutes else minutes
        try:
            self.handout.value = handout_link_html(self.protocol, slot)
        except ValueError as err:
            self.handout.value = _problem_html(f"The handout could not be made: {err}")

    def _show_problem(self, message: str) -> None:
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
