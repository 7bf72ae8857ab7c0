"""What a plan looks like to people: the year-at-a-glance chart with its table, the summary,
and a printable page, all as plain HTML (no widgets, nothing fetched)."""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from html import escape

from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from tlkit.charts import PALETTE, chart_html, new_figure, to_svg
from tlkit.planning.design import FEATURES
from tlkit.planning.planner import Plan
from tlkit.printables.page_style import fragment_style, page_html

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
SCHOOL_DAY, CLOSED, TESTING = "#E8E8E8", "#7F7F7F", "#F0E442"


def _months(plan: Plan) -> list[tuple[int, int]]:
    months, day = [], plan.year.first.replace(day=1)
    while day <= plan.year.last:
        months.append((day.year, day.month))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def calendar_figure(plan: Plan):
    """A year at a glance: a row per month, a square per day. Grey: school day; dark grey:
    closed; yellow: testing window; a marker per session (colour and shape per component;
    a hollow marker is a session that is not held)."""
    months = _months(plan)
    fig, ax = new_figure(9.0, 0.42 * len(months) + 1.6)
    year = plan.year
    squares, colours = [], []
    for row, (y, m) in enumerate(months):
        for d in range(1, _calendar.monthrange(y, m)[1] + 1):
            day = date(y, m, d)
            if not year.first <= day <= year.last or day.weekday() >= 5:
                continue
            squares.append(Rectangle((d - 0.45, row - 0.45), 0.9, 0.9))
            colours.append(CLOSED if year.closure_on(day) else
                           TESTING if year.testing_on(day) else SCHOOL_DAY)
    # One collection, not a patch per day: a year's 200 squares draw in one call.
    ax.add_collection(PatchCollection(squares, facecolors=colours, linewidths=0),
                      autolim=False)
    names = [c.name for c in plan.design.components]
    for index, name in enumerate(names):
        colour, marker = PALETTE[index % len(PALETTE)], MARKERS[index % len(MARKERS)]
        for held in (True, False):
            points = [(s.day.day, months.index((s.day.year, s.day.month)))
                      for s in plan.sessions if s.component == name and s.held is held]
            if not points:
                continue
            xs, ys = zip(*points)
            label = name if held else f"{name} (not held: school closed)"
            ax.scatter(xs, ys, s=70, marker=marker, label=label, zorder=3,
                       facecolors=colour if held else "white", edgecolors=colour if not held
                       else "black", linewidths=1.5 if not held else 0.6)
    ax.add_patch(Rectangle((0, 0), 0, 0, color=CLOSED, label="School closed"))
    ax.add_patch(Rectangle((0, 0), 0, 0, color=TESTING, label="Testing window"))
    ax.set_xlim(0.4, 31.6)
    ax.set_ylim(len(months) - 0.5, -0.5)
    ax.set_yticks(range(len(months)), [f"{_calendar.month_abbr[m]} {y}" for y, m in months])
    ax.set_xticks([1, 5, 10, 15, 20, 25, 31])
    ax.set_xlabel("Day of the month (weekends left blank)")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False,
              fontsize=9)
    ax.set_title(f"{plan.design.title}\n{year.name}", fontsize=10, loc="left")
    return fig


def chart_alt(plan: Plan) -> str:
    held = plan.held()
    skipped = len(plan.sessions) - len(held)
    first = min((s.day for s in held), default=None)
    last = max((s.day for s in held), default=None)
    span = (f" from {first:%d %B %Y} to {last:%d %B %Y}" if first and last else "")
    return (f"Calendar of the school year, a row per month: {len(held)} sessions held{span}"
            f"; {skipped} fall on closed days. The table below lists every session.")


def session_rows(plan: Plan) -> list[tuple[str, str, str, str, str]]:
    return [(s.day.isoformat(), s.day.strftime("%A"), s.component, str(s.minutes),
             "held" + (f" ({s.note})" if s.note else "") if s.held else f"not held: {s.note}")
            for s in plan.sessions]


SESSION_HEADER = ("Date", "Day", "Component", "Minutes", "Status")


def calendar_html(plan: Plan, fig=None) -> str:
    """The chart with its alt text and the table of sessions; `fig`: one already drawn."""
    fig = fig if fig is not None else calendar_figure(plan)
    return chart_html(fig, chart_alt(plan), session_rows(plan), SESSION_HEADER,
                      caption="The year at a glance")


def summary_html(plan: Plan) -> str:
    """Contact hours, each component's share and features, and what is not served."""
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row)
        + f"<td>{escape(', '.join(FEATURES[f] for f in plan.features_served()[row[0]]))}</td></tr>"
        for row in plan.summary_rows())
    missing = plan.features_missing()
    missing_text = ("Every one of the seven features is served by some component." if not missing
                    else "Not served by any component: "
                    + ", ".join(FEATURES[f] for f in missing) + ".")
    return (f"<p class='tlkit-plan-hours' style='font-size:1.2em'><b>Contact hours per teacher: "
            f"{plan.contact_hours:g}</b> ({len(plan.held())} sessions held; the teacher "
            f"leader's time with teachers: {plan.leader_minutes() / 60:g} hours for a cohort of "
            f"{plan.constraints.cohort}).</p>"
            "<table class='tlkit-plan-summary'><caption>Each component of the design</caption>"
            "<thead><tr><th scope='col'>Component</th><th scope='col'>Mode</th>"
            "<th scope='col'>Sessions held</th><th scope='col'>Hours</th>"
            "<th scope='col'>Share</th><th scope='col'>Features it serves</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p class='tlkit-plan-missing'>{escape(missing_text)}</p>")


def violations_html(plan: Plan) -> str:
    if not plan.violations:
        return ("<p class='tlkit-plan-ok'>No clashes: no session falls on a closed day or in a "
                "testing window, and the plan keeps within the limits you set.</p>")
    items = "".join(f"<li>{escape(v.sentence())}</li>" for v in plan.violations)
    return (f"<p><b>{len(plan.violations)} thing(s) to fix:</b></p>"
            f"<ul class='tlkit-plan-violations'>{items}</ul>")


def printable_html(plan: Plan, fig=None) -> str:
    """A whole page to print or save: the chart (SVG), the summary, the clashes, every session.
    `fig`: the chart already drawn for the page, if there is one."""
    svg = to_svg(fig if fig is not None else calendar_figure(plan))
    svg = svg[svg.find("<svg"):]
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in session_rows(plan))
    head = "".join(f"<th scope='col'>{h}</th>" for h in SESSION_HEADER)
    title = f"Year plan: {plan.design.title}"
    body = (f"<h1>{escape(title)}</h1>"
            f"<p>{escape(plan.year.name)}: {plan.year.first:%d %B %Y} to "
            f"{plan.year.last:%d %B %Y}.</p>"
            f"<figure role='img' aria-label='{escape(chart_alt(plan), quote=True)}'>{svg}"
            "</figure>"
            f"{summary_html(plan)}<h2>Things to fix</h2>{violations_html(plan)}"
            f"<h2>Every session</h2><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")
    return page_html(title, body, css="figure { margin: 0; }")


GUSKEY_LEVELS = ("Reactions: did teachers find it useful and well run?",
                 "Learning: did teachers gain the knowledge and skills it aimed at?",
                 "Organization support and change: did the school give time and backing?",
                 "Use: do teachers now use what they learned, and how well?",
                 "Student learning outcomes: what changed for students?")


def handout_html(designs) -> str:
    """A one-page participant handout: each design's parts with the features they serve, and a
    worksheet for an evaluation planned backwards from Guskey's level 5 (Guskey, 2000)."""
    blocks = []
    for design in designs:
        rows = "".join(
            f"<tr><td>{escape(c.name)}</td><td>{escape(c.mode)}</td>"
            f"<td>{escape(c.frequency)}, {c.minutes} minutes</td>"
            f"<td>{escape(', '.join(FEATURES[f] for f in c.features))}</td></tr>"
            for c in design.components)
        blocks.append(f"<h3>{escape(design.title)}</h3><p>{escape(design.summary)}</p>"
                      "<table><thead><tr><th scope='col'>Part</th><th scope='col'>Mode</th>"
                      "<th scope='col'>How often</th><th scope='col'>Features it serves</th>"
                      f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    levels = "".join(f"<tr><td>{5 - i}. {escape(GUSKEY_LEVELS[4 - i])}</td><td></td></tr>"
                     for i in range(5))
    return ("<section class='tlkit-handout' style='max-width:48em'>"
            + fragment_style(".tlkit-handout") +
            "<h2>Handout: designing a year of teacher-led learning</h2>"
            + "".join(blocks) +
            "<h3>Plan the evaluation backwards (start at level 5)</h3>"
            "<table><thead><tr><th scope='col'>Level</th><th scope='col'>Evidence we will "
            f"collect</th></tr></thead><tbody>{levels}</tbody></table>"
            "<p style='font-size:0.85em'>Sources: WestEd (2017), Teachers leading the way; "
            "Darling-Hammond, Hyler &amp; Gardner (2017); Guskey (2000).</p></section>")
