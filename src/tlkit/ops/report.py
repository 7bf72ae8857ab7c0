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
WAITING = "waiting for a reflection grade"
STAGES = ["graded", WAITING, "needs follow-up", "not submitted"]
# Told apart without colour too: each stage has its own pattern (and the table below the
# chart has the numbers). "Not submitted" is a neutral grey, not a colour that reads as good.
STAGE_COLOURS = ["#0072B2", "#E69F00", "#D55E00", "#BDBDBD"]
STAGE_HATCHES = ["", "..", "//", "xx"]
MISSING = "—"  # shown in a cell with no value yet


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
    if row["status"] != GRADED or row["problems"]:
        return "needs follow-up"
    # Autograded, but a written answer still waits: not yet "graded".
    waiting = row["reflections_awaiting"]
    return WAITING if pd.notna(waiting) and waiting > 0 else "graded"


def stage_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Learners per module at each stage (rows: modules; columns: STAGES)."""
    if table.empty:
        return pd.DataFrame(columns=STAGES)
    stages = table.apply(stage, axis=1)
    counts = pd.crosstab(table["module"], stages).reindex(columns=STAGES, fill_value=0)
    order = list(dict.fromkeys(table["module"]))
    return counts.reindex(order).astype(int)


def progress_figure(counts: pd.DataFrame, shown: pd.DataFrame | None = None):
    """(figure, axes): a stacked bar per module; `shown` marks hidden counts (shared page)."""
    from tlkit.charts import new_figure

    fig, ax = new_figure(7.0, 0.6 + 0.5 * max(1, len(counts)))
    left = pd.Series(0, index=counts.index)
    hidden = pd.DataFrame(False, index=counts.index, columns=STAGES)
    for n, name in enumerate(STAGES):
        if shown is not None:
            hidden[name] = shown[name].astype(str).str.match(r"^\D")
        values = counts[name].where(~hidden[name], 0)
        ax.barh(list(counts.index), values, left=left, color=STAGE_COLOURS[n],
                hatch=STAGE_HATCHES[n], edgecolor="#404040", linewidth=0.5, label=name)
        left = left + values
    # A bar left empty because its groups are too small to show says so on the chart.
    for module in counts.index:
        if left[module] == 0 and hidden.loc[module].any():
            ax.text(0.02, module, "counts hidden (groups too small to show)", va="center",
                    fontsize=9, color="#404040", transform=ax.get_yaxis_transform())
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(0, max(1, int(left.max())))  # whole learners, from 0, even with all hidden
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    ax.set_xlabel("learners")
    # Outside the axes, to the right, so that it never covers a bar.
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    return fig, ax


def chart(counts: pd.DataFrame, shown: pd.DataFrame | None = None) -> str:
    """A stacked bar per module, with its table, through tlkit.charts."""
    from tlkit.charts import chart_html

    fig, _ = progress_figure(counts, shown)
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
    if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
        return MISSING
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
        notes = safe.notes() + hidden_groups(safe)
        parts.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
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
        parts.append(f"<p>{MISSING} means there is nothing to show yet: not handed in, or "
                     "not graded yet.</p>")
    return page_html("Cohort progress", "".join(parts), css=_STYLE)


def hidden_groups(safe) -> list[str]:
    """Per module, which counts the shared page hides, in words."""
    lines = []
    for module in safe.mask.index.drop("Total", errors="ignore"):
        hid = [stage for stage in STAGES if stage in safe.mask.columns
               and bool(safe.mask.loc[module, stage])]
        if hid:
            whole = " (so its bar is empty)" if len(hid) == sum(
                str(safe.display.loc[module, s]) != "0" for s in STAGES) else ""
            lines.append(f"{module}: the counts of {', '.join(hid)} are hidden, each under "
                         f"{safe.threshold} learners{whole}.")
    return lines


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
