"""The made-up network: organizations, districts, teacher leaders, cohorts, teachers, sessions.

Scale and designs follow the Teacher Practice Networks as WestEd described them (13 active
organizations, about 800 teacher leaders, about 12,000 teachers supported directly; a
two-hour session every other week with virtual video reflection between, or monthly
three-hour sessions led by a pair of teacher leaders with observation and coaching between).
Every name is invented and marked "(synthetic)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from tlkit.data import specs

FIRST_DAY, LAST_DAY = date(2016, 8, 15), date(2017, 6, 16)
# No sessions in these weeks (Thanksgiving, winter break, spring break).
BREAKS = ((date(2016, 11, 21), date(2016, 11, 25)), (date(2016, 12, 19), date(2017, 1, 2)),
          (date(2017, 3, 27), date(2017, 3, 31)))
WINTER = (12, 1, 2)   # months when rural groups often meet online instead of driving

BIWEEKLY = "biweekly-with-virtual"   # 2-hour session every other week, video reflection between
MONTHLY = "monthly-co-led"           # 3-hour monthly session by two leaders, coaching between
FACE, COACHING, VIRTUAL = "face-to-face", "1:1 coaching", "virtual"
SMALL, CO_LED, SITE = "small cohort", "co-led", "site-based group"
SETTINGS = ("urban", "suburban", "rural")
FOCUSES = ("English learners", "math", "social studies", "science", "literacy", "inquiry")
GRADE_BANDS = ("elementary", "middle", "high")


@dataclass(frozen=True)
class OrgPlan:
    name: str
    focus: str
    setting: str
    design: str
    teacher_leaders: int
    districts: int
    grades: tuple[float, float, float]   # share of elementary, middle, high teachers


ORGS = (
    OrgPlan("Riverbend Teaching Collaborative", "literacy", "urban", BIWEEKLY, 70, 1, (.6, .3, .1)),
    OrgPlan("Prairie Lantern Math Network", "math", "rural", BIWEEKLY, 45, 4, (.3, .4, .3)),
    OrgPlan("Harborview Civic Discussion Project", "social studies", "urban", MONTHLY, 60, 1,
            (.1, .4, .5)),
    OrgPlan("Cedar Hollow Science Partners", "science", "rural", MONTHLY, 40, 3, (.3, .4, .3)),
    OrgPlan("Northgate English Learner Alliance", "English learners", "urban", BIWEEKLY, 65, 1,
            (.5, .3, .2)),
    OrgPlan("Juniper Flats Inquiry Circle", "inquiry", "rural", BIWEEKLY, 35, 3, (.5, .3, .2)),
    OrgPlan("Maplestone Algebra Leaders", "math", "urban", BIWEEKLY, 150, 1, (0, .6, .4)),
    OrgPlan("Bluewater Literacy Guild", "literacy", "suburban", MONTHLY, 60, 2, (.6, .3, .1)),
    OrgPlan("Granite Ridge Social Studies Forum", "social studies", "suburban", BIWEEKLY, 55, 2,
            (.2, .4, .4)),
    OrgPlan("Sagebrush Valley Science Studio", "science", "rural", MONTHLY, 35, 4, (.3, .4, .3)),
    OrgPlan("Lakeshore Language Learners Network", "English learners", "suburban", BIWEEKLY, 55,
            2, (.5, .3, .2)),
    OrgPlan("Old Mill Inquiry Lab", "inquiry", "suburban", BIWEEKLY, 50, 2, (.4, .4, .2)),
    OrgPlan("Summit Bridge Coaching Collaborative", "math", "urban", MONTHLY, 80, 1, (.2, .5, .3)),
)
COACHING_ORG = 13   # ORG-13: its teachers rate the coaching they get higher (documented)

PLACES = ("Fernwood", "Alder Creek", "Stonebridge", "Willow Bend", "Copper Hill", "Elm Hollow",
          "Bramble Ridge", "Foxglove", "Heron Lake", "Ironwood", "Kestrel Plains", "Larkspur",
          "Millbrook", "Nettle Valley", "Oakhaven", "Pinecrest", "Quarry Flats", "Redwing",
          "Silver Birch", "Thistledown", "Umber Falls", "Vale Hollow", "Wrenfield", "Yarrow Bay",
          "Ashgrove", "Bluestem", "Clover Gap", "Dunmore Flats", "Eagle Rock", "Fairhaven")

# Cohort kinds per design: (kind, share of cohorts, teacher leaders, smallest, largest size).
COHORT_MIX = {
    BIWEEKLY: ((SMALL, .84, 1, 12, 15), (SITE, .11, 1, 22, 45), (CO_LED, .05, 2, 18, 30)),
    MONTHLY: ((SMALL, .15, 1, 12, 15), (SITE, .15, 1, 22, 45), (CO_LED, .70, 2, 18, 30)),
}
# Share of a cohort that comes to a face-to-face session: large site-based groups come less.
F2F_TURNOUT = {SMALL: .91, CO_LED: .89, SITE: .76}
VIRTUAL_TURNOUT = .78


def org_id(number: int) -> str:
    return f"ORG-{number:02d}"


def _in_break(day: date) -> bool:
    return any(start <= day <= end for start, end in BREAKS)


def _next_open_day(day: date) -> date:
    """The same weekday a week later, as often as needed, until it is outside every break."""
    while _in_break(day):
        day += timedelta(days=7)
    return day


def build_network(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    orgs, districts, leaders, cohorts, teachers = [], [], [], [], []
    place = iter(PLACES)
    for n, plan in enumerate(ORGS, start=1):
        oid = org_id(n)
        orgs.append({"org_id": oid, "org_name": f"{plan.name} (synthetic)",
                     "content_focus": plan.focus, "setting": plan.setting,
                     "design": plan.design})
        org_districts = []
        for _ in range(plan.districts):
            did = f"DIST-{len(districts) + 1:02d}"
            kind = "County Schools" if plan.setting == "rural" else "School District"
            schools = int(rng.integers(3, 9) if plan.setting == "rural" else rng.integers(8, 40))
            districts.append({"district_id": did, "district_name": f"{next(place)} {kind} (synthetic)",
                              "org_id": oid, "setting": plan.setting,
                              "schools_in_partnership": schools})
            org_districts.append(did)
        # Rural districts are small: spread leaders evenly; elsewhere one district dominates.
        weights = np.ones(len(org_districts)) if plan.setting == "rural" else \
            np.linspace(2, 1, len(org_districts))
        weights /= weights.sum()

        kinds = COHORT_MIX[plan.design]
        remaining = plan.teacher_leaders
        while remaining > 0:
            kind, _, n_leaders, low, high = kinds[rng.choice(len(kinds), p=[k[1] for k in kinds])]
            if n_leaders > remaining:
                kind, _, n_leaders, low, high = kinds[0]
            remaining -= n_leaders
            cid = f"COH-{len(cohorts) + 1:04d}"
            did = org_districts[rng.choice(len(org_districts), p=weights)]
            size = int(rng.integers(low, high + 1))
            ids = [f"TL-{len(leaders) + i + 1:04d}" for i in range(n_leaders)]
            band = GRADE_BANDS[rng.choice(3, p=plan.grades)]
            for i, tid in enumerate(ids):
                leaders.append({"tl_id": tid, "org_id": oid, "district_id": did, "cohort_id": cid,
                                "leader_role": "lead" if i == 0 else "co-lead",
                                "grade_band": band,
                                "years_teaching": int(np.clip(rng.normal(14, 5), 5, 32)),
                                "years_as_teacher_leader": int(rng.integers(1, 6))})
            cohorts.append({"cohort_id": cid, "org_id": oid, "district_id": did,
                            "setting": plan.setting, "design": plan.design, "cohort_type": kind,
                            "lead_tl_id": ids[0],
                            "co_lead_tl_id": ids[1] if n_leaders > 1 else None,
                            "grade_band": band, "enrolled": size})
            for _ in range(size):
                teachers.append({"teacher_id": f"T-{len(teachers) + 1:05d}", "cohort_id": cid,
                                 "org_id": oid, "district_id": did, "grade_band": band,
                                 "years_teaching": int(np.clip(rng.gamma(2.2, 4.5), 1, 38))})
    frames = {"organizations": pd.DataFrame(orgs), "districts": pd.DataFrame(districts),
              "teacher_leaders": pd.DataFrame(leaders), "cohorts": pd.DataFrame(cohorts),
              "teachers": pd.DataFrame(teachers)}
    frames["sessions"] = build_sessions(rng, frames["cohorts"], frames["teachers"])
    return frames


def build_sessions(rng: np.random.Generator, cohorts: pd.DataFrame,
                   teachers: pd.DataFrame) -> pd.DataFrame:
    members = teachers.groupby("cohort_id", sort=False)["teacher_id"].apply(list).to_dict()
    rows: list[dict] = []
    for c in cohorts.itertuples(index=False):
        rural = c.setting == "rural"
        base_turnout = float(np.clip(rng.normal(F2F_TURNOUT[c.cohort_type], .03), .5, .98))
        leaders = [c.lead_tl_id] + ([c.co_lead_tl_id] if pd.notna(c.co_lead_tl_id) else [])

        def group(day: date, fmt: str, minutes: int, turnout: float) -> None:
            p = float(np.clip(rng.normal(turnout, .04), .3, 1))
            rows.append({"cohort_id": c.cohort_id, "org_id": c.org_id, "setting": c.setting,
                         "cohort_type": c.cohort_type, "date": day, "format": fmt,
                         "minutes": minutes, "enrolled": c.enrolled,
                         "attended": int(rng.binomial(c.enrolled, p)),
                         "led_by": c.lead_tl_id, "teacher_id": None})

        def moved_online(day: date) -> bool:
            # Winter driving in rural districts: many group sessions move online.
            return rural and day.month in WINTER and rng.random() < .6

        if c.design == BIWEEKLY:
            weekday = int(rng.integers(1, 4))                     # Tue, Wed or Thu
            day = date(2016, 9, 12) + timedelta(days=weekday + 7 * int(rng.integers(0, 3)))
            while day <= date(2017, 5, 26):
                day = _next_open_day(day)
                if day > date(2017, 5, 26):
                    break
                minutes = 90 if rng.random() < .06 else 120      # early-release days run short
                if moved_online(day):
                    group(day, VIRTUAL, minutes, VIRTUAL_TURNOUT + .05)
                else:
                    group(day, FACE, minutes, base_turnout)
                # The week between: a shared classroom video and an online reflection thread.
                between = day + timedelta(days=7)
                if not _in_break(between) and between <= LAST_DAY:
                    minutes = 60 if rural else int(rng.choice([30, 40, 45]))
                    group(between, VIRTUAL, minutes, VIRTUAL_TURNOUT)
                day += timedelta(days=14)
        else:
            months = [(2016, m) for m in range(9, 13)] + [(2017, m) for m in range(1, 6)]
            roster = members[c.cohort_id]
            for i, (year, month) in enumerate(months):
                # Second Wednesday of the month, after school.
                first = date(year, month, 1)
                day = _next_open_day(first + timedelta(days=(2 - first.weekday()) % 7 + 7))
                if moved_online(day):
                    group(day, VIRTUAL, 180, VIRTUAL_TURNOUT + .05)
                else:
                    group(day, FACE, 180, base_turnout)
                if i == len(months) - 1:
                    break
                # Between sessions a leader observes and coaches most teachers one-on-one.
                for j, teacher in enumerate(roster):
                    if rng.random() > .7:
                        continue
                    visit = _next_open_day(day + timedelta(days=int(rng.integers(5, 26))))
                    visit += timedelta(days=(0 - visit.weekday()) % 7 if visit.weekday() > 4 else 0)
                    visit = _next_open_day(visit)
                    rows.append({"cohort_id": c.cohort_id, "org_id": c.org_id,
                                 "setting": c.setting, "cohort_type": c.cohort_type,
                                 "date": visit, "format": COACHING,
                                 "minutes": int(rng.choice([30, 40, 45, 60])), "enrolled": 1,
                                 "attended": int(rng.random() < .94),
                                 "led_by": leaders[j % len(leaders)], "teacher_id": teacher})
    sessions = pd.DataFrame(rows).sort_values(["cohort_id", "date", "format", "teacher_id"],
                                              kind="stable", na_position="first")
    sessions.insert(0, "session_id", [f"S-{i:06d}" for i in range(1, len(sessions) + 1)])
    sessions["date"] = sessions["date"].map(date.isoformat)
    return sessions.reset_index(drop=True)


def codebooks(frames: dict[str, pd.DataFrame]) -> dict[str, dict]:
    orgs = list(frames["organizations"]["org_id"])
    districts = list(frames["districts"]["district_id"])
    org_ref = specs.category("org_id", orgs, "Partner organization (see organizations).")
    district_ref = specs.category("district_id", districts, "District partner (see districts).")
    setting = specs.category("setting", SETTINGS, "Where the organization works: urban, "
                             "suburban or rural (rural districts are far apart).")
    band = specs.category("grade_band", GRADE_BANDS, "Grade band the cohort teaches.")
    cohort_ref = specs.ident("cohort_id", r"^COH-\d{4}$", "Cohort (see cohorts).",
                             references="cohorts.cohort_id")
    kind = specs.category("cohort_type", (SMALL, CO_LED, SITE),
                          "small cohort: one leader, 12-15 teachers; co-led: two leaders, "
                          "18-30 teachers; site-based group: one leader, a whole school team "
                          "of 22-45 teachers.")
    design = specs.category("design", (BIWEEKLY, MONTHLY),
                            f"{BIWEEKLY}: two-hour session every other week, online video "
                            f"reflection in the weeks between; {MONTHLY}: three-hour monthly "
                            "session by two leaders, one-on-one coaching between.")
    return {
        "organizations": specs.codebook(
            "organizations", "Partner organizations (synthetic)", "organizations.csv",
            "The 13 partner organizations of the made-up network, one row each.",
            [specs.ident("org_id", r"^ORG-\d{2}$", "Synthetic ID.", unique=True),
             specs.text("org_name", "Invented name, marked (synthetic).", unique=True),
             specs.category("content_focus", FOCUSES, "What the organization's professional "
                            "learning is about."),
             setting, design], row="one partner organization"),
        "districts": specs.codebook(
            "districts", "District partners (synthetic)", "districts.csv",
            "The school districts each organization works with.",
            [specs.ident("district_id", r"^DIST-\d{2}$", "Synthetic ID.", unique=True),
             specs.text("district_name", "Invented name, marked (synthetic).", unique=True),
             org_ref, setting,
             specs.integer("schools_in_partnership", 1, 60, "Schools taking part this year.")],
            row="one district"),
        "teacher_leaders": specs.codebook(
            "teacher_leaders", "Teacher leaders (synthetic)", "teacher_leaders.csv",
            "Every teacher leader is also a classroom teacher; each leads (or co-leads) one "
            "cohort.",
            [specs.ident("tl_id", r"^TL-\d{4}$", "Synthetic ID.", unique=True), org_ref,
             district_ref, cohort_ref,
             specs.category("leader_role", ("lead", "co-lead"), "lead, or the second leader "
                            "of a co-led cohort."),
             band,
             specs.integer("years_teaching", 1, 45, "Years as a classroom teacher."),
             specs.integer("years_as_teacher_leader", 1, 5, "Years in the network (it ran "
                           "five years).")],
            row="one teacher leader"),
        "cohorts": specs.codebook(
            "cohorts", "Cohorts (synthetic)", "cohorts.csv",
            "The groups of teachers each leader (or pair of leaders) works with all year.",
            [specs.ident("cohort_id", r"^COH-\d{4}$", "Synthetic ID.", unique=True), org_ref,
             district_ref, setting, design, kind,
             specs.ident("lead_tl_id", r"^TL-\d{4}$", "Leading teacher leader.",
                         unique=True, references="teacher_leaders.tl_id"),
             specs.ident("co_lead_tl_id", r"^TL-\d{4}$", "Second leader (co-led cohorts "
                         "only; empty otherwise).", missing=True,
                         references="teacher_leaders.tl_id"),
             band,
             specs.integer("enrolled", 1, 60, "Teachers in the cohort.")],
            row="one cohort"),
        "teachers": specs.codebook(
            "teachers", "Teachers supported directly (synthetic)", "teachers.csv.gz",
            "Teachers who learn with a teacher leader in a cohort.",
            [specs.ident("teacher_id", r"^T-\d{5}$", "Synthetic ID.", unique=True), cohort_ref,
             org_ref, district_ref, band,
             specs.integer("years_teaching", 1, 45, "Years as a classroom teacher.")],
            row="one teacher"),
        "sessions": specs.codebook(
            "sessions", "Professional learning sessions, 2016-17 (synthetic)", "sessions.csv.gz",
            "Every session a cohort held in the school year: group sessions (face-to-face or "
            "virtual) and one-on-one coaching visits.",
            [specs.ident("session_id", r"^S-\d{6}$", "Synthetic ID.", unique=True), cohort_ref,
             org_ref, setting, kind,
             specs.date("date", FIRST_DAY.isoformat(), LAST_DAY.isoformat(),
                        "Day the session took place (within the school year)."),
             specs.category("format", (FACE, COACHING, VIRTUAL),
                            "face-to-face group session; 1:1 coaching (a leader observes and "
                            "coaches one teacher); virtual (online meeting, or video "
                            "reflection on a shared discussion thread)."),
             specs.integer("minutes", 10, 240, "Planned length of the session."),
             specs.integer("enrolled", 1, 60, "Teachers expected (1 for coaching)."),
             specs.integer("attended", 0, 60, "Teachers who took part."),
             specs.ident("led_by", r"^TL-\d{4}$", "Teacher leader who led it.",
                         references="teacher_leaders.tl_id"),
             specs.ident("teacher_id", r"^T-\d{5}$", "Teacher coached (1:1 coaching only).",
                         missing=True, references="teachers.teacher_id")],
            rules=[{"check": "attended <= enrolled",
                    "message": "attended is larger than enrolled: no more teachers can take "
                               "part than the cohort holds"}],
            row="one session"),
    }
