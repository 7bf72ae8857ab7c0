"""The readiness assessment: conditions for teacher leadership, a team's ratings and evidence,
a heat map of strengths and gaps, a draft action plan split between the district and a
partner organization, comparisons, and the plan as CSV and as a printable page.

The conditions are content (content/readiness/<name>.yaml); ratings are positions on the
file's answer scale (0 = the lowest answer) or None when the team has not rated it. The same
functions take a team's own ratings or a synthetic district's (`from_dataset`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from tlkit.content import load
from tlkit.data.csv_text import write_rows
from tlkit.data.scales import positive, scales
from tlkit.printables.page_style import fragment_style, page_html

DEFAULT_TOOL = "district-partnership"
OWNERS = {"district": "District", "partner": "Partner organization"}
SHORT = ("Not yet", "Starting", "Partly", "Fully")    # heat-map cell labels, lowest first
# Okabe-Ito colours from vermillion (gap) to blue (strength): told apart with every common
# colour-vision deficiency; each cell also carries its level in words.
LEVEL_COLOURS = ("#D55E00", "#E69F00", "#56B4E9", "#0072B2")
UNRATED_COLOUR = "#DDDDDD"


class ReadinessError(ValueError):
    """Ratings that cannot be used; the message says which and what to do."""


@dataclass(frozen=True)
class Condition:
    id: str
    area: str
    area_name: str
    text: str
    evidence: str
    owner: str          # district or partner
    action: str


@dataclass(frozen=True)
class Tool:
    id: str
    title: str
    instructions: str
    levels: tuple[str, ...]          # the answer scale, lowest first
    strong_from: int                 # ratings at or above this are strengths
    conditions: tuple[Condition, ...]
    sources: tuple[str, ...]
    dataset: str = ""

    def condition(self, cid: str) -> Condition:
        for item in self.conditions:
            if item.id == cid:
                return item
        raise ReadinessError(f"There is no condition called {cid!r} in {self.title!r}.")


@dataclass
class Assessment:
    """One team's ratings (condition id -> level index or None) and evidence (id -> text)."""

    team: str
    ratings: dict[str, int | None] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)


def load_tool(name: str = DEFAULT_TOOL) -> Tool:
    data = load("readiness", name)
    levels = scales()[data["scale"]]
    areas = {area["id"]: area["name"] for area in data["areas"]}
    conditions = tuple(Condition(c["id"], c["area"], areas.get(c["area"], c["area"]),
                                 c["condition"], c["evidence"], c.get("owner", "district"),
                                 c.get("action", f"Plan a first step for: {c['condition']}"))
                       for c in data["conditions"])
    strong = len(levels) - len(positive()[data["scale"]])
    return Tool(data["id"], data["title"], data.get("instructions", ""), tuple(levels), strong,
                conditions, tuple(data.get("sources", [])), data.get("dataset", ""))


def level_name(tool: Tool, level: int | None) -> str:
    return "Not rated" if level is None else tool.levels[level]


def check_ratings(tool: Tool, ratings: dict) -> dict[str, int | None]:
    """Ratings for every condition of the tool, each a level index or None."""
    out = {}
    for item in tool.conditions:
        value = ratings.get(item.id)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value < len(tool.levels)):
            raise ReadinessError(f"The rating for {item.text!r} is {value!r}; it should be one "
                                 f"of the {len(tool.levels)} steps of the scale, or empty.")
        out[item.id] = value
    return out


# --- the synthetic districts ----------------------------------------------------------------

def dataset_teams(tool: Tool) -> list[str]:
    """The synthetic districts that rated this tool's conditions (e.g. DIST-01)."""
    if not tool.dataset:
        return []
    from tlkit.data import load as load_data

    return [str(d) for d in load_data(tool.dataset)["district_id"]]


def from_dataset(tool: Tool, district: str) -> Assessment:
    """A synthetic district's ratings, read from the tool's dataset."""
    from tlkit.data import load as load_data

    table = load_data(tool.dataset)
    rows = table[table["district_id"].astype(str) == district]
    if rows.empty:
        raise ReadinessError(f"The {tool.dataset} data has no district {district!r}; choose "
                             f"one of {', '.join(map(str, table['district_id']))}.")
    row = rows.iloc[0]
    ratings = {}
    for item in tool.conditions:
        answer = row.get(item.id.replace("-", "_"))
        ratings[item.id] = tool.levels.index(str(answer)) if str(answer) in tool.levels else None
    return Assessment(f"{district} (synthetic, {row['setting']})", ratings, {})


# --- strengths, gaps and the plan -----------------------------------------------------------

def strengths_and_gaps(tool: Tool, assessment: Assessment) -> tuple[list[Condition], list[Condition]]:
    ratings = check_ratings(tool, assessment.ratings)
    strengths = [c for c in tool.conditions if (ratings[c.id] or 0) >= tool.strong_from]
    gaps = [c for c in tool.conditions if ratings[c.id] is None or ratings[c.id] < tool.strong_from]
    return strengths, gaps


@dataclass(frozen=True)
class PlanItem:
    condition: Condition
    level: int | None
    evidence: str

    @property
    def owner(self) -> str:
        return self.condition.owner


def action_plan(tool: Tool, assessment: Assessment) -> list[PlanItem]:
    """A draft plan: each gap (rated below "Partly in place", or not rated) with its first step
    and who would take it on; the district's items first, weakest first within each."""
    ratings = check_ratings(tool, assessment.ratings)
    _, gaps = strengths_and_gaps(tool, assessment)
    owners = list(OWNERS)
    items = [PlanItem(c, ratings[c.id], assessment.evidence.get(c.id, "").strip()) for c in gaps]
    return sorted(items, key=lambda i: (owners.index(i.owner) if i.owner in owners else 9,
                                        -1 if i.level is None else i.level))


def summary(tool: Tool, assessment: Assessment) -> str:
    """One or two sentences a screen reader can read in place of the heat map."""
    strengths, gaps = strengths_and_gaps(tool, assessment)
    unrated = [c for c in gaps if assessment.ratings.get(c.id) is None]
    parts = [f"{assessment.team or 'This team'}: {len(strengths)} of {len(tool.conditions)} "
             f"conditions are at least partly in place."]
    if strengths:
        parts.append("Strengths: " + "; ".join(c.text.rstrip('.') for c in strengths) + ".")
    rated_gaps = [c for c in gaps if c not in unrated]
    if rated_gaps:
        parts.append("Gaps: " + "; ".join(c.text.rstrip('.') for c in rated_gaps) + ".")
    if unrated:
        parts.append(f"{len(unrated)} not rated.")
    return " ".join(parts)


@dataclass(frozen=True)
class Change:
    condition: Condition
    before: int | None
    after: int | None

    @property
    def words(self) -> str:
        if self.before is None or self.after is None:
            return "cannot compare (not rated)"
        step = self.after - self.before
        if step == 0:
            return "same"
        return f"{'up' if step > 0 else 'down'} {abs(step)} step{'s' if abs(step) > 1 else ''}"


def compare(tool: Tool, first: Assessment, second: Assessment) -> list[Change]:
    """Condition by condition: the first team's (or earlier) level, the second's, the change."""
    a, b = check_ratings(tool, first.ratings), check_ratings(tool, second.ratings)
    return [Change(c, a[c.id], b[c.id]) for c in tool.conditions]


# --- the heat map ---------------------------------------------------------------------------

def heat_map(tool: Tool, assessments: list[Assessment]):
    """(figure, alt text, table rows, header): one column per team (or point in time), one row
    per condition, each cell coloured by level and labelled in words."""
    from matplotlib.colors import ListedColormap

    from tlkit.charts import new_figure

    rated = [check_ratings(tool, a.ratings) for a in assessments]
    rows = len(tool.conditions)
    fig, ax = new_figure(width=3.2 + 1.9 * len(assessments), height=1.0 + 0.36 * rows)
    colours = ListedColormap([UNRATED_COLOUR, *LEVEL_COLOURS])
    grid = [[(-1 if r[c.id] is None else r[c.id]) + 1 for r in rated] for c in tool.conditions]
    ax.imshow(grid, cmap=colours, vmin=0, vmax=len(LEVEL_COLOURS), aspect="auto")
    for y, condition in enumerate(tool.conditions):
        for x, ratings in enumerate(rated):
            level = ratings[condition.id]
            text = "?" if level is None else SHORT[level] if level < len(SHORT) else str(level)
            dark = level is not None and level in (0, 3)
            ax.text(x, y, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    ax.set_xticks(range(len(assessments)), [_short(a.team, 22) for a in assessments],
                  fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(rows), [_short(c.text, 48) for c in tool.conditions], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    alt = " ".join(summary(tool, a) for a in assessments)
    header = ["Condition", *[a.team for a in assessments]]
    table = [[c.text, *[level_name(tool, r[c.id]) for r in rated]] for c in tool.conditions]
    return fig, "Heat map of readiness. " + alt, table, header


def heat_map_html(tool: Tool, assessments: list[Assessment]) -> str:
    from tlkit.charts import chart_html

    fig, alt, table, header = heat_map(tool, assessments)
    names = " and ".join(a.team for a in assessments)
    return chart_html(fig, alt, table, header, caption=f"Strengths and gaps: {names}")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- exports --------------------------------------------------------------------------------

CSV_HEADER = ["who", "area", "condition", "rating", "evidence", "first step"]


def plan_csv(tool: Tool, assessment: Assessment) -> str:
    """The action plan as CSV text (one row per item), for a spreadsheet."""
    return write_rows(([OWNERS.get(item.owner, item.owner), item.condition.area_name,
                        item.condition.text, level_name(tool, item.level), item.evidence,
                        item.condition.action] for item in action_plan(tool, assessment)),
                      CSV_HEADER)


def plan_html(tool: Tool, assessment: Assessment, heat: str = "") -> str:
    """The plan as a whole printable HTML page: summary, optional heat map, items by owner."""
    plan = action_plan(tool, assessment)
    sections = []
    for owner, label in OWNERS.items():
        items = [i for i in plan if i.owner == owner]
        if not items:
            body = "<p>Nothing for now.</p>"
        else:
            body = ("<table><thead><tr><th scope='col'>Condition</th><th scope='col'>Rating"
                    "</th><th scope='col'>Evidence</th><th scope='col'>First step</th></tr>"
                    "</thead><tbody>" + "".join(
                        f"<tr><td>{escape(i.condition.text)}</td>"
                        f"<td>{escape(level_name(tool, i.level))}</td>"
                        f"<td>{escape(i.evidence) or '—'}</td>"
                        f"<td>{escape(i.condition.action)}</td></tr>" for i in items)
                    + "</tbody></table>")
        sections.append(f"<h2>{escape(label)} would take on</h2>{body}")
    sources = "".join(f"<li>{escape(s)}</li>" for s in tool.sources)
    title = f"Action plan: {assessment.team}"
    body = (f"<h1>Draft action plan: {escape(assessment.team)}</h1>"
            f"<p>{escape(summary(tool, assessment))}</p>{heat}{''.join(sections)}"
            f"<h2>Sources</h2><ul>{sources}</ul>")
    return page_html(title, body, css=PRINT_CSS)


# The plan's own rules; the rest is the shared print stylesheet (tlkit.printables.page_style).
PRINT_CSS = """
table { margin: .5em 0 1.5em; }
details { display: none; }
"""


def handout_html(tool: Tool) -> str:
    """A printable rating sheet for a team meeting: each condition by area, with what would
    show it and blank columns for the rating and the evidence."""
    levels = " / ".join(tool.levels)
    rows, area = [], None
    for number, item in enumerate(tool.conditions, start=1):
        if item.area_name != area:
            area = item.area_name
            rows.append(f"<tr><th scope='colgroup' colspan='4'>{escape(area)}</th></tr>")
        rows.append(f"<tr><td>{number}. {escape(item.text)}</td><td>{escape(item.evidence)}</td>"
                    "<td></td><td></td></tr>")
    return (f"<section class='tlkit-readiness-handout'>{fragment_style('.tlkit-readiness-handout')}"
            f"<h3>{escape(tool.title)}</h3>"
            f"<p>{escape(tool.instructions)}</p><p>Ratings: {escape(levels)}.</p>"
            "<table><thead><tr>"
            "<th scope='col'>Condition</th><th scope='col'>What would show it</th>"
            "<th scope='col'>Rating</th><th scope='col'>Our evidence</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")
