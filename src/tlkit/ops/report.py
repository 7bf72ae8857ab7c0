"""The cohort progress report: per learner and per module, as CSV and as an HTML page.

Columns: released, submitted, late, score, reflections awaiting grading, and problems. A
learner whose submission was set aside or whose grading failed has no score (blank, never
0) unless an earlier grade is in the gradebook, which is then shown and marked as earlier.

The per-learner table is for the facilitator. The version to share beyond them (`shared=True`)
shows counts per module only, through the small-cell suppression rule (tlkit.data.suppression).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from tlkit.data.csv_text import write_frame
from tlkit.ops.cohort import exchange_root
from tlkit.ops.grading import GRADED, load_status
from tlkit.ops.nbgrader_api import course_api, submitted_students
from tlkit.ops.release import module_ids
from tlkit.printables.page_style import page_html

COLUMNS = ["learner", "name", "module", "released", "submitted", "late", "score", "max_score",
           "reflections_awaiting", "status", "problems"]
# The groups the chart and the shared table count, in order.
STAGES = ["graded", "needs follow-up", "not submitted"]


def cohort_table(root: Path) -> pd.DataFrame:
    """One row per learner and module (learners from the gradebook's roster)."""
    from nbgrader.api import MissingEntry

    api = course_api(root)
    status = load_status(api)
    modules = module_ids(api.root)
    outbound = exchange_root(api) / api.coursedir.course_id / "outbound"
    rows = []
    with api.gradebook() as gb:
        learners = sorted(gb.students, key=lambda s: s.id)
        for module in modules:
            released = (outbound / module).is_dir()
            handed_in = set(submitted_students(api, module))
            for s in learners:
                entry = status.get(module, {}).get(s.id)
                row = {"learner": s.id,
                       "name": " ".join(p for p in (s.first_name, s.last_name) if p),
                       "module": module, "released": released,
                       "submitted": s.id in handed_in, "late": None, "score": None,
                       "max_score": None, "reflections_awaiting": None,
                       "status": entry["state"] if entry else
                       ("not graded yet" if s.id in handed_in else "not submitted"),
                       "problems": " | ".join(f["message"] for f in entry["findings"])
                       if entry else ""}
                try:
                    sub = gb.find_submission(module, s.id)
                except MissingEntry:
                    sub = None
                if sub is not None:
                    row["score"] = round(float(sub.score), 2)
                    row["max_score"] = round(float(sub.max_score), 2)
                    row["late"] = bool(sub.total_seconds_late > 0)
                    row["reflections_awaiting"] = sum(
                        1 for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
                    if entry and entry["state"] != GRADED:
                        row["status"] = f"{entry['state']} (score is from an earlier grading)"
                rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    # Whole numbers stay whole (blank where unknown), not 1.0 in the CSV.
    table["reflections_awaiting"] = table["reflections_awaiting"].astype("Int64")
    return table


def stage(row) -> str:
    if not row["submitted"]:
        return "not submitted"
    return "graded" if row["status"] == GRADED and not row["problems"] else "needs follow-up"


def stage_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Learners per module at each stage (rows: modules; columns: STAGES)."""
    if table.empty:
        return pd.DataFrame(columns=STAGES)
    stages = table.apply(stage, axis=1)
    counts = pd.crosstab(table["module"], stages).reindex(columns=STAGES, fill_value=0)
    order = list(dict.fromkeys(table["module"]))
    return counts.reindex(order).astype(int)


def chart(counts: pd.DataFrame, shown: pd.DataFrame | None = None) -> str:
    """A stacked bar per module, with its table, through tlkit.charts."""
    from tlkit.charts import chart_html, new_figure
    from tlkit.charts.render import PALETTE

    fig, ax = new_figure(7.0, 0.6 + 0.5 * max(1, len(counts)))
    left = pd.Series(0, index=counts.index)
    hatches = ["", "//", ".."]
    for n, name in enumerate(STAGES):
        values = counts[name] if shown is None else counts[name].where(
            ~shown[name].astype(str).str.match(r"^\D"), 0)
        ax.barh(list(counts.index), values, left=left, color=PALETTE[n], hatch=hatches[n],
                edgecolor="white", label=name)
        left = left + values
    ax.invert_yaxis()
    ax.set_xlabel("learners")
    ax.legend(loc="lower right", frameon=False)
    source = counts if shown is None else shown[STAGES]
    table = [[module, *[source.loc[module, s] for s in STAGES]] for module in counts.index]
    alt = "Learners per module: " + "; ".join(
        f"{module}: " + ", ".join(f"{source.loc[module, s]} {s}" for s in STAGES)
        for module in counts.index)
    return chart_html(fig, alt, table, ["module", *STAGES], caption="Progress by module")


# The report's own rules (a wide table of learners); the rest is the shared print stylesheet.
_STYLE = """
body { max-width: 70rem; }
table { width: auto; }
th, td { padding: 4px 8px; }
"""


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape(str(value))


def report_html(table: pd.DataFrame, *, shared: bool = False) -> str:
    counts = stage_counts(table)
    learners = table["learner"].nunique() if not table.empty else 0
    parts = ["<h1>Cohort progress</h1>"]
    if table.empty:
        parts.append("<p>No learners yet: import a roster with <code>tlkit course roster "
                     "FILE.csv</code>.</p>")
        return page_html("Cohort progress", "".join(parts), css=_STYLE)
    if shared:
        from tlkit.data.suppression import suppress_counts

        safe = suppress_counts(counts, row_totals=True, column_totals=True)
        parts.append(f"<p>Learners at each stage, per module. Groups smaller than "
                     f"{safe.threshold} are hidden so that no one can be identified.</p>")
        parts.append(chart(counts.reindex(safe.display.index.drop("Total", errors="ignore")),
                           safe.display))
        parts.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in safe.notes()) + "</ul>")
    else:
        parts.append(f"<p>{learners} learners. For the facilitator only: this page names "
                     "learners. Share the version made with <code>--share</code> instead.</p>")
        parts.append(chart(counts))
        parts.append("<h2>Per learner</h2><table><thead><tr>"
                     + "".join(f"<th scope='col'>{escape(c.replace('_', ' '))}</th>"
                               for c in COLUMNS) + "</tr></thead><tbody>")
        for _, row in table.iterrows():
            parts.append("<tr>" + "".join(f"<td>{_cell(row[c])}</td>" for c in COLUMNS)
                         + "</tr>")
        parts.append("</tbody></table>")
    return page_html("Cohort progress", "".join(parts), css=_STYLE)


def write_report(root: Path, out: Path, *, shared: bool = False) -> list[Path]:
    """cohort-progress.csv and cohort-progress.html (or their shared versions) in `out`."""
    table = cohort_table(root)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if shared:
        from tlkit.data.suppression import suppress_counts

        csv_path, html_path = out / "cohort-summary-shared.csv", out / "cohort-summary-shared.html"
        counts = stage_counts(table)
        display = (suppress_counts(counts).display if not counts.empty else counts)
        csv_path.write_text(write_frame(display), encoding="utf-8")
    else:
        csv_path, html_path = out / "cohort-progress.csv", out / "cohort-progress.html"
        csv_path.write_text(write_frame(table, index=False), encoding="utf-8")
    html_path.write_text(report_html(table, shared=shared), encoding="utf-8")
    return [csv_path, html_path]


def dashboard_html(root: Path | None = None) -> str:
    """The facilitator dashboard's content (facilitator/cohort.ipynb): the chart and the
    per-learner table, or a sentence saying what to do first. Never creates a gradebook."""
    from tlkit.settings import course_root

    try:
        api = course_api(Path(root) if root else course_root())
    except (ValueError, OSError) as err:
        return f"<div class='tlkit-cohort'><p>{escape(str(err))}</p></div>"
    db = api.db_url.removeprefix("sqlite:///")
    if api.db_url.startswith("sqlite:///") and not Path(db).is_file():
        return ("<div class='tlkit-cohort'><p>No cohort yet. In a terminal in the course "
                "folder, run <code>tlkit course init</code>, then <code>tlkit course roster "
                "FILE.csv</code>.</p></div>")
    page = report_html(cohort_table(api.root))
    body = page.split("<h1>Cohort progress</h1>", 1)[1]
    return "<div class='tlkit-cohort'>" + body.replace("</main></body></html>", "") + "</div>"
