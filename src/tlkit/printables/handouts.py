"""Printable one-page handouts for discussion protocols.

Each handout is one standalone page on the shared print stylesheet (page_style): CSS inline,
no outside links, fonts or images.
"""

from __future__ import annotations

from html import escape

from tlkit.practice.plan import Plan, plan_for
from tlkit.practice.protocols import Protocol, who_listens, who_speaks
from tlkit.printables.page_style import page_html

# Prompts per step on the handout; the rest stay in the runner, so the page fits on one sheet.
KEY_PROMPTS = 2

# Only what is this handout's own; the rest is the shared print stylesheet (page_style).
_CSS = """
.facts { display: flex; gap: 1.5em; flex-wrap: wrap; font-weight: 600; }
.columns { display: grid; grid-template-columns: 3fr 2fr; gap: 1.5em; }
dt { font-weight: 700; }
dd { margin: 0 0 .3em 0; }
tfoot td { font-weight: 700; }
td ul { margin: 0; padding-left: 1em; }
th.prompts { width: 38%; }
@media print {
  body { font-size: 8.5pt; line-height: 1.2; }
}
"""


def _clock(minutes: int) -> str:
    """Minutes from the start as H:MM, e.g. 75 -> "1:15"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def protocol_handout(plan: Plan | Protocol | str, slot_minutes: int | None = None) -> str:
    """A complete HTML page for one plan: exactly its minutes per step.

    A protocol (or its id) is planned here with plan_for, for slot_minutes when given; that
    raises RescaleError (tlkit.practice.rescale) when the slot is too short for the protocol.
    """
    if not isinstance(plan, Plan):
        plan = plan_for(plan, slot_minutes)
    protocol, minutes = plan.protocol, plan.minutes
    if plan.slot_minutes is None:
        timing = f"Suggested time: {protocol.total_minutes} minutes"
    else:
        timing = (f"Timed for a {plan.slot_minutes}-minute slot "
                  f"(suggested: {protocol.total_minutes} minutes)")
    e = escape
    low, high = protocol.group_size

    rows = []
    for number, (step, length, start) in enumerate(
            zip(protocol.steps, minutes, plan.starts), start=1):
        prompts = "".join(f"<li>{e(p)}</li>" for p in step.prompts[:KEY_PROMPTS])
        rows.append(
            f'<tr class="tlkit-handout-step"><td class="num">{number}</td>'
            f"<td><strong>{e(step.name)}</strong></td>"
            f'<td class="num tlkit-handout-start">{e(_clock(start))}</td>'
            f'<td class="num tlkit-handout-minutes">{length}</td>'
            f'<td class="tlkit-handout-speakers">{e(who_speaks(protocol, step))}</td>'
            f'<td class="tlkit-handout-listeners">{e(who_listens(protocol, step))}</td>'
            f"<td><ul>{prompts}</ul></td></tr>")

    roles = "".join(f"<dt>{e(r.name)}</dt><dd>{e(r.description)}</dd>" for r in protocol.roles)
    norms = "".join(f"<li>{e(n)}</li>" for n in protocol.norms)
    body = f"""
<h1>{e(protocol.name)}</h1>
<p>{e(protocol.purpose)}</p>
<p class="facts"><span>Group: {low} to {high} people</span><span>{e(timing)}</span></p>
<div class="columns">
<section><h2>Roles</h2><dl>{roles}</dl></section>
<section><h2>Norms</h2><ul>{norms}</ul></section>
</div>
<h2>Steps</h2>
<table>
<thead><tr><th scope="col">#</th><th scope="col">Step</th><th scope="col">Starts</th>
<th scope="col">Minutes</th><th scope="col">Who speaks</th><th scope="col">Listens in silence</th>
<th scope="col" class="prompts">Key prompts</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody>
<tfoot><tr><td></td><td>Total</td><td></td><td class="num">{plan.total}</td>
<td colspan="3"></td></tr></tfoot>
</table>
<p class="credit"><strong>Originators:</strong> {e(protocol.originators)}<br>
<strong>Source:</strong> {e(protocol.source_note)}</p>
"""
    return page_html(protocol.name, body, css=_CSS, body_class="tlkit-handout") + "\n"
