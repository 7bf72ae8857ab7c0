"""The evaluation as a printable page in the shape of a network survey report (each level's
headline percentage with its n, then a chart beside a table per cohort), and as a CSV.

Only suppressed tables reach either: a hidden cell shows its marker, and each level lists what
was hidden and why.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from tlkit.charts import chart_html, new_figure
from tlkit.data.csv_text import write_rows
from tlkit.evaluation.levels import STUDENT_OUTCOMES, Level, Part

CSV_HEADER = ["level", "part", "instrument", "cohort", "measure", "value"]

CSS = """
body { max-width: 78rem; }
.headlines { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
             gap: .6em; margin: .8em 0; }
.headline { border: 1px solid #767676; padding: .5em .7em; }
.headline .figure { font-size: 2em; font-weight: bold; color: #0b3d6d; }
.side { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.side > figure { flex: 1 1 22rem; max-width: 30rem; }
.side > .cohorts { flex: 2 1 28rem; overflow-x: auto; }
.instrument { font-style: italic; }
.hidden-list { font-size: .92em; }
@media print { .side > figure { max-width: 45%; } .level { break-before: auto; } }
"""


def _figure(part: Part) -> str:
    if not part.chart:
        return ""
    labels = [label for label, _ in part.chart]
    values = [float(value) for _, value in part.chart]
    fig, ax = new_figure(5.2, 0.7 + 0.38 * len(labels))
    ax.barh(labels, values, color="#0072B2")
    for y, value in enumerate(values):
        ax.text(value, y, f" {value:g}{part.chart_unit}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(part.chart_unit.strip() or "value")
    if part.chart_unit == "%":
        ax.set_xlim(0, 110)
    alt = f"{part.chart_title}: " + "; ".join(f"{l} {v:g}{part.chart_unit}"
                                               for l, v in zip(labels, values))
    return chart_html(fig, alt, [[l, f"{v:g}{part.chart_unit}"] for l, v in zip(labels, values)],
                      ["what", part.chart_unit.strip() or "value"], caption=part.chart_title)


def table_html(table: pd.DataFrame, caption: str = "") -> str:
    if table.empty:
        return ""
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in
                   [table.index.name or "", *table.columns])
    rows = "".join(
        f"<tr><th scope='row'>{escape(str(index))}</th>"
        + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>"
        for index, row in zip(table.index, table.itertuples(index=False)))
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def part_html(part: Part, heading: str = "h3") -> str:
    hidden = ("<details class='hidden-list' open><summary>What was hidden, and why</summary>"
              "<ul>" + "".join(f"<li>{escape(h)}</li>" for h in part.hidden) + "</ul></details>"
              if part.hidden else "<p class='hidden-list'>Nothing was hidden: every group has "
              "enough people.</p>" if not part.table.empty else "")
    notes = "".join(f"<p>{escape(n)}</p>" for n in part.notes)
    return (f"<section class='part'><{heading}>{escape(part.title)}</{heading}>"
            f"<p class='instrument'>Instrument: {escape(part.instrument)}</p>"
            f"<p><b>{escape(part.headline)}</b></p>"
            f"<div class='side'>{_figure(part)}<div class='cohorts'>"
            f"{table_html(part.table, f'{part.title} by cohort (n: people behind each row)')}"
            f"</div></div>{hidden}{notes}</section>")


def headline_cards(levels: list[Level]) -> str:
    cards = []
    for level in levels:
        part = level.parts[0]
        figure = f"{part.percent:.0f}%" if part.percent is not None else "—"
        n = f"n = {part.n}" if part.n is not None else "no figure shown"
        cards.append(f"<div class='headline'><div>{escape(level.title)}</div>"
                     f"<div class='figure'>{escape(figure)}</div><div>{escape(n)}</div>"
                     f"<div>{escape(part.headline)}</div></div>")
    return "<div class='headlines'>" + "".join(cards) + "</div>"


def levels_html(levels: list[Level], threshold: int) -> str:
    """The levels' sections (the page's body without its title), for the report and the page."""
    body = [headline_cards(levels),
            f"<p>Every figure about people is hidden where fewer than {threshold} people stand "
            "behind it (the kit's small-cell suppression); n is the number of people, or "
            "exit tickets, behind each figure.</p>"]
    for number, level in enumerate(levels, start=1):
        body.append(f"<section class='level'><h2>{number}. {escape(level.title)}</h2>"
                    f"<p>{escape(level.question)}</p>"
                    + "".join(part_html(p) for p in level.parts) + "</section>")
    body.append("<section class='level'><h2>5. Student outcomes</h2>"
                f"<p>{escape(STUDENT_OUTCOMES)}</p></section>")
    return "".join(body)


def report_html(levels: list[Level], *, title: str, about: str, threshold: int) -> str:
    from tlkit.printables.page_style import page_html

    body = (f"<h1>{escape(title)}</h1><p>{escape(about)}</p>" + levels_html(levels, threshold)
            + "<p class='credit'>Levels after Guskey, T. R. (2000), Evaluating Professional "
            "Development, Corwin.</p>")
    return page_html(title, body, css=CSS)


def report_csv(levels: list[Level]) -> str:
    rows = []
    for level in levels:
        for part in level.parts:
            for cohort, row in part.table.iterrows():
                for measure, value in row.items():
                    rows.append([level.title, part.title, part.instrument, cohort, measure,
                                 _cell(value)])
    return write_rows(rows, CSV_HEADER)


def write_report(levels: list[Level], out: Path, *, title: str, about: str,
                 threshold: int) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = out / "evaluation.html", out / "evaluation.csv"
    html_path.write_text(report_html(levels, title=title, about=about, threshold=threshold),
                         encoding="utf-8")
    csv_path.write_text(report_csv(levels), encoding="utf-8")
    return [html_path, csv_path]
