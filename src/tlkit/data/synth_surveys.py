"""Spring and end-of-year surveys, and the district readiness self-assessment (synthetic).

Answers come from a simple latent model: each respondent has a general warmth (some people
answer every item kindly), each item a typical level, and a few groups a documented shift.
The two headline items are then fixed to the published spring 2017 shares (91% and 93%,
WestEd) by moving the fewest answers across the agree/disagree line, so a learner's plain
computation lands on them exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

from tlkit.data import specs
from tlkit.data.scales import POSITIVE, SCALES
from tlkit.data.synth_network import COACHING_ORG, MONTHLY, SETTINGS, org_id

TL_RESPONDENTS, TEACHER_SPRING, TEACHER_EOY = 512, 2613, 1921
HEADLINES = {"q_confident_standards": 0.91, "q_find_materials": 0.93}
PERSON_SD = 0.6
ITEM_MISSING = 0.025     # chance of skipping any one question
BREAKOFF = 0.03          # chance of leaving the survey part-way (later questions empty)

# name, scale, question (as respondents read it), share answering in the top two levels.
TL_ITEMS = (
    ("q_confident_standards", "change_confidence",
     "Compared with a year ago, how confident are you teaching in line with the standards?",
     .91),
    ("q_find_materials", "agree",
     "I know where to find high-quality instructional materials that fit the standards.", .93),
    ("q_prepared_facilitate", "agree",
     "I feel ready to plan and lead professional learning for colleagues.", .84),
    ("q_prepared_coach", "agree", "I feel ready to coach a colleague one-on-one.", .74),
    ("q_principal_support", "agree", "My principal backs my work as a teacher leader.", .78),
    ("q_protected_time", "agree",
     "I have protected time to plan and lead learning with colleagues.", .66),
    ("q_continue_next_year", "agree", "I plan to keep leading colleagues next year.", .82),
)
TEACHER_SPRING_ITEMS = (
    ("q_leader_understands", "agree",
     "My teacher leader understands what my classroom is really like.", .88),
    ("q_sessions_relevant", "agree", "Our sessions connect to what I teach.", .83),
    ("q_tried_practice", "agree",
     "I have tried a practice from our sessions with my own students.", .79),
    ("q_safe_to_share", "agree", "I can share what is not working in my group without worry.",
     .81),
    ("q_confident_standards", "change_confidence",
     "Compared with a year ago, how confident are you teaching in line with the standards?",
     .76),
)
TEACHER_EOY_ITEMS = (
    ("q_learning_value", "value",
     "Overall, how valuable was this year's learning with your teacher leader?", .80),
    ("q_learned_standards", "agree", "I understand the standards I teach better than before.",
     .79),
    ("q_integrated_materials", "agree",
     "I now use standards-aligned materials in my lessons.", .75),
    ("q_access_materials", "agree",
     "I can get hold of high-quality instructional materials.", .77),
    ("q_confident_using_standards", "agree",
     "I am confident planning lessons from the standards.", .74),
    ("q_collaborate_more", "agree",
     "I work with colleagues more than before because of this learning.", .71),
    ("q_coaching_helped", "agree",
     "The coaching I received helped me change my teaching.", .66),
)

# Documented differences (datasets/README.md): the shift, in latent units, for a group.
RURAL_TIME_SHIFT = -0.75        # rural leaders have less protected time
COACHING_ORG_SHIFT = 1.0        # ORG-13 teachers rate coaching higher
NO_COACHING_SKIP = 0.35         # in biweekly designs many leave the coaching item blank

READINESS_ITEMS = (
    # District conditions: culture and climate
    ("dc_principal_buy_in", "Principals back teacher leaders as leaders of teaching."),
    ("dc_structures_to_lead", "Structures let teacher leaders lead peers and work with site "
                              "leadership teams."),
    ("dc_collaborative_culture", "Professional learning is collaborative, teacher-led and "
                                 "built on inquiry."),
    ("dc_peer_observation", "Teachers welcome peer observation that is not evaluation."),
    ("dc_open_communication", "Teacher leaders, principals and district staff talk openly "
                              "and often."),
    # District conditions: formal practices
    ("dp_roles_defined", "Teacher leader roles are written down and known to staff."),
    ("dp_recruitment", "There is a way to recruit teacher leaders and the teachers they "
                       "support."),
    ("dp_funding", "Money is set aside to sustain the work (for example stipends)."),
    ("dp_leadership_learning", "Teacher leaders get learning on how to lead adults."),
    ("dp_protected_time", "Time for teacher-led work is scheduled and protected."),
    # School conditions
    ("sc_admin_support", "School leaders support teacher-led learning."),
    ("sc_leader_training", "Teacher leaders are trained in coaching and in the content."),
    ("sc_time_structure", "Teachers have a regular, protected time and place to meet."),
    ("sc_growth_mindset", "Staff treat improving teaching as ongoing, not as judgement."),
    # Partnership contributions: what each side brings
    ("pc_district_knowledge", "The district shares what it knows about its schools."),
    ("pc_district_logistics", "The district recruits teachers, finds rooms and offers "
                              "incentives."),
    ("pc_district_policy", "The district uses its authority to adjust local policy."),
    ("pc_partner_expertise", "The partner brings expertise the district lacks (for example "
                             "adult learning)."),
    ("pc_partner_capacity", "The partner builds the district's own capacity."),
    ("pc_partner_plan", "The partner helps write a coherent plan with defined roles."),
)


def _latent_mean(scale: str, share: float) -> float:
    """Item mean so that `share` of people (latent sd sqrt(1 + PERSON_SD**2)) reach the top two."""
    cut = CUTS[scale][-2]
    return cut + (1 + PERSON_SD ** 2) ** 0.5 * NormalDist().inv_cdf(share)


# Latent cut points between levels (standard normal scale), lowest first.
CUTS = {
    "agree": (-2.3, -1.5, -0.6, 1.0),
    "change_confidence": (-2.6, -1.9, -0.5, 0.9),
    "value": (-1.8, -0.9, 0.2),
}


def answer_items(rng: np.random.Generator, n: int, items, shifts: dict[str, np.ndarray]
                 ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Answers (words) for n respondents; also each item's latent score, for the headlines."""
    person = rng.normal(0, PERSON_SD, n)
    # Break-off: a respondent stops after a random question; the rest stay empty.
    stop = np.where(rng.random(n) < BREAKOFF, rng.integers(1, len(items), n), len(items))
    answers, latent = {}, {}
    for k, (name, scale, _question, share) in enumerate(items):
        z = _latent_mean(scale, share) + person + rng.normal(0, 1, n) + shifts.get(name, 0)
        words = np.array(SCALES[scale], dtype=object)[np.searchsorted(CUTS[scale], z)]
        skipped = (rng.random(n) < ITEM_MISSING) | (k >= stop)
        words[skipped] = None
        answers[name], latent[name] = words, z
    return pd.DataFrame(answers), latent


def fix_share(words: np.ndarray, z: np.ndarray, scale: str, share: float) -> np.ndarray:
    """Make exactly round(share * answered) answers positive, keeping the order of z.

    Only answers next to the line move (to the nearest level across it), so the rest of the
    distribution stays as generated.
    """
    words = words.copy()
    answered = np.flatnonzero(pd.notna(words))
    wanted = round(share * len(answered))
    ranked = answered[np.argsort(-z[answered], kind="stable")]
    positive = set(POSITIVE[scale])
    low_positive, high_negative = SCALES[scale][-2], SCALES[scale][-3]
    for rank, i in enumerate(ranked):
        if rank < wanted and words[i] not in positive:
            words[i] = low_positive
        elif rank >= wanted and words[i] in positive:
            words[i] = high_negative
    return words


def _submitted(rng: np.random.Generator, n: int, first: date, last: date) -> list[str]:
    days = (last - first).days
    out = []
    for offset in sorted(rng.integers(0, days + 1, n)):
        day = first + timedelta(days=int(offset))
        if day.weekday() > 4:  # weekend answers are rarer: move most to Monday
            day += timedelta(days=7 - day.weekday())
        out.append(min(day, last).isoformat())
    return out


def build_surveys(rng: np.random.Generator, net: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    leaders, teachers, cohorts = net["teacher_leaders"], net["teachers"], net["cohorts"]
    setting = net["organizations"].set_index("org_id")["setting"]
    design = net["organizations"].set_index("org_id")["design"]
    kind = cohorts.set_index("cohort_id")["cohort_type"]
    out = {}

    # Spring teacher-leader survey
    who = leaders.iloc[np.sort(rng.choice(len(leaders), TL_RESPONDENTS, replace=False))]
    rural = (who["org_id"].map(setting) == "rural").to_numpy()
    answers, latent = answer_items(rng, len(who), TL_ITEMS,
                                   {"q_protected_time": np.where(rural, RURAL_TIME_SHIFT, 0)})
    scales = {name: scale for name, scale, *_ in TL_ITEMS}
    for name, share in HEADLINES.items():
        answers[name] = fix_share(answers[name].to_numpy(), latent[name], scales[name], share)
    out["tl_survey_spring"] = pd.concat([pd.DataFrame({
        "response_id": [f"TLS-{i:04d}" for i in range(1, len(who) + 1)],
        "tl_id": who["tl_id"].to_numpy(), "org_id": who["org_id"].to_numpy(),
        "setting": who["org_id"].map(setting).to_numpy(),
        "submitted": _submitted(rng, len(who), date(2017, 4, 3), date(2017, 5, 26))}),
        answers], axis=1)

    # Spring and end-of-year teacher surveys
    for name, n, items, first, last, prefix in (
            ("teacher_survey_spring", TEACHER_SPRING, TEACHER_SPRING_ITEMS,
             date(2017, 4, 3), date(2017, 5, 26), "TSS"),
            ("teacher_survey_eoy", TEACHER_EOY, TEACHER_EOY_ITEMS,
             date(2017, 5, 22), date(2017, 6, 16), "TEY")):
        who = teachers.iloc[np.sort(rng.choice(len(teachers), n, replace=False))]
        shifts = {}
        if name == "teacher_survey_eoy":
            shifts["q_coaching_helped"] = np.where(who["org_id"] == org_id(COACHING_ORG),
                                                   COACHING_ORG_SHIFT, 0)
        answers, _ = answer_items(rng, n, items, shifts)
        if "q_coaching_helped" in answers:
            # Teachers in the biweekly design get little 1:1 coaching; many skip the item.
            little = (who["org_id"].map(design) != MONTHLY).to_numpy()
            skip = little & (rng.random(n) < NO_COACHING_SKIP)
            answers.loc[skip, "q_coaching_helped"] = None
        out[name] = pd.concat([pd.DataFrame({
            "response_id": [f"{prefix}-{i:04d}" for i in range(1, n + 1)],
            "teacher_id": who["teacher_id"].to_numpy(), "org_id": who["org_id"].to_numpy(),
            "setting": who["org_id"].map(setting).to_numpy(),
            "cohort_type": who["cohort_id"].map(kind).to_numpy(),
            "submitted": _submitted(rng, n, first, last)}), answers], axis=1)

    out["district_readiness"] = build_readiness(rng, net["districts"])
    return out


def build_readiness(rng: np.random.Generator, districts: pd.DataFrame) -> pd.DataFrame:
    """One self-assessment per district, filled in by the district and partner together."""
    levels = np.array(("Not yet in place", "Getting started", "Partly in place",
                       "Fully in place"), dtype=object)
    n = len(districts)
    strength = rng.normal(0, .6, n)
    rural = (districts["setting"] == "rural").to_numpy()
    rows = {}
    for name, _ in READINESS_ITEMS:
        z = 1.6 + strength + rng.normal(0, .8, n)
        if name in ("dp_protected_time", "sc_time_structure"):
            z = z - np.where(rural, .8, 0)   # distance and thin staffing cut into time
        if name.startswith("pc_partner"):
            z = z + .4                       # partners are engaged by design
        words = levels[np.clip(np.floor(z), 0, 3).astype(int)]
        words[rng.random(n) < .03] = None    # "don't know" left blank
        rows[name] = words
    return pd.concat([pd.DataFrame({
        "district_id": districts["district_id"].to_numpy(),
        "org_id": districts["org_id"].to_numpy(), "setting": districts["setting"].to_numpy(),
        "completed": _submitted(rng, n, date(2016, 9, 6), date(2016, 9, 30))}),
        pd.DataFrame(rows)], axis=1)


def codebooks(net: dict[str, pd.DataFrame]) -> dict[str, dict]:
    orgs = list(net["organizations"]["org_id"])
    org_ref = specs.category("org_id", orgs, "Partner organization (see organizations).")
    setting = specs.category("setting", SETTINGS, "Setting of the respondent's organization.")
    kind = specs.category("cohort_type", ("small cohort", "co-led", "site-based group"),
                          "Kind of cohort the teacher is in (see cohorts).")

    def items(rows, headlines=()):
        cols = []
        for name, scale, question, _ in rows:
            meaning = "Answer to the question; empty when skipped or not reached."
            if name in headlines:
                meaning += (f" Published figure: {HEADLINES[name]:.0%} answer "
                            f"{' or '.join(POSITIVE[scale])}, counting only those who answered.")
            cols.append(specs.likert(name, scale, question, meaning))
        return cols

    def teacher_book(name, title, file, first, last, rows, description):
        return specs.codebook(
            name, title, file, description,
            [specs.ident("response_id", r"^T(SS|EY)-\d{4}$", "Synthetic response ID.",
                         unique=True),
             specs.ident("teacher_id", r"^T-\d{5}$", "Synthetic teacher ID.", unique=True,
                         references="teachers.teacher_id"),
             org_ref, setting, kind,
             specs.date("submitted", first, last, "Day the answers were sent."),
             *items(rows)], row="one teacher's answers")

    readiness = [specs.likert(name, "readiness", question,
                              "How far this condition is in place; empty when the team "
                              "could not say.") for name, question in READINESS_ITEMS]
    return {
        "tl_survey_spring": specs.codebook(
            "tl_survey_spring", "Spring teacher-leader survey, 2017 (synthetic)",
            "tl_survey_spring.csv",
            f"Answers from {TL_RESPONDENTS} of the {len(net['teacher_leaders'])} teacher leaders. "
            "Empty cells are skipped questions "
            "(or questions after a respondent stopped).",
            [specs.ident("response_id", r"^TLS-\d{4}$", "Synthetic response ID.", unique=True),
             specs.ident("tl_id", r"^TL-\d{4}$", "Synthetic teacher-leader ID.", unique=True,
                         references="teacher_leaders.tl_id"),
             org_ref, setting,
             specs.date("submitted", "2017-04-03", "2017-05-26", "Day the answers were sent."),
             *items(TL_ITEMS, HEADLINES)], row="one teacher leader's answers"),
        "teacher_survey_spring": teacher_book(
            "teacher_survey_spring", "Spring teacher survey, 2017 (synthetic)",
            "teacher_survey_spring.csv", "2017-04-03", "2017-05-26", TEACHER_SPRING_ITEMS,
            f"Answers from {TEACHER_SPRING} teachers who work with a teacher leader."),
        "teacher_survey_eoy": teacher_book(
            "teacher_survey_eoy", "End-of-year teacher survey, 2017 (synthetic)",
            "teacher_survey_eoy.csv", "2017-05-22", "2017-06-16", TEACHER_EOY_ITEMS,
            f"Answers from {TEACHER_EOY} teachers at the end of the year. Teachers who had "
            "little one-on-one coaching often left q_coaching_helped empty."),
        "district_readiness": specs.codebook(
            "district_readiness", "District readiness self-assessment (synthetic)",
            "district_readiness.csv",
            "Each district and its partner organization rate how far the conditions for "
            "teacher leadership are in place (dc_: district culture and climate; dp_: district "
            "practices; sc_: school conditions; pc_: what the district and the partner each "
            "contribute). The four-step scale is the kit's own.",
            [specs.category("district_id", list(net["districts"]["district_id"]),
                            "District (see districts)."),
             org_ref, setting,
             specs.date("completed", "2016-09-01", "2016-10-31", "Day the team finished it."),
             *readiness], row="one district"),
    }
