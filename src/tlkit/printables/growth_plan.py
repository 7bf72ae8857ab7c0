"""A teacher leader's growth plan as one printable page or two: the profile from the
self-assessment, the plan's boxes and the evidence named for each rating.

One standalone page on the shared print stylesheet (page_style): CSS inline, no outside links,
fonts or images. With `profile=None` and an empty plan it is the blank form the facilitator
guide hands out.
"""

from __future__ import annotations

from html import escape
from typing import Mapping

from tlkit.practice.self_assessment import Profile, SelfAssessment
from tlkit.printables.page_style import page_html

# The plan's boxes, in the order they are written and printed: (key, label, question).
PLAN_FIELDS = (
    ("focus", "The domain I grow first", "Which domain, and why this one now?"),
    ("goal", "My goal", "What will I be able to do by the review date that I cannot do well today?"),
    ("steps", "First steps", "What will I do in the next month, and with whom?"),
    ("support", "Support I need", "Who can help: a coach, a colleague, my principal, a partner organization?"),
    ("evidence", "How I will know it is working", "What will I see, hear or collect?"),
    ("review", "Review date", "When will I look at this plan again?"),
)
# A box longer than this may push the printed plan past two pages (the export keeps it all).
BOX_LIMIT = 350

# The plan's own rules; the rest is the shared print stylesheet (page_style).
_CSS = """
body { font-size: 10pt; line-height: 1.25; }
h1 { font-size: 1.5em; }
p, ul { margin: .2em 0; }
th, td { padding: .2em .4em; }
.plan { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1em; }
.field { break-inside: avoid; }
.box { border: 1px solid #767676; padding: .2em .4em; margin: .15em 0 .4em; min-height: 2.4em;
       white-space: pre-wrap; }
.box.blank { min-height: 4.5em; }
.label { font-weight: 700; margin-top: .4em; }
.question { color: #333; font-size: .9em; }
.evidence td, .evidence tbody th { font-size: .85em; padding: .1em .3em; }
.evidence tbody th { background: #f4f4f4; }
"""


TITLE = "My growth plan as a teacher leader"


def growth_plan_html(assessment: SelfAssessment, profile: Profile | None,
                     plan: Mapping[str, str], evidence: Mapping[str, str] | None = None,
                     *, domain_names: Mapping[str, str] | None = None) -> str:
    """The whole printable document. `plan` maps PLAN_FIELDS keys to text ("focus" may hold a
    domain id, shown by name); `evidence` maps item ids to the evidence the learner wrote."""
    body = _plan_body(assessment, profile, plan, evidence, domain_names, heading="h1")
    return page_html(TITLE, body, css=_CSS)


def _plan_body(assessment: SelfAssessment, profile: Profile | None, plan: Mapping[str, str],
               evidence: Mapping[str, str] | None, domain_names: Mapping[str, str] | None,
               heading: str) -> str:
    evidence = evidence or {}
    names = dict(domain_names or {d.id: d.name for d in assessment.domains})
    blank = profile is None and not any(str(v).strip() for v in plan.values())
    parts = [f"<{heading}>{escape(TITLE)}</{heading}>"]
    if profile is not None and profile.ratings:
        parts.append("<h2>My profile</h2>")
        strengths = ", ".join(d.domain.name for d in profile.strengths) or "none yet"
        growth = ", ".join(d.domain.name for d in profile.growth_areas) or "none"
        parts.append(f"<p>{profile.rated} of {profile.total} statements rated, from 1 "
                     f"({escape(assessment.scale[0])}) to {len(assessment.scale)} "
                     f"({escape(assessment.scale[-1])}). <b>Strengths:</b> {escape(strengths)}. "
                     f"<b>Growth areas:</b> {escape(growth)}.</p>")
        head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in Profile.TABLE_HEADER)
        rows = "".join("<tr><td>" + escape(row[0]) + "</td>"
                       + "".join(f"<td class='num'>{escape(c)}</td>" for c in row[1:])
                       + "</tr>" for row in profile.table())
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    elif blank:
        parts.append("<p>Rate yourself with the self-assessment first; then write your plan "
                     "in the boxes below.</p>")
    parts.append("<h2>My plan</h2><div class='plan'>")
    for key, label, question in PLAN_FIELDS:
        text = str(plan.get(key) or "").strip()
        if key == "focus":
            text = names.get(text, text)
        css = "box" if text else "box blank"
        parts.append(f"<div class='field'><div class='label'>{escape(label)}</div>"
                     f"<div class='question'>{escape(question)}</div>"
                     f"<div class='{css}'>{escape(text)}</div></div>")
    parts.append("</div>")
    if profile is not None:
        rows = []
        for domain in assessment.domains:
            rated = [item for item in assessment.items_in(domain.id) if item.id in profile.ratings]
            if rated:
                rows.append(f"<tr><th scope='colgroup' colspan='3'>{escape(domain.name)}</th></tr>")
            for item in rated:
                rows.append(f"<tr><td>{escape(item.statement)}</td>"
                            f"<td>{escape(assessment.word(profile.ratings[item.id]))}</td>"
                            f"<td>{escape(str(evidence.get(item.id) or '').strip()) or '-'}</td></tr>")
        if rows:
            parts.append("<h2>My ratings and evidence</h2><table class='evidence'><thead><tr>"
                         "<th scope='col'>Statement</th><th scope='col'>Rating</th>"
                         "<th scope='col'>Evidence</th></tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table>")
    sources = "; ".join(escape(s) for s in assessment.sources)
    parts.append(f"<p class='credit'>The statements and the scale ({escape(' / '.join(assessment.scale))}) "
                 f"are the Teacher Leader Kit's own. The four domains follow: {sources}</p>")
    return "".join(parts)


def over_limit(plan: Mapping[str, str]) -> list[str]:
    """Labels of the boxes longer than BOX_LIMIT characters."""
    return [label for key, label, _q in PLAN_FIELDS if len(str(plan.get(key) or "")) > BOX_LIMIT]


# The four roles as the session handout shows them (WestEd, 2017, in the kit's own words).
ROLES = (
    ("Professional learning facilitator", "Plans and leads learning for a group of colleagues."),
    ("Curriculum specialist", "Writes or adapts units, tasks and assessments for many classes."),
    ("Curator", "Finds, judges and shares good materials that others made."),
    ("Instructional coach", "Works one to one with a colleague on their own lessons."),
)


def session_handout_html(assessment: SelfAssessment) -> str:
    """The live session's handout: the four roles, the scale and how the profile reads, then a
    blank growth plan to fill in by hand (two pages at most)."""
    roles = "".join(f"<tr><th scope='row'>{escape(name)}</th><td>{escape(what)}</td></tr>"
                    for name, what in ROLES)
    scale = ", ".join(f"{n} {w}" for n, w in enumerate(assessment.scale, start=1))
    domains = ", ".join(d.name for d in assessment.domains)
    intro = ("<h1>Teacher-leader roles: session handout</h1>"
             "<h2>Four roles, with classroom teaching at the centre</h2>"
             f"<table><tbody>{roles}</tbody></table>"
             "<p>Source: WestEd, Center for the Future of Teaching and Learning (2017), "
             "<i>Forging partnerships: A model for teacher leadership development</i>.</p>"
             "<h2>Rating yourself</h2>"
             f"<p>Scale: {escape(scale)}. Domains: {escape(domains)}. A domain is a strength at "
             "4 or more with no foundational statement below 3; a growth area below 3, or with a "
             "foundational statement below 3.</p>")
    plan = _plan_body(assessment, None, {}, None, None, heading="h2")
    return page_html("Teacher-leader roles: session handout", intro + plan, css=_CSS)
