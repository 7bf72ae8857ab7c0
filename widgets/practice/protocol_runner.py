"""ProtocolRunner: a projector-sized clock that walks a group through a discussion protocol.

A thin view over tlkit.practice.clock: the buttons change a RunnerState, the display is redrawn from
it, and the state is saved after every press so a reload or a kernel restart resumes where the
group was (the clock still counting if it was running).
"""

from __future__ import annotations

import asyncio
import html
import time
from typing import Callable

import ipywidgets as widgets

from tlkit.practice.clock import ProtocolClock, RunnerState, format_seconds, paused_if_stale
from tlkit.practice.follow import Follower
from tlkit.practice.plan import Plan, PlanError, plan_for, saved_plan
from tlkit.practice.protocols import Protocol
from tlkit.store import Keeper, RunnerRecord, Store, default_store
from tlkit.widgets.common import cannot_save_text, message_html, problem_text
from tlkit.widgets.common import text_html as _line

OVERTIME_COLOUR = "#b71c1c"   # deep red, with white text: readable from the back of a room
CLOCK_COLOUR = "#1a237e"

# Text sizes: the laptop view, and the presenter view on a projector (vw: the same share of
# any screen, e.g. 4.2vw = 81 px on a 1,920 px projector; clamp keeps a small window usable).
# The presenter's clock is sized to its own panel (cqi: a share of the panel's width, see
# PRESENTER_CSS), not to the screen: "+12:34" is about 3.8 times its font size wide, so 24% of
# the panel leaves room for it and the padding at every projector width.
SIZES = {
    False: {"title": "2em", "number": "1.3em", "name": "2em", "lists": "1.25em",
            "roles": "1.4em", "clock": "7em", "caption": "1.8em", "total": "2.2em"},
    True: {"title": "clamp(24px, 2.4vw, 72px)", "number": "clamp(20px, 2vw, 56px)",
           "name": "clamp(36px, 4.2vw, 120px)", "lists": "clamp(26px, 2.4vw, 64px)",
           "roles": "clamp(24px, 2.2vw, 60px)", "clock": "clamp(48px, 24cqi, 360px)",
           "caption": "clamp(24px, 2.4vw, 64px)", "total": "clamp(24px, 2.4vw, 64px)"},
}


# The presenter's clock panel is the container its clock's size is measured against.
PRESENTER_CSS = "<style>.tlkit-runner-clock-panel{container-type:inline-size}</style>"

# The kit's focus ring, for pages without the kit's Voila template (the learner's JupyterLab):
# a 3 px outline on any focused control inside a kit widget; ipywidgets' own is 1 px.
FOCUS_CSS = ("<style>[class*='tlkit-'] :focus-visible, [class*='tlkit-'] "
             ".jupyter-button:focus-visible:enabled {outline:3px solid #1a56db !important;"
             "outline-offset:2px !important}</style>")


def _items(title: str, lines: tuple[str, ...], size: str = "1.25em") -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (f"<div style='font-size:{size};line-height:1.4'><b>{html.escape(title)}</b>"
            f"<ul style='margin:0.2em 0 0.6em 0'>{items}</ul></div>")


class ProtocolRunner(widgets.VBox):
    """Run a protocol step by step with a big countdown.

    protocol: a Plan (tlkit.practice.plan: a module section's, or plan_for's), or a protocol
    id ("tuning") or Protocol, planned here with plan_for(protocol, slot_minutes); None uses
    each step's suggested minutes. The runner's own plan is `plan`: what the clock runs, and
    what the guide prints on the handout. state_key: where the clock is saved (default
    "runner-<protocol id>"). now: the time source (tests pass a fake).
    autosave: save after every button press. store: where the clock is kept (default: the
    state folder); a store that cannot save leaves the clock working on this page, with a note.

    presenter: the projector's view of the same clock: full width, large type, and nothing
    meant for the facilitator alone (no facilitator moves, minutes box or notes).
    follow: pick up presses made on another page with the same state key (the guide on the
    facilitator's laptop, the presenter view on the projector); on by default when saving.
    control: press the buttons on a clock kept elsewhere (the presenter following a live
    session): control("next") presses it there and returns the new state, or None when the
    press did not go through; this page then shows that state.
    """

    def __init__(self, protocol: str | Protocol | Plan, slot_minutes: int | None = None, *,
                 state_key: str | None = None, now: Callable[[], float] = time.time,
                 autosave: bool = True, store: Store | None = None, presenter: bool = False,
                 follow: bool | None = None,
                 control: Callable[[str], RunnerState | None] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.presenter = presenter
        self.follow = autosave if follow is None else follow
        self.control = control
        self._now = now
        self._watcher: Follower | None = None
        self._seen = None
        opening: Plan | None = protocol if isinstance(protocol, Plan) else None
        if opening is not None:
            protocol = opening.protocol
        elif isinstance(protocol, str):
            from tlkit.practice.protocols import load_protocol  # loader lives beside the dataclasses
            protocol = load_protocol(protocol)
        if not protocol.steps:
            raise ValueError(f"Protocol '{protocol.id}' has no steps to run; add steps to its file.")
        self.protocol = protocol
        self.state_key = state_key or f"runner-{protocol.id}"
        self.autosave = autosave
        self.store = store or default_store()
        self._keeper = Keeper(self.store, self.state_key, RunnerRecord)
        self._ticker: asyncio.Task | None = None

        self._build()
        plan_message = ""
        if opening is None:
            # A slot too short for the protocol opens at the suggested times, saying why.
            opening, plan_message = self._fit(slot_minutes)
            opening = opening or plan_for(protocol)
        self.plan = opening
        self.clock, resume_note = self._restore(opening, now)
        self.slot_box.value = sum(self.clock.state.step_minutes)
        self.slot_message.value = plan_message
        self.note.value = resume_note
        self.slot_box.observe(self._on_slot_change, names="value")
        self.refresh()
        if self.clock.state.running:
            # Start was pressed before the reload: keep the clock moving on screen.
            self._start_ticking()
        if self.follow:
            self._seen = self._saved_stamp()
            self._start_watching()

    # -- building the view ------------------------------------------------------------------

    def _build(self) -> None:
        self.add_class("tlkit-runner")
        self.layout.padding = "12px"
        self.layout.border = "1px solid #c5cae9"
        self.layout.max_width = "none" if self.presenter else "1100px"
        self._size = SIZES[self.presenter]
        if self.presenter:
            self.add_class("tlkit-runner-presenter")
            self.layout.border = "none"

        self.title = widgets.HTML(
            f"{FOCUS_CSS}{PRESENTER_CSS if self.presenter else ''}"
            f"<div style='font-size:{self._size['title']};font-weight:bold'>"
            f"{html.escape(self.protocol.name)}</div>")
        self.title.add_class("tlkit-runner-title")
        self.step_number = widgets.HTML()
        self.step_number.add_class("tlkit-runner-step-number")
        self.step_name = widgets.HTML()
        self.step_name.add_class("tlkit-runner-step-name")
        self.roles = widgets.HTML()
        self.roles.add_class("tlkit-runner-roles")
        self.guidance = widgets.HTML()
        self.guidance.add_class("tlkit-runner-prompts")

        self.step_clock = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.step_clock.add_class("tlkit-runner-step-clock")
        self.total_clock = widgets.HTML()
        self.total_clock.add_class("tlkit-runner-total-clock")

        big = {"font_size": "1.3em", "font_weight": "bold"}
        size = widgets.Layout(height="52px", width="96px")
        # Darker than JupyterLab's green and orange, which give white text a contrast of
        # under 3:1; these keep 4.5:1 or more (WCAG AA for normal text).
        self.start_button = widgets.Button(description="Start", button_style="success",
                                           tooltip="Start or resume the clock",
                                           style={**big, "button_color": "#2e7d32"},
                                           layout=size)
        self.pause_button = widgets.Button(description="Pause", button_style="warning",
                                           style={**big, "button_color": "#a14a00"},
                                           layout=size)
        self.next_button = widgets.Button(description="Next", button_style="primary",
                                          tooltip="Go to the next step (starts it at zero)",
                                          style={**big, "button_color": "#1565c0"},
                                          layout=size)
        self.back_button = widgets.Button(description="Back",
                                          tooltip="Go back one step (restarts it at zero)",
                                          style=big, layout=size)
        self.reset_button = widgets.Button(description="Reset",
                                           tooltip="Back to step 1, clock stopped",
                                           style=big, layout=size)
        for button, action in [(self.start_button, "start"), (self.pause_button, "pause"),
                               (self.next_button, "next"), (self.back_button, "back"),
                               (self.reset_button, "reset")]:
            button.add_class("tlkit-runner-button")
            button.on_click(lambda pressed, act=action: self._press(act, pressed))
        buttons = widgets.HBox([self.back_button, self.start_button, self.pause_button,
                                self.next_button, self.reset_button],
                               layout=widgets.Layout(flex_flow="row wrap", gap="8px"))

        self.slot_box = widgets.IntText(description="Minutes available:",
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="260px"))
        self.slot_box.add_class("tlkit-runner-slot")
        self.slot_message = widgets.HTML()
        self.slot_message.add_class("tlkit-runner-slot-message")
        self.note = widgets.HTML()
        self.note.add_class("tlkit-runner-note")

        clock_panel = widgets.VBox(
            [self.step_clock, self.total_clock, buttons],
            layout=widgets.Layout(flex="1 1 420px", min_width="340px", align_items="center"))
        step_panel = widgets.VBox(
            [self.step_number, self.step_name, self.roles, self.guidance],
            layout=widgets.Layout(flex="1 1 420px", min_width="300px"))
        if self.presenter:
            # The room reads the step first, then glances at the clock: step on the left;
            # no minutes box and no notes, which are the facilitator's. Two equal halves: the
            # clock keeps its large type on a 1,280 px projector, and below about 1,150 px
            # the clock goes under the step, the screen's full width.
            clock_panel.add_class("tlkit-runner-clock-panel")
            step_panel.layout.flex = clock_panel.layout.flex = "1 1 560px"
            self.children = [self.title,
                             widgets.HBox([step_panel, clock_panel],
                                          layout=widgets.Layout(flex_flow="row wrap",
                                                                gap="2vw"))]
            return
        self.children = [
            self.title,
            widgets.HBox([clock_panel, step_panel],
                         layout=widgets.Layout(flex_flow="row wrap", gap="24px")),
            widgets.HBox([self.slot_box, self.slot_message],
                         layout=widgets.Layout(align_items="center", gap="12px")),
            self.note,
        ]

    # -- state: fitting, restoring, saving -------------------------------------------------

    def _fit(self, slot_minutes: int | None) -> tuple[Plan | None, str]:
        """The protocol planned for the slot, or None with the reason to show the facilitator."""
        try:
            return plan_for(self.protocol, slot_minutes), ""
        except ValueError as err:  # RescaleError says why (e.g. shorter than the minimum)
            return None, f"<span style='color:{OVERTIME_COLOUR}'>{html.escape(str(err))}</span>"

    def _restore(self, plan: Plan, now: Callable[[], float]) -> tuple[ProtocolClock, str]:
        fresh = list(plan.minutes)
        record = self._keeper.restore(check=self.autosave)
        if self._keeper.problem is not None:
            # Set aside, or nothing can be written: keep the clock on this page only.
            return (ProtocolClock.fresh(self.protocol.id, fresh, now=now), _small(problem_text(
                self._keeper.problem, "The saved clock", "This clock starts fresh."), "warning"))
        if record is None:
            return ProtocolClock.fresh(self.protocol.id, fresh, now=now), ""
        state = record.state
        steps = len(self.protocol.steps)
        if state.protocol_id != self.protocol.id or len(state.step_minutes) != steps:
            return (ProtocolClock.fresh(self.protocol.id, fresh, now=now),
                    _small(f"The saved clock was for '{state.protocol_id}' with "
                           f"{len(state.step_minutes)} steps; this protocol has {steps}, "
                           "so the clock starts fresh."))
        # The saved plan wins over the opening plan: it is what the group has been working to.
        try:
            self.plan = saved_plan(self.protocol, state.step_minutes)
        except PlanError as err:
            # Saved before the protocol file changed: the clock and every printout would
            # disagree, so start afresh with today's plan.
            return (ProtocolClock.fresh(self.protocol.id, fresh, now=now),
                    _small(f"{str(err)[0].upper()}{str(err)[1:]} The clock starts fresh."))
        finished = state.step_index >= steps
        where = "the end" if finished else f"step {state.step_index + 1} of {steps}"
        stale = paused_if_stale(state, now())
        if stale is not None:
            return ProtocolClock(stale, now=now), _small(
                f"The clock was left running more than 12 hours ago, so it is paused at the "
                f"end of {where}. Press Start to carry on, Next to move on, or Reset to run "
                "the protocol from the beginning.")
        return ProtocolClock(state, now=now), _small(f"Picked up where the group was: {where}.")

    def _save(self) -> None:
        if not self.autosave:
            return
        # One facilitator drives the clock, so the latest press wins: put, no merge.
        if self._keeper.put(RunnerRecord(self.clock.state)):
            self._seen = self._saved_stamp()  # our own write: nothing to follow
        else:
            self.note.value = _small(f"{cannot_save_text(self._keeper.problem)} The clock keeps "
                                     "running here, but a page reload would start it fresh.",
                                     "warning")

    # -- actions ----------------------------------------------------------------------------

    def _press(self, action: str, pressed: widgets.Button | None = None) -> None:
        """Press a clock button by name ("start", "pause", "next", "back", "reset")."""
        if self.control is not None:
            # The clock is kept elsewhere: press it there and show what it says now.
            state = self.control(action)
            if state is not None:
                self.adopt(state)
            if pressed is not None and pressed.disabled:
                self._refocus(pressed)
            return
        getattr(self.clock, action)()
        self.note.value = ""
        self._save()
        if self.clock.state.running:
            self._start_ticking()
        else:
            self._stop_ticking()
        self.refresh()
        if pressed is not None and pressed.disabled:
            self._refocus(pressed)

    def _refocus(self, pressed: widgets.Button) -> None:
        """A button that disables itself (Start once running, Pause once paused...) drops the
        keyboard focus to the page; give it to the control a facilitator presses next."""
        after = {self.start_button: (self.pause_button, self.next_button),
                 self.pause_button: (self.start_button, self.next_button),
                 self.next_button: (self.back_button, self.reset_button),
                 self.back_button: (self.next_button, self.start_button),
                 self.reset_button: (self.start_button, self.next_button)}
        for button in after.get(pressed, ()):
            if not button.disabled:
                button.focus()
                return

    def _on_slot_change(self, change) -> None:
        minutes = change["new"]
        if minutes == sum(self.clock.state.step_minutes):
            self.slot_message.value = ""
            return
        fitted, message = self._fit(minutes)
        if fitted is None:
            self.slot_message.value = message  # keep the current plan; say why not
            return
        self.clock.replan(list(fitted.minutes))
        self.plan = fitted
        self.slot_message.value = _small(
            f"Fitted to {minutes} minutes: " + ", ".join(map(str, fitted.minutes)) + " per step.")
        self._save()
        self.refresh()

    # -- ticking ----------------------------------------------------------------------------

    def _start_ticking(self) -> None:
        if self._ticker is not None and not self._ticker.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (plain Python, unit tests): call refresh() to redraw
        self._ticker = loop.create_task(self._tick())

    def _stop_ticking(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    async def _tick(self) -> None:
        while self.clock.state.running:
            self.refresh()
            # Wake just after the next whole second, so the countdown steps evenly.
            await asyncio.sleep(1.02 - self.clock.step_elapsed() % 1.0)
        self.refresh()

    def close(self) -> None:
        self._stop_ticking()
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        super().close()

    # -- following presses made on another page ---------------------------------------------

    def _saved_stamp(self) -> tuple[int, int] | None:
        try:
            return self.store.revision(self.state_key)
        except OSError:
            return None

    def _start_watching(self) -> None:
        # No event loop (unit tests): nothing is scheduled; call follow_saved() instead.
        self._watcher = Follower(self.look_for_presses)

    def look_for_presses(self) -> bool:
        """Follow the saved clock if its stamp changed since last seen (one cheap look)."""
        stamp = self._saved_stamp()
        if stamp == self._seen:
            return False
        self._seen = stamp
        return self.follow_saved()

    def follow_saved(self) -> bool:
        """Show the saved clock if another page changed it; True when the view changed.
        A file that is missing, unreadable or for another plan is left alone here: the
        page that wrote it reports its own problems."""
        # Not the keeper's latest(): another page's clock replaces this one, nothing merges.
        try:
            record = self.store.get(self.state_key, RunnerRecord)
        except (OSError, ValueError):
            return False
        if record is None:
            return False
        return self.adopt(record.state)

    def adopt(self, state: RunnerState) -> bool:
        """Show a clock moved on another page (a saved runner, a live session); True when the
        view changed. A clock for another protocol or a plan no longer possible is ignored."""
        if (state.protocol_id != self.protocol.id
                or len(state.step_minutes) != len(self.protocol.steps)
                or state == self.clock.state):
            return False
        try:
            plan = saved_plan(self.protocol, state.step_minutes)
        except PlanError:
            return False
        self.clock = ProtocolClock(state, now=self._now)
        self.plan = plan
        self.slot_box.value = plan.total  # equal to the plan: no re-fitting
        self.note.value = ""
        if state.running:
            self._start_ticking()
        else:
            self._stop_ticking()
        self.refresh()
        return True

    # -- drawing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw everything from the clock (the ticker calls this about once a second)."""
        clock, steps = self.clock, self.protocol.steps
        state = clock.state
        self.start_button.disabled = state.running or clock.finished
        self.pause_button.disabled = not state.running
        self.next_button.disabled = clock.finished
        self.back_button.disabled = state.step_index == 0
        self.reset_button.disabled = (state.step_index == 0 and not state.running
                                      and clock.step_elapsed() == 0)

        size = self._size
        if clock.finished:
            self.step_number.value = _line(f"All {len(steps)} steps done", size["number"])
            self.step_name.value = _line("Protocol complete", size["name"], bold=True)
            self.roles.value = ""
            self.guidance.value = "" if self.presenter else _line(
                "Press Back to return to the last step, or Reset to run the protocol again.",
                "1.2em")
        else:
            step = steps[state.step_index]
            self.step_number.value = _line(
                f"Step {state.step_index + 1} of {len(steps)} · "
                f"{state.step_minutes[state.step_index]} min planned", size["number"])
            self.step_name.value = _line(step.name, size["name"], bold=True)
            self.roles.value = self._roles_html(step)
            moves = ("" if self.presenter  # the room never sees the facilitator's moves
                     else _items("Facilitator moves", step.facilitator_moves))
            self.guidance.value = _items("Prompts", step.prompts, size["lists"]) + moves

        self._draw_step_clock()
        total = "Protocol complete" if clock.finished else (
            f"Whole protocol: {format_seconds(clock.total_remaining())} left")
        self.total_clock.value = (f"<div style='font-size:{self._size['total']};text-align:center;"
                                  f"font-variant-numeric:tabular-nums'>{total}</div>")

    def _roles_html(self, step) -> str:
        names = self.protocol.role_name
        lines = []
        if step.speakers:
            lines.append(f"<b>Speaking:</b> {html.escape(', '.join(map(names, step.speakers)))}")
        if step.listeners:
            lines.append("<b>Listening in silence:</b> "
                         f"{html.escape(', '.join(map(names, step.listeners)))}")
        return (f"<div style='font-size:{self._size['roles']};line-height:1.5'>"
                f"{'<br>'.join(lines)}</div>")

    def _draw_step_clock(self) -> None:
        clock = self.clock
        over = clock.is_step_over
        if over:
            self.step_clock.add_class("tlkit-runner-overtime")
            big = "+" + format_seconds(clock.step_overtime(), round_up=False)
            caption = "Time — move to the next step"
            colours = f"background:{OVERTIME_COLOUR};color:#ffffff"
        else:
            self.step_clock.remove_class("tlkit-runner-overtime")
            big = "--:--" if clock.finished else format_seconds(clock.step_remaining())
            if clock.finished:
                caption = "Done"
            elif clock.state.running:
                caption = "left in this step"
            elif clock.step_elapsed() > 0:
                caption = "Paused"
            else:
                caption = "Press Start to begin this step"
            colours = f"background:#e8eaf6;color:{CLOCK_COLOUR}"
        self.step_clock.value = (
            f"<div role='timer' style='{colours};border-radius:12px;padding:8px 16px;"
            "text-align:center;line-height:1.1'>"
            f"<div style='font-size:{self._size['clock']};font-weight:bold;"
            f"font-variant-numeric:tabular-nums'>{big}</div>"
            f"<div style='font-size:{self._size['caption']};font-weight:bold'>{caption}</div>"
            "</div>")


def _small(text: str, kind: str = "info") -> str:
    return message_html(text, kind, css_class="tlkit-runner-message")
