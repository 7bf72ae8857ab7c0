"""Prose that repeats a module's numbers, checked against the metadata those numbers come from.

A section's minutes are written once, in its heading cell's metadata; the agenda, the runners
and the handouts read them from there. Some prose repeats them for readers, and that prose can
drift: the time line under each heading, the intro's "**Time:**" line, a protocol's step table.
module_problems() lists every place where the words and the metadata disagree, in plain
sentences that say which line to change; a test runs it on every module in the manifest.
"""

from __future__ import annotations

import re

from tlkit.course.module import Module, Section
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.plan import plan_for
from tlkit.practice.protocols import load_protocol

# "*Self-study about 10 minutes · live session 45 minutes*": an italic line naming minutes.
_TIME_LINE = re.compile(r"^\*[^*\n]*\bminutes?\b[^*\n]*\*\s*$", re.M)
_DURATION = re.compile(r"(\d+)\s*-?\s*(hours?|h|minutes?|mins?)\b", re.I)
_SLOT = re.compile(r"(\d+)-minute slot")


def minutes_words(minutes: int) -> str:
    """75 -> "1 hour 15 minutes", 120 -> "2 hours", 45 -> "45 minutes"."""
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def time_line(section: Section) -> str:
    """The line every section heading shows under its title, made from its metadata."""
    if section.live_minutes == 0:
        return f"*Self-study about {minutes_words(section.self_study_minutes)} · no live session*"
    if section.self_study_minutes == 0:
        return f"*Live session {minutes_words(section.live_minutes)} · no self-study*"
    return (f"*Self-study about {minutes_words(section.self_study_minutes)} · "
            f"live session {minutes_words(section.live_minutes)}*")


def durations(text: str) -> list[int]:
    """Durations in a line of prose, in minutes: "about 1 hour 35 minutes ... a 2-hour session"
    -> [95, 120]. An hour figure followed directly by a minute figure is one duration."""
    found: list[int] = []
    previous_end, previous_was_hours = None, False
    for match in _DURATION.finditer(text):
        amount, unit = int(match[1]), match[2].lower()
        is_hours = unit.startswith("h")
        joined = (previous_was_hours and not is_hours and previous_end is not None
                  and re.fullmatch(r"\s*(and\s*)?", text[previous_end:match.start()]))
        if joined:
            found[-1] += amount
        else:
            found.append(amount * 60 if is_hours else amount)
        previous_end, previous_was_hours = match.end(), is_hours
    return found


def module_problems(module: Module) -> list[str]:
    """Every disagreement between the module's prose and its metadata, as plain sentences."""
    where = f"{module.path.name}" if module.path else module.name
    problems = _intro_problems(module, where)
    for section in module.sections:
        problems += _heading_problems(section, where)
        if section.activity is not None:
            problems += _activity_problems(section, where)
    return problems


def _intro_problems(module: Module, where: str) -> list[str]:
    line = next((ln for ln in module.intro.splitlines() if ln.strip().startswith("**Time:**")),
                None)
    if line is None:
        return []  # no time line in the intro: nothing that could drift
    # The line may wrap onto the next one in the source; read up to the paragraph's end.
    start = module.intro.index(line)
    paragraph = module.intro[start:].split("\n\n", 1)[0]
    said = durations(paragraph)
    wanted = [module.self_study_minutes, module.session_minutes]
    if said[:2] == wanted:
        return []
    shown = " and ".join(minutes_words(m) for m in said) or "no durations"
    return [f"{where}, intro: the **Time:** line says {shown}, but the sections add up to "
            f"{minutes_words(wanted[0])} of self-study and the live session (modules/course.yaml) "
            f"is {minutes_words(wanted[1])}. Write: **Time:** about {minutes_words(wanted[0])} "
            f"of reading and activities on your own, then a {minutes_words(wanted[1])} live "
            f"session."]


def _heading_problems(section: Section, where: str) -> list[str]:
    wanted = time_line(section)
    lines = [ln.strip() for ln in _TIME_LINE.findall(section.heading)]
    if wanted in lines:
        return []
    place = f"{where}, section {section.title!r}"
    if not lines:
        return [f"{place}: the heading has no time line. Add this line under the title: "
                f"{wanted}"]
    return [f"{place}: the heading says {lines[0]} but its metadata says self-study "
            f"{section.self_study_minutes}, live {section.live_minutes} minutes. Change the line "
            f"to {wanted} (or the metadata, if the line is right)."]


def _activity_problems(section: Section, where: str) -> list[str]:
    activity, place = section.activity, f"{where}, section {section.title!r}"
    problems = []
    try:
        if activity.rubric:
            load_rubric(activity.rubric)
        if activity.episode:
            load_episode(activity.episode)
        protocol = load_protocol(activity.protocol) if activity.protocol else None
    except (ValueError, OSError) as err:
        return [f"{place}: its activity cannot be loaded: {err}"]
    for slot in _SLOT.findall(section.heading):
        if int(slot) != section.live_minutes:
            problems.append(f"{place}: the text says a {slot}-minute slot but the section has "
                            f"{section.live_minutes} live minutes. Say \"the section's live "
                            f"minutes\" instead of a number, or change the number.")
    if protocol is None:
        return problems
    if section.live_minutes and section.live_minutes < protocol.min_minutes:
        problems.append(f"{place}: {protocol.name} needs at least {protocol.min_minutes} "
                        f"minutes but the section has {section.live_minutes} live minutes. Give "
                        f"the section more live minutes or choose a shorter protocol.")
    table = _minutes_column(section.heading)
    if table is None:
        return problems
    # The table must show what the section's runner shows: the protocol fitted to the
    # section's live minutes (a 60-minute table above a runner fitted to 45 misleads).
    try:
        plan = plan_for(protocol, section.live_minutes or None)
    except ValueError:
        return problems   # too short: reported above
    steps, total = table
    if steps != list(plan.minutes) or (total is not None and total != plan.total):
        fitted = (f"the runner fits {protocol.id}.yaml to the section's {plan.total} live "
                  f"minutes" if plan.slot_minutes else f"{protocol.id}.yaml suggests")
        problems.append(
            f"{place}: the step table gives {steps} (total {total}) minutes but {fitted}: "
            f"{list(plan.minutes)} (total {plan.total}). Copy those minutes into the table.")
    return problems


def _minutes_column(text: str) -> tuple[list[int], int | None] | None:
    """The step minutes and total of the first markdown table whose last column is Minutes."""
    rows = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("|")]
    for number, row in enumerate(rows):
        cells = [c.strip().strip("*").strip() for c in row.strip("|").split("|")]
        if cells and cells[-1].lower() == "minutes":
            steps, total = [], None
            for body in rows[number + 2:]:
                cells = [c.strip().strip("*").strip() for c in body.strip("|").split("|")]
                if not cells[-1].isdigit():
                    break
                if cells[0].lower() == "total":
                    total = int(cells[-1])
                else:
                    steps.append(int(cells[-1]))
            return steps, total
    return None
