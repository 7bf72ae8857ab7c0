"""From a cohort to certificates: learners join live sessions (LiveStore: joins, exit tickets,
a teach-back) and a between-session thread (tlkit.thread), hand a module in and are graded by
nbgrader, then `tlkit course certificates`
gives a certificate to each learner who completed and the hours ledger, and `tlkit course
evaluate` the report with its n. A deleted session still counts its attendance."""

from __future__ import annotations

import csv
import io

import pytest
from cohort_course import MODULE, answered, course_folders, hand_in, tlkit_course

from tlkit.live import LiveStore
from tlkit.live.store import new_contribution_id
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.teachback import EPISODE_ID, LABEL_PREFIX
from tlkit.thread import ThreadStore

RUBRIC = load_rubric(load_episode(EPISODE_ID).rubric_id)
COURSE_YAML = """title: Leading Learning Together
completion:
  modules: all
  teach_back: true
  min_attendance_percent: 100
  teach_back_minutes: 30
certificate:
  provider: Riverside Teacher Center
  facilitator: Sam Okafor
  format: in person
modules:
  - id: demo
    title: Demo
    session_minutes: 10
"""


class Clock:
    t = 1_775_000_000.0      # 2026-03-31

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    with course_folders(tmp_path_factory, "evaluation") as (base, root, build):
        mp = pytest.MonkeyPatch()
        mp.setenv("TLKIT_LIVE_DB", f"sqlite:///{base / 'live.sqlite3'}")
        (root / "modules" / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nl00,Ana,Pérez,\nl01,Ben,Li,\n"
                          "l02,Cy,Okafor,\nl03,=HYPERLINK(\"x\"),Evil,\n", encoding="utf-8")
        for step in (("init",), ("roster", str(roster)), ("release", "--all")):
            assert tlkit_course(*step)[0] == 0
        for learner in ("l00", "l01", "l02", "l03"):
            hand_in(build, learner, answered(build))
        assert tlkit_course("collect")[0] == 0
        assert tlkit_course("autograde", "--jobs", "1")[0] == 0
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
            for learner in ("l00", "l01", "l03"):      # l02's reflection still waits
                grade = gb.find_grade("reflection", MODULE, MODULE, learner)
                grade.manual_score, grade.needs_manual_grade = 1, False
            gb.db.commit()

        clock = Clock()
        live = LiveStore(now=clock)
        # A session of an earlier cohort in the same database: not this cohort's.
        clock.t -= 200 * 24 * 3600
        old = live.open_session("tuning", [5], title="Tuning protocol")
        for name in ("Kim Lo", "Pat Ode"):
            live.contribute(live.join(old.code, name), "exit", {"useful": 1},
                            contribution_id=new_contribution_id())
        live.end(old.code, old.token, module=MODULE)
        clock.t += 200 * 24 * 3600
        host = live.open_session("tuning", [5, 5], title="Tuning protocol")
        people = [live.join(host.code, name) for name in
                  ("ana perez", "Ben Li", "Cy Okafor", "=HYPERLINK(\"x\") Evil")]
        people += [live.join(host.code) for _ in range(8)]           # guests, no name
        for n, person in enumerate(people):
            live.contribute(person, "exit", {"useful": 5 if n % 3 else 3, "try": "norms"},
                            contribution_id=new_contribution_id())
        clock.t += 10 * 60
        live.end(host.code, host.token, module=MODULE)
        live.delete(host.code, host.token)            # deleted after it ended: still counted
        teach = live.open_session("tuning", [5], title="Teach-back", episode_id=EPISODE_ID)
        scorer = live.join(teach.code)
        for teacher in ("Ana Pérez", "Cy Okafor", "=HYPERLINK(\"x\") Evil"):
            live.contribute(scorer, "scores", {"episode": f"{LABEL_PREFIX}{teacher}",
                                               "scores": {RUBRIC.look_for_ids[0]: 3}},
                            contribution_id=new_contribution_id(), rubric=RUBRIC)
        live.end(teach.code, teach.token)
        # Between sessions: Ana on the room's page (named), Ben in his lab; each reflects and
        # answers the other, so both are credited; Cy reflects but answers no one.
        threads = ThreadStore(now=clock)
        task = threads.open_task("Spring", "Wait time", "What do you see?", due="2026-04-07",
                                 clip="episode:voting-age-discussion", replies_required=1)
        ana = threads.join(task.code, "Ana Pérez", named=True)
        ben = threads.join(task.code, learner_id="l01")
        cy = threads.join(task.code, "Cy Okafor", named=True)
        for n, person in enumerate((ana, ben, cy)):
            threads.post(person, "reflection", {"stems": {"notice": "Long pauses."}},
                         post_id=f"reflect-{n}")
        threads.post(ana, "reply", {"text": "Yes."}, post_id="reply-ana", parent="reflect-1")
        threads.post(ben, "reply", {"text": "And?"}, post_id="reply-ben", parent="reflect-0")
        code, said = tlkit_course("certificates", "--out", str(base / "certificates"))
        evaluated = tlkit_course("evaluate", "--out", str(base / "evaluation"))
        yield {"base": base, "code": code, "said": said, "evaluated": evaluated,
               "thread": task}
        mp.undo()


def test_certificates_for_completers_and_a_ledger_of_every_minute(cycle):
    base, said = cycle["base"], cycle["said"]
    assert cycle["code"] == 0, said
    assert "2 of 4 learners completed the course" in said
    assert "l01: not yet complete: the teach-back." in said
    assert "l02: not yet complete: modules not handed in and graded yet: demo" in said
    rows = list(csv.DictReader(io.StringIO(
        (base / "certificates" / "certificates.csv").read_text("utf-8"))))
    assert [r["learner"] for r in rows] == ["l00", "l03"]
    ana, evil = rows
    # 10 live minutes (manifest) + 5 self-study (the section's) + 30 teach-back + the video
    # reflection's minutes (the design's) between sessions.
    minutes = cycle["thread"].minutes
    assert minutes > 0
    assert ana["participant"] == "Ana Pérez"
    assert ana["contact_hours"] == f"{(45 + minutes) / 60:.1f}"
    assert ana["provider"] == "Riverside Teacher Center" and ana["format"] == "in person"
    assert ana["course"] == "Leading Learning Together" and ana["facilitator"] == "Sam Okafor"
    assert ana["from"] == "2026-03-31" and ana["to"] == "2026-03-31"
    assert evil["participant"].startswith("'=HYPERLINK")               # shown, never run
    page = (base / "certificates" / f"certificate-{ana['certificate_id']}.html").read_text("utf-8")
    assert "Ana Pérez" in page and ana["certificate_id"] in page
    evil_page = (base / "certificates" / f"certificate-{evil['certificate_id']}.html").read_text(
        "utf-8")
    assert "=HYPERLINK(&quot;x&quot;) Evil" in evil_page
    ledger = list(csv.DictReader(io.StringIO(
        (base / "certificates" / "hours-ledger.csv").read_text("utf-8"))))
    by = lambda learner: {(r["kind"], r["item"]): int(r["minutes"]) for r in ledger
                          if r["learner"] == learner}
    task = cycle["thread"].code
    assert by("l00") == {("live session", MODULE): 10, ("module", MODULE): 5,
                         ("teach-back", "teach-back"): 30, ("between sessions", task): minutes}
    assert by("l01") == {("live session", MODULE): 10, ("module", MODULE): 5,
                         ("between sessions", task): minutes}
    assert by("l02") == {("live session", MODULE): 10, ("teach-back", "teach-back"): 30}
    # The same ids again on a second run: the key is kept in the build folder.
    again = base / "again"
    assert tlkit_course("certificates", "--out", str(again))[0] == 0
    assert (again / "certificates.csv").read_text("utf-8") == (
        base / "certificates" / "certificates.csv").read_text("utf-8")


def test_the_evaluation_counts_the_cohorts_exit_tickets_and_grades(cycle):
    code, said = cycle["evaluated"]
    assert code == 0, said
    assert "rated the session very or extremely useful (n = 12 tickets from 1 session)" in said
    assert "No self-assessments yet" in said
    page = (cycle["base"] / "evaluation" / "evaluation.html").read_text("utf-8")
    assert "Student outcomes" in page and "This cohort" in page
    # Four graded learners are fewer than 10: the module results are hidden, and said so.
    assert "Too few graded learners to show a figure." in page
