"""A teach-back's result as one printable page for the teacher leader: per look-for the median
and spread of the peers' scores (no scorer named), the warm and cool feedback, and room to plan
the next try. On the shared print stylesheet (page_style). Also the reference episode as HTML
for the facilitator's calibration talk."""

from __future__ import annotations

from html import escape

from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.teachback import (EPISODE_ID, NEXT_TRY_PROMPT, Returned, TeachBackResult,
                                      returned)
from tlkit.printables.page_style import page_html

_CSS = """
.plan { border: 1px solid #767676; min-height: 6em; margin-top: .3em; }
"""


def result_html(result: Returned, heading: str = "h2") -> str:
    """The result's table and its warm and cool feedback, for the printable page and for the
    facilitator's and the teacher leader's views alike."""
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in result.rows)

    def listed(title: str, items: tuple[str, ...], empty: str) -> str:
        body = ("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items
                else f"<p>{escape(empty)}</p>")
        return f"<{heading}>{escape(title)}</{heading}>{body}"

    return (f"<p>{result.scorers} peer score sheet{'s' if result.scorers != 1 else ''}. Each "
            "row gives the middle score (median) and the lowest to highest; no scorer is "
            "named.</p><table><thead><tr><th scope='col'>Look-for</th><th scope='col'>Scored "
            "by</th><th scope='col'>Median</th><th scope='col'>Spread</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            + listed("Warm feedback", result.warm, "No warm feedback was sent.")
            + listed("Cool feedback", result.cool, "No cool feedback was sent."))


def teach_back_html(result: TeachBackResult) -> str:
    title = f"Teach-back: {result.teacher}" if result.teacher else "Teach-back"
    scale = ", ".join(f"{level} {escape(name)}" for level, name in result.rubric.scale.items())
    notes = "".join(f"<p>{escape(n)}</p>" for n in result.left_out)
    body = (f"<h1>{escape(title)}</h1><p>Scored on the rubric “{escape(result.rubric.name)}” "
            f"(scale: {scale}).</p>{notes}{result_html(returned(result))}"
            f"<h2>My next try</h2><p>{escape(NEXT_TRY_PROMPT)}</p><div class='plan'></div>")
    return page_html(title, body, css=_CSS)


def episode_html(episode_id: str = EPISODE_ID) -> str:
    """The reference episode for the calibration talk: its setting and notes, with the
    reference scores and their reasons folded away until the group has talked."""
    episode = load_episode(episode_id)
    rubric = load_rubric(episode.rubric_id)
    notes = "".join(f"<li><b>{escape(t)}</b> {escape(text)}</li>" for t, text in episode.notes)
    reference = "".join(f"<li><b>{escape(rubric.look_for(lf).name)}: {score}</b>. "
                        f"{escape(episode.rationale.get(lf, ''))}</li>"
                        for lf, score in episode.reference.items())
    return (f"<p>{escape(episode.setting)}</p><ul>{notes}</ul><details><summary>Reference "
            f"scores and their reasons</summary><ul>{reference}</ul></details>")
