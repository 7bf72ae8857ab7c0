"""A printable paper observation form: time-stamped notes column and a look-for score grid.

One standalone HTML page with inline CSS only (no fonts, scripts or images fetched from
anywhere), laid out for A4/Letter when printed from the browser.
"""

from __future__ import annotations

from html import escape

from tlkit.practice.observation import Episode, Rubric

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; color: #111;
       margin: 1.5em auto; max-width: 60em; }
h1 { font-size: 18pt; margin: 0 0 .2em; }
h2 { font-size: 14pt; margin: 1.2em 0 .4em; border-bottom: 1px solid #444; }
.tlkit-form-meta { width: auto; }
.tlkit-form-meta td { border: none; padding: .5em .6em .1em 0; }
.tlkit-form-meta td.blank { border-bottom: 1px solid #444; width: 14em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: .35em .5em; vertical-align: top; text-align: left; }
.tlkit-form-notes td { height: 2.6em; }
.tlkit-form-notes .time { width: 5em; }
.tlkit-form-notes .tag { width: 9em; }
.tlkit-form-grid td.box { width: 2.2em; text-align: center; font-size: 14pt; }
.descriptor { font-size: 9.5pt; color: #333; }
.hint { font-size: 10pt; color: #333; }
.episode p { margin: .3em 0; }
/* Two sheets on Letter and on A4: notes on the first, scores and descriptors on the second.
   Letter is the shorter page (279 mm against 297 mm) and A4 the narrower (210 mm against
   216 mm): the sizes below fit both with the margins set here. */
@page { margin: 12mm 13mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12.5pt; margin: .7em 0 .3em; break-after: avoid; }
  th, td { padding: .25em .4em; }
  .tlkit-form-notes td { height: 2.5em; }
  .tlkit-form-grid td.box { font-size: 12pt; }
  .descriptor { font-size: 8.5pt; line-height: 1.25; }
  .hint { font-size: 9pt; margin: .3em 0; }
  tr { break-inside: avoid; }
  .tlkit-form-grid { break-before: page; }
  .tlkit-form-grid h2:first-child { margin-top: 0; }
  a { color: inherit; text-decoration: none; }
}
"""


def observation_form_html(rubric: Rubric, episode: Episode | None = None,
                          note_rows: int = 14) -> str:
    """The whole page as an HTML string; save it and print it, or show it in a notebook.

    With an episode, its setting and notes are printed first so a group can score the same
    written scene on paper (reference scores are left out: they come after the scoring).
    """
    e = escape
    scale = " · ".join(f"{level} = {e(label)}" for level, label in sorted(rubric.scale.items()))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Observation form: {e(rubric.name)}</title>",
        f"<style>{_CSS}</style></head><body class=\"tlkit-observation-form\">",
        f"<h1>Observation form: {e(rubric.name)}</h1>",
        f'<p class="hint">{e(rubric.purpose)}</p>',
        '<table class="tlkit-form-meta"><tr>'
        '<td>Observer</td><td class="blank"></td><td>Teacher / class</td><td class="blank"></td>'
        '</tr><tr><td>Date</td><td class="blank"></td><td>Start time</td><td class="blank"></td>'
        "</tr></table>",
    ]
    if episode is not None:
        parts.append(f'<section class="episode"><h2>Episode: {e(episode.title)}</h2>'
                     f"<p><em>{e(episode.setting)}</em></p>")
        parts += [f"<p><strong>{e(time)}</strong> {e(text)}</p>" for time, text in episode.notes]
        parts.append("</section>")

    parts.append(
        "<h2>Notes</h2>"
        '<p class="hint">Write what was said and done: quotes, counts, who spoke, what '
        "students did. Keep judgements for the conversation afterwards. Tag each note with the "
        "look-for it is evidence for.</p>"
        '<table class="tlkit-form-notes"><thead><tr><th class="time">Time</th>'
        '<th>What I saw and heard</th><th class="tag">Look-for</th></tr></thead><tbody>'
        + '<tr><td class="time"></td><td></td><td class="tag"></td></tr>' * note_rows
        + "</tbody></table>"
    )

    level_heads = "".join(f"<th>{level}</th>" for level in rubric.levels)
    parts.append(
        '<section class="tlkit-form-grid"><h2>Scores</h2>'
        f'<p class="hint">Circle or tick one level per look-for. {scale}.</p>'
        f"<table><thead><tr><th>Look-for</th>{level_heads}<th>Evidence (note times)</th>"
        "</tr></thead><tbody>"
    )
    for lf in rubric.look_fors:
        boxes = "".join('<td class="box">☐</td>' for _ in rubric.levels)
        parts.append(f"<tr><td><strong>{e(lf.name)}</strong>"
                     f'<div class="descriptor">{e(lf.look_for)}</div></td>{boxes}<td></td></tr>')
    parts.append("</tbody></table>")

    parts.append("<h2>Level descriptors</h2><table><thead><tr><th>Look-for</th>"
                 + "".join(f"<th>{level} {e(rubric.scale[level])}</th>" for level in rubric.levels)
                 + "</tr></thead><tbody>")
    for lf in rubric.look_fors:
        cells = "".join(f'<td class="descriptor">{e(lf.levels[level])}</td>'
                        for level in rubric.levels)
        parts.append(f"<tr><td>{e(lf.short)}</td>{cells}</tr>")
    parts.append("</tbody></table></section>")
    if rubric.sources:
        parts.append('<p class="hint">Sources: ' + "; ".join(e(s) for s in rubric.sources)
                     + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
