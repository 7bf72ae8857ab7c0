"""The teacher-leader self-assessment: its items, a learner's profile and the profile chart.

The items, domains, levels and scale live in content/self-assessment/<name>.yaml (read through
the content loader); the scale's words in content/scales/survey.yaml. A rating is the position
on that scale, counted from 1 (1 = "Not yet" ... 5 = "Leading others"). Scoring never raises on
a learner's answers: a blank or unreadable rating counts as not rated yet, and is listed.

How the profile reads (the same rule the learner sees in the module):
- a domain's score is the mean of its rated items; foundational and advanced items also get
  a mean of their own;
- a **growth area** is a domain whose score is below "Practising" (3), or where any
  foundational item is rated below "Practising": foundations come first;
- a **strength** is a domain whose score is "Confident" (4) or above, with no foundational
  item below "Practising".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any, Mapping, Sequence

from tlkit.content.loader import folder_of, read

DEFAULT = "teacher-leader"
LEVELS = ("foundational", "advanced")
STRENGTH_AT = 4.0      # "Confident" or above
GROWTH_BELOW = 3.0     # below "Practising"
NEXT_STEPS = 3         # items suggested as first steps


@dataclass(frozen=True)
class Domain:
    id: str
    name: str


@dataclass(frozen=True)
class AssessmentItem:
    id: str
    domain: str
    level: str
    statement: str
    evidence_prompt: str


@dataclass(frozen=True)
class SelfAssessment:
    id: str
    title: str
    instructions: str
    evidence_prompt: str
    scale_id: str
    scale: tuple[str, ...]                # answers, lowest first; a rating is position + 1
    levels: Mapping[str, str]             # level -> what it means
    domains: tuple[Domain, ...]
    items: tuple[AssessmentItem, ...]
    sources: tuple[str, ...] = ()

    def domain(self, domain_id: str) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)

    def items_in(self, domain_id: str) -> list[AssessmentItem]:
        return [item for item in self.items if item.domain == domain_id]

    def word(self, rating: int) -> str:
        """The scale's word for a rating (1-based)."""
        return self.scale[rating - 1]


def load_self_assessment(name: str = DEFAULT, path=None) -> SelfAssessment:
    """A shipped self-assessment by name, or a file by path. A malformed file raises
    ContentError naming the file, the field and the fix."""
    from tlkit.data.scales import scales

    document = read("self-assessment", path or folder_of("self-assessment") / f"{name}.yaml")
    data = document.data
    known = scales()
    if data["scale"] not in known:
        document.fail(["scale"], f"there is no answer scale called '{data['scale']}'.",
                      f"use one of: {', '.join(known)} (content/scales/survey.yaml).")
    domain_ids = [d["id"] for d in data["domains"]]
    seen: set[str] = set()
    for index, entry in enumerate(data["items"]):
        if entry["id"] in seen:
            document.fail(["items", index, "id"], f"the id '{entry['id']}' is used twice.",
                          "give each item its own id (ratings are saved under it).")
        seen.add(entry["id"])
        if entry["domain"] not in domain_ids:
            document.fail(["items", index, "domain"],
                          f"'{entry['domain']}' is not one of the domains of this file.",
                          f"use one of: {', '.join(domain_ids)}.")
    prompt = data.get("evidence_prompt", "What did you do that shows this?")
    items = tuple(AssessmentItem(id=e["id"], domain=e["domain"],
                                 level=e.get("level", "foundational"),
                                 statement=e["statement"].strip(),
                                 evidence_prompt=e.get("evidence_prompt", prompt))
                  for e in data["items"])
    return SelfAssessment(
        id=data["id"], title=data["title"], instructions=data.get("instructions", "").strip(),
        evidence_prompt=prompt, scale_id=data["scale"], scale=known[data["scale"]],
        levels=dict(data.get("levels") or {}),
        domains=tuple(Domain(d["id"], d["name"]) for d in data["domains"]),
        items=items, sources=tuple(data.get("sources") or ()))


# --- reading ratings -----------------------------------------------------------------------

def read_rating(value: Any, scale: Sequence[str]) -> int | None:
    """A rating as its position on the scale (1-based), from a number or the scale's word
    (case and spaces ignored); None when blank or not on the scale."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if 1 <= value <= len(scale) else None
    if isinstance(value, str):
        text = " ".join(value.split()).casefold()
        if text.isdigit():
            return read_rating(int(text), scale)
        words = [w.casefold() for w in scale]
        return words.index(text) + 1 if text in words else None
    return None


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class DomainScore:
    domain: Domain
    score: float | None              # mean of the rated items; None when none is rated
    foundational: float | None
    advanced: float | None
    rated: int
    total: int
    weak_foundations: tuple[str, ...] = ()   # foundational item ids rated below Practising

    @property
    def is_growth_area(self) -> bool:
        return self.score is not None and (self.score < GROWTH_BELOW or bool(self.weak_foundations))

    @property
    def is_strength(self) -> bool:
        return (self.score is not None and self.score >= STRENGTH_AT
                and not self.weak_foundations)


@dataclass(frozen=True)
class Profile:
    assessment: SelfAssessment
    ratings: Mapping[str, int]                       # item id -> rating, readable ones only
    domains: tuple[DomainScore, ...]
    no_evidence: tuple[str, ...] = ()                # rated item ids with no evidence written
    unreadable: Mapping[str, Any] = field(default_factory=dict)   # item id -> value not read

    @property
    def rated(self) -> int:
        return len(self.ratings)

    @property
    def total(self) -> int:
        return len(self.assessment.items)

    @property
    def strengths(self) -> list[DomainScore]:
        """Strong domains, highest score first (file order breaks ties)."""
        return sorted((d for d in self.domains if d.is_strength), key=lambda d: -d.score)

    @property
    def growth_areas(self) -> list[DomainScore]:
        """Domains to grow, lowest score first (file order breaks ties)."""
        return sorted((d for d in self.domains if d.is_growth_area), key=lambda d: d.score)

    def next_steps(self, limit: int = NEXT_STEPS) -> list[AssessmentItem]:
        """Items to start from: in growth areas, foundational before advanced, lowest rating
        first, file order breaking ties."""
        growth = [d.domain.id for d in self.growth_areas]
        order = {item.id: n for n, item in enumerate(self.assessment.items)}
        candidates = [item for item in self.assessment.items
                      if item.domain in growth and item.id in self.ratings
                      and self.ratings[item.id] < STRENGTH_AT]
        candidates.sort(key=lambda item: (LEVELS.index(item.level), self.ratings[item.id],
                                          growth.index(item.domain), order[item.id]))
        return candidates[:limit]

    def score_text(self, value: float | None) -> str:
        if value is None:
            return "not rated"
        # Half up: 2.5 reads "about Practising", never rounded down to the even step.
        nearest = self.assessment.word(min(len(self.assessment.scale), max(1, int(value + 0.5))))
        return f"{value:.1f} (about {nearest})"

    def table(self) -> list[list[str]]:
        """One row per domain: name, foundational, advanced, all items, how many rated."""
        def cell(value):
            return "-" if value is None else f"{value:.1f}"
        return [[d.domain.name, cell(d.foundational), cell(d.advanced), cell(d.score),
                 f"{d.rated} of {d.total}"] for d in self.domains]

    TABLE_HEADER = ("Domain", "Foundational items", "Advanced items", "All items", "Rated")

    def summary(self) -> str:
        """One paragraph of plain text: the chart's alt text and the export's summary."""
        if not self.ratings:
            return "No item is rated yet, so there is no profile to show."
        parts = [f"{self.rated} of {self.total} items rated on a scale from 1 "
                 f"({self.assessment.scale[0]}) to {len(self.assessment.scale)} "
                 f"({self.assessment.scale[-1]})."]
        for d in self.domains:
            parts.append(f"{d.domain.name}: {self.score_text(d.score)}.")
        strengths = ", ".join(d.domain.name for d in self.strengths) or "none yet"
        growth = ", ".join(d.domain.name for d in self.growth_areas) or "none"
        parts.append(f"Strengths: {strengths}. Growth areas: {growth}.")
        return " ".join(parts)


def profile(assessment: SelfAssessment, ratings: Mapping[str, Any],
            evidence: Mapping[str, Any] | None = None) -> Profile:
    """The learner's profile from their ratings (item id -> position or word) and evidence
    (item id -> text). Ids not in the assessment are ignored; blank ratings are not rated."""
    evidence = evidence or {}
    known = {item.id for item in assessment.items}
    read: dict[str, int] = {}
    unreadable: dict[str, Any] = {}
    for item_id, value in ratings.items():
        if item_id not in known:
            continue
        rating = read_rating(value, assessment.scale)
        if rating is not None:
            read[item_id] = rating
        elif value is not None and str(value).strip():
            unreadable[item_id] = value
    scores = []
    for domain in assessment.domains:
        items = assessment.items_in(domain.id)
        given = [read[i.id] for i in items if i.id in read]
        by_level = {level: [read[i.id] for i in items if i.level == level and i.id in read]
                    for level in LEVELS}
        weak = tuple(i.id for i in items if i.level == "foundational" and i.id in read
                     and read[i.id] < GROWTH_BELOW)
        scores.append(DomainScore(domain, _mean(given), _mean(by_level["foundational"]),
                                  _mean(by_level["advanced"]), len(given), len(items), weak))
    no_evidence = tuple(item.id for item in assessment.items if item.id in read
                        and not str(evidence.get(item.id) or "").strip())
    return Profile(assessment, read, tuple(scores), no_evidence, unreadable)


# --- the chart -----------------------------------------------------------------------------

def profile_chart(result: Profile):
    """A horizontal bar chart: per domain, the foundational and the advanced mean, each bar
    labelled with its value (colour is never the only carrier)."""
    from tlkit.charts import PALETTE, new_figure

    assessment = result.assessment
    fig, ax = new_figure(7.0, 0.9 + 0.75 * len(result.domains))
    names = [d.domain.name for d in result.domains][::-1]
    rows = list(result.domains)[::-1]
    height = 0.36
    for offset, level, colour, hatch in ((height / 2, "foundational", PALETTE[0], ""),
                                         (-height / 2, "advanced", PALETTE[1], "//")):
        values = [getattr(d, level) or 0 for d in rows]
        bars = ax.barh([n + offset for n in range(len(rows))], values, height=height,
                       color=colour, hatch=hatch, edgecolor="#333",
                       label=f"{level.capitalize()} items")
        for bar, d in zip(bars, rows):
            value = getattr(d, level)
            ax.text((value or 0) + 0.05, bar.get_y() + bar.get_height() / 2,
                    "not rated" if value is None else f"{value:.1f}", va="center", fontsize=9)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlim(0, len(assessment.scale) + 0.8)
    ax.set_xticks(range(1, len(assessment.scale) + 1),
                  [f"{n}\n{word}" for n, word in enumerate(assessment.scale, start=1)],
                  fontsize=8)
    ax.axvline(GROWTH_BELOW, color="#555", linestyle=":", linewidth=1)
    ax.axvline(STRENGTH_AT, color="#555", linestyle="--", linewidth=1)
    ax.legend(loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0), ncol=2)
    fig.tight_layout()
    return fig


def profile_html(result: Profile) -> str:
    """The profile as a learner sees it: the chart with its table, strengths, growth areas,
    items to start from, and what is missing."""
    from tlkit.charts import chart_html

    if not result.ratings:
        return ("<p class='tlkit-sa-empty'>Rate at least one item above, then press "
                "<b>Show my profile</b> again.</p>")
    fig = profile_chart(result)
    chart = chart_html(fig, result.summary(), result.table(), Profile.TABLE_HEADER,
                       caption="My profile by domain (foundational and advanced items)")
    parts = [f"<div class='tlkit-sa-profile'>{chart}"]
    parts.append(_list_html("Strengths", "tlkit-sa-strengths", [
        f"{d.domain.name}: {result.score_text(d.score)}" for d in result.strengths],
        "None yet: a strength is a domain at Confident (4) or above, with every foundational "
        "item at Practising (3) or above."))
    parts.append(_list_html("Growth areas", "tlkit-sa-growth", [
        f"{d.domain.name}: {result.score_text(d.score)}"
        + (" (a foundational item is below Practising)" if d.weak_foundations else "")
        for d in result.growth_areas],
        "None: every rated domain is at Practising (3) or above, foundations included. "
        "Choose the advanced items you most want to grow."))
    steps = result.next_steps()
    if steps:
        parts.append(_list_html("Items to start from", "tlkit-sa-next", [
            f"{item.statement} (you chose: {result.assessment.word(result.ratings[item.id])})"
            for item in steps], ""))
    notes = []
    if result.rated < result.total:
        notes.append(f"{result.total - result.rated} of {result.total} items are not rated "
                     "yet; the profile uses the ones you rated.")
    if result.no_evidence:
        notes.append(f"{len(result.no_evidence)} rated items have no evidence yet. A rating "
                     "with an example is easier to talk over with a colleague.")
    if notes:
        parts.append("<p class='tlkit-sa-notes'>" + " ".join(escape(n) for n in notes) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def _list_html(title: str, css: str, lines: list[str], empty: str) -> str:
    body = ("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
            if lines else f"<p>{escape(empty)}</p>")
    return f"<div class='{css}'><h4>{escape(title)}</h4>{body}</div>"


# --- Rating again at the end of the course ---------------------------------------------------

@dataclass(frozen=True)
class RatingChange:
    """One statement rated at the end of the course, beside its first rating (None: it was
    not rated the first time)."""

    item: AssessmentItem
    first: int | None
    again: int

    @property
    def change(self) -> int | None:
        return None if self.first is None else self.again - self.first

    def words(self) -> str:
        """The change in plain words: "up 2 steps", "the same", "down 1 step"."""
        if self.change is None:
            return "not rated the first time"
        if self.change == 0:
            return "the same"
        steps = abs(self.change)
        return f"{'up' if self.change > 0 else 'down'} {steps} step{'s' if steps != 1 else ''}"


def rating_changes(assessment: SelfAssessment, first: Mapping[str, Any],
                   again: Mapping[str, Any]) -> list[RatingChange]:
    """Each statement rated again, in the assessment's order, with its first rating. Ratings
    off the scale count as not given (a record saved under an older scale is never fatal)."""
    changes = []
    for item in assessment.items:
        now = read_rating(again.get(item.id), assessment.scale)
        if now is not None:
            changes.append(RatingChange(item, read_rating(first.get(item.id), assessment.scale),
                                        now))
    return changes


def change_summary(changes: Sequence[RatingChange]) -> str:
    """One sentence on the whole change, e.g. "Of the 9 statements you rated both times, 4 are
    higher now, 4 the same and 1 lower." """
    both = [c for c in changes if c.change is not None]
    if not both:
        return "None of the statements you rated again was rated the first time."
    up = sum(1 for c in both if c.change > 0)
    down = sum(1 for c in both if c.change < 0)
    same = len(both) - up - down
    noun = "statement" if len(both) == 1 else "statements"
    return (f"Of the {len(both)} {noun} you rated both times, {up} "
            f"{'is' if up == 1 else 'are'} higher now, {same} the same and {down} lower.")
