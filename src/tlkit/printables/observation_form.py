"""A printable paper observation form: time-stamped notes column and a look-for score grid.

One standalone page on the shared print stylesheet (page_style): no fonts, scripts or images
fetched from anywhere, laid out for two sheets of A4 or Letter when printed from the browser.
"""

from __future__ import annotations

from html import escape

from tlkit.practice.observation import Episode, Rubric
from tlkit.printables.page_style import page_html

NOTE_ROWS = 14   # blank note rows on the form without an episode

# The form's own rules; the rest is the shared print stylesheet (page_style).
_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; line-height: normal; }
h1 { font-size: 18pt; }
h2 { font-size: 12pt; margin: 1.2em 0 .4em; border-bottom: 1px solid #444; color: #111;
     text-transform: none; letter-spacing: normal; }
.tlkit-form-meta { width: auto; }
.tlkit-form-meta td { border: none; padding: .5em .6em .1em 0; }
.tlkit-form-meta td.blank { border-bottom: 1px solid #444; width: 14em; }
th, td { border-color: #444; padding: .35em .5em; }
.tlkit-form-notes td { height: 3em; }
.tlkit-form-notes .time { width: 5em; }
.tlkit-form-notes .tag { width: 9em; }
.tlkit-form-episode td { height: auto; }
.tlkit-form-grid td.box { width: 2.2em; text-align: center; font-size: 14pt; }
.descriptor { font-size: 9.5pt; color: #333; }
.tlkit-form-grid tbody th { background: none; font-weight: 400; }
.hint { font-size: 10pt; color: #333; }
.setting { font-style: italic; }
/* Two sheets on Letter and on A4: notes on the first (with an episode: the episode's notes,
   each with a blank look-for column to tag), scores and descriptors on the second. Letter is
   the shorter page (279 mm against 297 mm) and A4 the narrower (210 mm against 216 mm): the
   sizes below fit both with the margins set here. */
@page { margin: 12mm 13mm; }
@media print {
  body { font-size: 10.5pt; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12pt; margin: .7em 0 .3em; }
  th, td { padding: .25em .4em; }
  .tlkit-form-notes td { height: 2.95em; }  /* border-box: padding inside */
  .tlkit-form-episode { font-size: 9.5pt; line-height: 1.25; }
  .tlkit-form-episode td { height: auto; padding: .15em .35em; }
  .tlkit-form-grid td.box { font-size: 12pt; }
  .descriptor { font-size: 9pt; line-height: 1.25; }
  .hint { font-size: 9pt; margin: .3em 0; }
  .tlkit-form-grid { break-before: page; }
  .tlkit-form-grid h2:first-child { margin-top: 0; }
}
"""


def observation_form_html(rubric: Rubric, episode: Episode | None = None,
                          note_rows: int | None = None) -> str:
    """The whole page as an HTML string; save it and print it, or show it in a notebook.

    With an episode, its setting and notes are the first sheet: each note with a blank column
    to tag the look-for it is evidence for, so a group scores the same written scene on paper
    (reference scores are left out: they come after the scoring). `note_rows` blank rows
    follow for the observer's own notes: 14 by default, none with an episode.
    """
    e = escape
    if note_rows is None:
        note_rows = 0 if episode is not None else NOTE_ROWS
    scale = " · ".join(f"{level} = {e(label)}" for level, label in sorted(rubric.scale.items()))
    title = f"Observation form: {rubric.name}"
    parts = [
        f"<h1>{e(title)}</h1>",
        f'<p class="hint">{e(rubric.purpose)}</p>',
        '<table class="tlkit-form-meta" role="presentation"><tr>'
        '<td>Observer</td><td class="blank"></td><td>Teacher / class</td><td class="blank"></td>'
        '</tr><tr><td>Date</td><td class="blank"></td><td>Start time</td><td class="blank"></td>'
        "</tr></table>",
    ]
    head = ('<thead><tr><th scope="col" class="time">Time</th>'
            '<th scope="col">What I saw and heard</th>'
            '<th scope="col" class="tag">Look-for</th></tr></thead><tbody>')
    blank = '<tr><td class="time"></td><td></td><td class="tag"></td></tr>' * note_rows
    if episode is not None:
        rows = "".join(f'<tr><td class="time">{e(time)}</td><td>{e(text)}</td>'
                       '<td class="tag"></td></tr>' for time, text in episode.notes)
        parts.append(
            f'<section class="episode"><h2>Episode: {e(episode.title)}</h2>'
            f'<p class="setting">{e(episode.setting)}</p>'
            '<p class="hint">Read the notes. In the last column, tag each note with the '
            "look-for it is evidence for; then score on the next sheet.</p>"
            '<table class="tlkit-form-notes tlkit-form-episode">'
            f"{head.replace('What I saw and heard', 'What was seen and heard')}{rows}{blank}"
            "</tbody></table></section>")
    else:
        parts.append(
            "<h2>Notes</h2>"
            '<p class="hint">Write what was said and done: quotes, counts, who spoke, what '
            "students did. Keep judgements for the conversation afterwards. Tag each note with "
            "the look-for it is evidence for.</p>"
            f'<table class="tlkit-form-notes">{head}{blank}</tbody></table>')

    level_heads = "".join(f'<th scope="col">{level}</th>' for level in rubric.levels)
    parts.append(
        '<section class="tlkit-form-grid"><h2>Scores</h2>'
        f'<p class="hint">Circle or tick one level per look-for. {scale}.</p>'
        f'<table><thead><tr><th scope="col">Look-for</th>{level_heads}'
        '<th scope="col">Evidence (note times)</th></tr></thead><tbody>'
    )
    for lf in rubric.look_fors:
        boxes = "".join('<td class="box">☐</td>' for _ in rubric.levels)
        parts.append(f'<tr><th scope="row"><strong>{e(lf.name)}</strong>'
                     f'<div class="descriptor">{e(lf.look_for)}</div></th>{boxes}<td></td></tr>')
    parts.append("</tbody></table>")

    parts.append('<h2>Level descriptors</h2><table><thead><tr><th scope="col">Look-for</th>'
                 + "".join(f'<th scope="col">{level} {e(rubric.scale[level])}</th>'
                           for level in rubric.levels)
                 + "</tr></thead><tbody>")
    for lf in rubric.look_fors:
        cells = "".join(f'<td class="descriptor">{e(lf.levels[level])}</td>'
                        for level in rubric.levels)
        parts.append(f'<tr><th scope="row">{e(lf.short)}</th>{cells}</tr>')
    parts.append("</tbody></table></section>")
    if rubric.sources:
        parts.append('<p class="hint">Sources: ' + "; ".join(e(s) for s in rubric.sources)
                     + "</p>")
    return page_html(title, "\n".join(parts), css=_CSS, body_class="tlkit-observation-form")
