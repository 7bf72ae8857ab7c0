"""The course portfolio: a small registry of parts, each naming the module that makes it, the
record kind and state keys it is saved under, and how to show it; `gather` reads them from
the Store (read only) and `portfolio_html` makes one printable page.

A part whose module is not in the course, or whose record was never saved, is "Not started
yet" with the module where it is made (on screen; the printable page leaves it out). A record that cannot be read is named with the reason,
and the rest of the portfolio is still gathered and exported. Nothing is included that the
learner did not write or make: only their saved records and what they wrote in the modules'
reflection boxes (kept in each module's my-answers.json; the markers' example answers are
never there).

A module adds or corrects its part with `register(Part(...))`, or by editing its entry in
PARTS below: the part's `kind` and `keys` must match what the module's widget saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Callable, ClassVar

from tlkit.ops.hand_in import module_forms
from tlkit.printables.page_style import page_html
from tlkit.store.base import RecordSetAside, Store, StoreUnavailable
from tlkit.store.records import Record, RecordError


@dataclass(frozen=True)
class Piece:
    """One block of the learner's work: a heading with text, a list, or a table (first row
    is the header)."""

    heading: str
    text: str = ""
    items: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


Renderer = Callable[[dict[str, Any]], list[Piece]]


class SavedWork(Record):
    """Any saved record, read as plain fields without judging its shape: the portfolio reads
    other modules' records and must never set one aside for being of a kind it did not expect."""

    label: ClassVar[str] = "saved work"

    def __init__(self, kind: str, version: int, fields: dict[str, Any]):
        self.saved_kind, self.saved_version, self.fields = kind, version, fields

    def _fields(self) -> dict[str, Any]:
        return dict(self.fields)

    @classmethod
    def from_dict(cls, data: Any) -> SavedWork:
        if not isinstance(data, dict):
            raise RecordError(f"The saved work should be a set of named fields, not "
                              f"{type(data).__name__}.")
        return cls(str(data.get("kind", "")), data.get("version", 1),
                   {k: v for k, v in data.items() if k not in ("kind", "version")})


@dataclass(frozen=True)
class Part:
    id: str
    title: str                 # how the portfolio names it: "Growth plan"
    module: str                # the module id where it is made
    kind: str                  # the record kind saved there
    keys: tuple[str, ...]      # the state keys it may be saved under (first found is used)
    render: Renderer = field(default=None)   # fields -> pieces; None: every text field
    read: Callable[[Store], dict[str, Any] | None] | None = None  # instead of the Store


class PartUnreadable(ValueError):
    """A saved part could not be shown; the message says why in a sentence."""


# --- renderers ------------------------------------------------------------------------------

def _words(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip().capitalize()


def render_text_fields(fields: dict[str, Any]) -> list[Piece]:
    """A plain view of any record: text fields, lists of text and text by name, in order.
    Numbers, flags and ids are left out (the learner did not write them as words)."""
    pieces = []
    for key, value in fields.items():
        if isinstance(value, str) and value.strip():
            pieces.append(Piece(_words(key), text=value.strip()))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            pieces.append(Piece(_words(key), items=tuple(v for v in value if v.strip())))
        elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            pieces.append(Piece(_words(key), items=tuple(
                f"{_words(str(k))}: {v}" for k, v in value.items() if v.strip())))
    return pieces


def render_readiness(fields: dict[str, Any]) -> list[Piece]:
    """Each team's ratings with evidence, and its draft action plan by owner."""
    from tlkit.planning.readiness import (OWNERS, Assessment, action_plan, level_name,
                                          load_tool)
    from tlkit.store.records import ReadinessRecord

    try:
        record = ReadinessRecord.from_dict({"kind": "readiness", **fields})
    except RecordError as err:
        raise PartUnreadable(str(err)) from None
    tool = load_tool(record.tool)
    pieces = []
    for name, team in record.teams.items():
        try:
            assessment = Assessment(name, dict(team["ratings"]), dict(team["evidence"]))
            rows = [("Condition", "Rating", "Evidence")] + [
                (c.text, level_name(tool, assessment.ratings.get(c.id)),
                 assessment.evidence.get(c.id, "")) for c in tool.conditions]
            plan = action_plan(tool, assessment)
        except (ValueError, IndexError) as err:
            raise PartUnreadable(f"the ratings of {name!r} do not fit the scale ({err})") from None
        pieces.append(Piece(f"Readiness ratings: {name}", table=tuple(rows)))
        pieces.append(Piece(f"Draft action plan: {name}", items=tuple(
            f"{OWNERS[i.owner]}: {i.condition.action}" for i in plan)))
    return pieces


def render_self_assessment(fields: dict[str, Any]) -> list[Piece]:
    """Each statement the learner rated or wrote evidence for, in words: the statement, the
    scale's word for the rating and the evidence (never the content file's item ids)."""
    from tlkit.practice.self_assessment import load_self_assessment

    ratings, evidence = fields.get("ratings") or {}, fields.get("evidence") or {}
    assessment = load_self_assessment()
    scale = range(1, len(assessment.scale) + 1)
    rows = [(item.statement,
             assessment.word(ratings[item.id]) if ratings.get(item.id) in scale else "",
             str(evidence.get(item.id, "")).strip())
            for item in assessment.items if item.id in ratings or evidence.get(item.id)]
    rows = [row for row in rows if row[1] or row[2]]
    if not rows:
        return []
    return [Piece("My ratings and evidence",
                  table=(("Statement", "My rating", "My evidence"), *rows))]


def render_growth_plan(fields: dict[str, Any]) -> list[Piece]:
    """The plan's boxes under their own headings; the focus by its domain's name."""
    from tlkit.practice.self_assessment import load_self_assessment
    from tlkit.printables.growth_plan import PLAN_FIELDS

    plan = fields.get("plan") or {}
    domains = {d.id: d.name for d in load_self_assessment().domains}
    pieces = []
    for key, label, _question in PLAN_FIELDS:
        text = str(plan.get(key, "")).strip()
        if text:
            pieces.append(Piece(label, text=domains.get(text, text) if key == "focus" else text))
    return pieces


def render_year_plan(fields: dict[str, Any]) -> list[Piece]:
    """The learner's own design as a table in words (features by name), and their sites."""
    from tlkit.planning.design import FEATURES, DesignError, parse_components

    own = str(fields.get("own_design") or "").strip()
    pieces = []
    if own:
        try:
            design = parse_components(own)
        except DesignError:
            # Half-finished: show what was typed rather than nothing.
            pieces.append(Piece("My design, as typed", text=own))
        else:
            rows = [(c.name, c.mode, c.frequency, c.weekday, f"{c.minutes} minutes",
                     "yes" if c.after_school else "no",
                     ", ".join(FEATURES[f] for f in c.features)) for c in design.components]
            if rows:
                pieces.append(Piece("My design", table=(
                    ("Part", "How", "How often", "Day", "Length", "After school",
                     "Features it serves"), *rows)))
    sites = [line.strip() for line in str(fields.get("sites") or "").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if sites:
        pieces.append(Piece("Schools and travel time (minutes one way)", items=tuple(sites)))
    return pieces


def render_session_redesign(fields: dict[str, Any]) -> list[Piece]:
    """A session's segments before and after the redesign, with each format's name."""
    from tlkit.practice.session_audit import load_audit_content

    formats = {f.id: f.name for f in load_audit_content().formats}
    pieces = []
    for key, heading in (("before", "The session as it was"), ("after", "My redesign")):
        rows = [(str(row[0]), f"{row[1]} minutes", formats.get(str(row[2]), str(row[2])))
                for row in fields.get(key) or [] if str(row[0]).strip()]
        if rows:
            pieces.append(Piece(heading, table=(("Segment", "Length", "Format"), *rows)))
    return pieces


def render_explorer_choices(fields: dict[str, Any]) -> list[Piece]:
    """The survey explorer's chart, said in words: survey, question, grouping and view."""
    from tlkit.data import codebook
    from tlkit.explore.survey import GROUPINGS, SURVEY_TITLES, VIEWS

    choices = fields.get("choices") or {}
    survey = str(choices.get("survey", ""))
    question = str(choices.get("item", ""))
    if survey in SURVEY_TITLES and question:
        spec = next((c for c in codebook(survey).columns if c.name == question), None)
        question = (spec.question or question) if spec else question
    said = [("Survey", SURVEY_TITLES.get(survey, survey)), ("Question", question),
            ("Grouped by", GROUPINGS.get(str(choices.get("grouping", "")), "")),
            ("Chart", VIEWS.get(str(choices.get("view", "")), ""))]
    items = tuple(f"{name}: {value}" for name, value in said if value)
    return [Piece("The chart behind my data story", items=items)] if items else []


# --- the self-assessment again, at the end of the course -------------------------------------

FIRST_SELF_ASSESSMENT = "module-teacher-roles-self-assessment"
SELF_ASSESSMENT_AGAIN = "portfolio-self-assessment-again"


def read_self_assessment_change(store: Store) -> dict[str, Any] | None:
    """Both self-assessments' ratings; None until the learner has rated again."""
    again = _saved_fields(store, SELF_ASSESSMENT_AGAIN, "self-assessment") or {}
    if not again.get("ratings"):
        return None
    first = _saved_fields(store, FIRST_SELF_ASSESSMENT, "self-assessment") or {}
    return {"first": first.get("ratings") or {}, "again": again["ratings"]}


def render_self_assessment_change(fields: dict[str, Any]) -> list[Piece]:
    """Each statement rated again: the first rating, the rating now and the change, in
    words, under one sentence on the whole change."""
    from tlkit.practice.self_assessment import (change_summary, load_self_assessment,
                                                rating_changes)

    assessment = load_self_assessment()
    changes = rating_changes(assessment, fields.get("first") or {}, fields.get("again") or {})
    if not changes:
        return []
    rows = tuple((c.item.statement, assessment.word(c.first) if c.first else "",
                  assessment.word(c.again), c.words()) for c in changes)
    return [Piece("How my ratings changed", text=change_summary(changes),
                  table=(("Statement", "First rating", "Rating now", "Change"), *rows))]


def render_coaching_log(fields: dict[str, Any]) -> list[Piece]:
    """Each coaching cycle in the log, oldest first, as a small table of its five boxes."""
    from tlkit.practice.coaching import LOG_FIELDS, sorted_entries

    entries = [e for e in fields.get("entries") or [] if isinstance(e, dict)]
    gone = set(fields.get("removed") or [])
    pieces = []
    for number, entry in enumerate(
            sorted_entries([e for e in entries if e.get("id") not in gone]), start=1):
        rows = tuple((label, str(entry.get(key, "")).strip()) for key, label, _h in LOG_FIELDS)
        pieces.append(Piece(f"Coaching cycle {number}", table=(("Box", "What I wrote"), *rows)))
    return pieces


def render_teach_back(fields: dict[str, Any]) -> list[Piece]:
    """The teach-back's result as handed back, no scorer named (the plan for the next try is
    a written reflection, gathered with the others)."""
    from tlkit.practice.teachback import ReturnFileError, returned_from_dict

    pieces = []
    if fields.get("result"):
        try:
            result = returned_from_dict(fields["result"])
        except ReturnFileError as err:
            raise PartUnreadable(str(err)) from None
        pieces.append(Piece(f"Peer scores ({result.scorers} score sheets, no scorer named)",
                            table=(("Look-for", "Scored by", "Median", "Spread"),
                                   *result.rows)))
        for heading, items in (("Warm feedback", result.warm), ("Cool feedback", result.cool)):
            if items:
                pieces.append(Piece(heading, items=items))
    return pieces


# --- reflections written in the learner's boxes -----------------------------------------------

def _box_order(folder: Path, module_id: str) -> list[str]:
    """The reflection ids in the order the module's notebook shows their boxes (none if the
    notebook cannot be read: the answers file's order is used then)."""
    return module_forms(Path(folder) / module_id)[1]


def written_reflections(folder: Path, modules: dict[str, str]) -> dict[str, Any] | None:
    """The learner's written reflections, by module title: what they wrote in each module's
    reflection boxes, kept in <folder>/<id>/my-answers.json (tlkit.course.answers). Several
    reflections of one module are joined with a blank line, in the order the notebook shows
    them; an empty one is left out, and an answers file that cannot be read is skipped."""
    from tlkit.course.answers import AnswersError, read_answers

    found = {}
    for module_id, title in modules.items():
        try:
            reflections = read_answers(Path(folder) / module_id).reflections
        except (AnswersError, OSError):
            continue
        order = _box_order(folder, module_id)
        ids = sorted(reflections, key=lambda r: order.index(r) if r in order else len(order))
        texts = [reflections[r].strip() for r in ids if reflections[r].strip()]
        if texts:
            found[title] = "\n\n".join(texts)
    return found or None


def render_reflections(fields: dict[str, Any]) -> list[Piece]:
    return [Piece(f"Reflection: {title}", text=text) for title, text in fields.items()]


def reflections_part(folder: Path, modules: dict[str, str]) -> Part:
    """The learner's written reflections, read from their module folders under `folder`."""
    return Part("reflections", "Written reflections", "", "reflections", (),
                render_reflections, read=lambda _store: written_reflections(folder, modules))


# --- the registry ---------------------------------------------------------------------------

def _fields_only(*names: str) -> Renderer:
    """The plain view of only these fields (two parts can read one record)."""
    return lambda fields: render_text_fields({k: fields[k] for k in names if k in fields})


# Keys and kinds as the modules save them (Teacher roles keeps the self-assessment and the
# growth plan in one record). The modules' owners can give a part a richer renderer.
PARTS: list[Part] = [
    Part("self-assessment", "Self-assessment profile", "teacher-roles", "self-assessment",
         (FIRST_SELF_ASSESSMENT,), render_self_assessment),
    Part("growth-plan", "Growth plan", "teacher-roles", "self-assessment",
         (FIRST_SELF_ASSESSMENT,), render_growth_plan),
    # Rated again in the portfolio module, shown beside the first ratings.
    Part("self-assessment-change", "Self-assessment: then and now", "portfolio",
         "self-assessment", (SELF_ASSESSMENT_AGAIN,), render_self_assessment_change,
         read=read_self_assessment_change),
    Part("session-redesign", "Session redesign", "adult-learning", "session-audit",
         ("module-adult-learning-redesign",), render_session_redesign),
    Part("year-plan", "Year plan", "designing-learning", "year-plan",
         ("designing-learning-my-year",), render_year_plan),
    # The data story itself is written in the notebook (gathered with the reflections); this
    # part keeps the chart choices behind it.
    Part("data-story", "Data story: the chart behind it", "data-use", "survey-explorer",
         ("data-use-explorer-differences",), render_explorer_choices),
    Part("readiness", "Readiness assessment and action plan", "conditions", "readiness",
         ("conditions-readiness",), render_readiness),
    Part("coaching-log", "Coaching log", "coaching", "coaching-log", ("coaching-log",),
         render_coaching_log),
    Part("teach-back", "Teach-back", "portfolio", "teach-back", ("portfolio-teach-back",),
         render_teach_back),
]


def register(part: Part, parts: list[Part] | None = None) -> None:
    """Add a part, or replace the one with the same id (in place, keeping the order)."""
    parts = PARTS if parts is None else parts
    for index, existing in enumerate(parts):
        if existing.id == part.id:
            parts[index] = part
            return
    parts.append(part)


# --- gathering ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gathered:
    part: Part
    status: str                      # included, not-started or unreadable
    pieces: tuple[Piece, ...] = ()
    note: str = ""                   # what to tell the learner when not included


def _saved_fields(store: Store, key: str, kind: str) -> dict[str, Any] | None:
    """The fields saved under `key`, or None; PartUnreadable when they cannot be read."""
    try:
        saved = store.get(key, SavedWork)
    except RecordSetAside as err:
        raise PartUnreadable(f"{err.reason.rstrip('.')}. A copy was kept in {err.kept}; "
                             "nothing was deleted") from None
    except StoreUnavailable as err:
        raise PartUnreadable(err.problem) from None
    if saved is None:
        return None
    if saved.saved_kind and saved.saved_kind != kind:
        raise PartUnreadable(f"what is saved there is a different kind of work "
                             f"({saved.saved_kind!r}, not {kind!r})")
    return saved.fields


def _read(part: Part, store: Store) -> dict[str, Any] | None:
    if part.read is not None:
        return part.read(store)
    for key in part.keys:
        fields = _saved_fields(store, key, part.kind)
        if fields is not None:
            return fields
    return None


def gather(store: Store, modules: dict[str, str], parts: list[Part] | None = None
           ) -> list[Gathered]:
    """Each part of the portfolio, in order: included with its pieces, not started yet, or
    unreadable with the reason. `modules` maps the course's module ids to their titles."""
    out = []
    for part in PARTS if parts is None else parts:
        where = (f"the module “{modules[part.module]}”" if part.module in modules
                 else "each module's written reflection" if not part.module
                 else f"a module that is not in your course yet ({part.module})")
        if part.module not in modules and part.read is None:
            out.append(Gathered(part, "not-started", note=f"Not started yet. It is made in {where}."))
            continue
        try:
            fields = _read(part, store)
            pieces = (part.render or render_text_fields)(fields) if fields is not None else []
        except PartUnreadable as err:
            out.append(Gathered(part, "unreadable", note=(
                f"Your {part.title.lower()} (made in {where}) could not be read: {err}. "
                "The rest of the portfolio is here.")))
            continue
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            out.append(Gathered(part, "unreadable", note=(
                f"Your {part.title.lower()} (made in {where}) could not be read: it is not in "
                f"the shape this kit expects ({type(err).__name__}). The rest of the "
                "portfolio is here.")))
            continue
        if not pieces:
            out.append(Gathered(part, "not-started", note=f"Not started yet. You make it in {where}."))
        else:
            out.append(Gathered(part, "included", tuple(pieces)))
    return out


# --- the printable page ---------------------------------------------------------------------

def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>"
                   for block in text.strip().split("\n\n") if block.strip())


def piece_html(piece: Piece, level: int = 3) -> str:
    out = [f"<h{level}>{escape(piece.heading)}</h{level}>"]
    if piece.text:
        out.append(_paragraphs(piece.text))
    if piece.items:
        out.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in piece.items) + "</ul>")
    if piece.table:
        head, *rows = piece.table
        out.append("<table><thead><tr>" + "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
                   + "</tr></thead><tbody>" + "".join(
                       "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                       for row in rows) + "</tbody></table>")
    return "".join(out)


def body_html(introduction: str, gathered: list[Gathered], *, printable: bool = False) -> str:
    """The portfolio's content (no page around it). On screen every part shows, with what is
    left to do; the printable page (for a principal) holds only the learner's work, and says
    once which parts it leaves out."""
    intro = _paragraphs(introduction)
    out = []
    if intro or not printable:
        intro = intro or "<p><i>No introduction written yet.</i></p>"
        out.append(f"<section class='tlkit-portfolio-intro'><h2>Introduction</h2>{intro}</section>")
    left_out = []
    for item in gathered:
        if printable and item.status != "included":
            left_out.append(item.part.title)
            continue
        if item.status == "included":
            inner = "".join(piece_html(p) for p in item.pieces)
        else:
            inner = (f"<p class='tlkit-portfolio-{item.status}'>{escape(item.note)}</p>")
        out.append(f"<section class='tlkit-portfolio-part' data-part='{escape(item.part.id)}'>"
                   f"<h2>{escape(item.part.title)}</h2>{inner}</section>")
    if left_out:
        out.append("<p class='tlkit-portfolio-left-out'>This portfolio does not include: "
                   f"{escape(', '.join(left_out))}.</p>")
    return "".join(out)


# The portfolio's own rules (a document to read, so larger type and open spacing); the rest
# is the shared print stylesheet (tlkit.printables.page_style).
PAGE_CSS = """
body { font-size: 12pt; line-height: 1.45; max-width: 48em; }
h1 { font-size: 1.7em; }
h2 { font-size: 1.3em; text-transform: none; letter-spacing: normal; color: #111;
     border-bottom: 1px solid #767676; padding-bottom: 2px; margin-top: 1.6em; }
h3 { font-size: 1.1em; }
section { break-inside: auto; }
"""


def portfolio_html(introduction: str, gathered: list[Gathered],
                   title: str = "My teacher leadership portfolio") -> str:
    """The whole portfolio as one HTML page that prints cleanly (print it, or save it as PDF
    from the browser's print window)."""
    body = body_html(introduction, gathered, printable=True)
    return page_html(title, f"<h1>{escape(title)}</h1>{body}", css=PAGE_CSS)
