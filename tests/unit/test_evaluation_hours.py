"""The PD-hours ledger, completion and certificates, from small records built here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tlkit.course.manifest import CourseRules
from tlkit.evaluation.certificates import (certificate_html, certificate_id, certificate_key,
                                           certificates, certificates_csv)
from tlkit.evaluation.hours import LATE_MINUTES, ModuleTime, RosterLearner, build_ledger
from tlkit.live.store import SessionRecord

T0 = dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.timezone.utc).timestamp()
DAY = 24 * 3600
MODULES = {"roles": ModuleTime("Roles", 120, 60), "data": ModuleTime("Data use", 90, 45)}
RULES = CourseRules("Teacher Leader Kit", ("roles", "data"), True, 50, 30, "Riverside PD",
                    "Sam Okafor", "in person")
ROSTER = [RosterLearner("ana", "Ana", "Pérez"), RosterLearner("ben", "Ben", "Li"),
          RosterLearner("cy", "Cy", "Li"), RosterLearner("dee", "Dee", "Ward"),
          RosterLearner("dee2", "Dee", "Ward")]


@dataclass
class Credit:      # the shape tlkit.thread.credits(cohort) gives
    name: str
    learner_id: str | None
    task_id: str
    task_title: str
    minutes: int


def session(code, module, start, joins, ended=120, exits=(), taught=()):
    return SessionRecord(code, module, "Tuning protocol", start, start + ended * 60,
                         tuple((n, start + m * 60) for n, m in joins), tuple(exits),
                         tuple(taught))


def test_live_sessions_count_once_and_late_joins_follow_the_partner_rule():
    sessions = [
        # Ana joins twice (a reload), written with no accent and in capitals: one session.
        session("AAA111", "roles", T0, [("ana perez", 0), ("ANA PÉREZ", 30), ("Li, Ben", 25)]),
        # A second sitting of the same module: Ana again, counted once for the module.
        session("BBB222", "roles", T0 + DAY, [("Ana Pérez", 2)]),
        session("CCC333", "data", T0 + 14 * DAY, [("ben", 0), ("Dee Ward", 0), ("Zed", 0),
                                                  ("", 0)]),
        session("DDD444", None, T0 + 20 * DAY, [("Ana Pérez", 0)]),
    ]
    strict = build_ledger(ROSTER, sessions, {}, MODULES, RULES)
    assert strict.minutes("ana", "live session") == 120
    assert [l.item for l in strict.lines if l.learner == "ana"] == ["roles"]
    # Ben joined 25 minutes late (> LATE_MINUTES): present 95 minutes, counted only by rule.
    late = next(l for l in strict.lines if l.learner == "ben" and l.item == "roles")
    assert 25 > LATE_MINUTES and late.minutes == 0 and "present 95 of 120" in late.note
    assert strict.minutes("ben", "live session") == 90           # by id, the data session
    lenient = build_ledger(ROSTER, sessions, {}, MODULES, RULES, count_partial=True)
    assert lenient.minutes("ben", "live session") == 95 + 90
    # A late join never counts as a session attended whole.
    assert lenient.completions["ben"].attended == 1
    # A name two learners share is not guessed; strangers and the module-less session are told.
    assert strict.minutes("dee") == strict.minutes("dee2") == 0
    notes = " ".join(strict.notes)
    assert "'Dee Ward'" in notes and "'Zed'" in notes and "DDD444" in notes
    assert strict.first_date == "2026-03-02" and strict.last_date == "2026-03-22"
    # Another cohort's session in the same database changes neither the hours nor the dates.
    other = build_ledger(ROSTER, [session("OLD000", "roles", T0 - 300 * DAY, [("Kim Lo", 0)]),
                                  *sessions], {}, MODULES, RULES)
    assert other.first_date == "2026-03-02" and other.lines == strict.lines


def test_modules_teach_back_and_thread_credits_each_count_once_and_decide_completion():
    sessions = [session("AAA111", "roles", T0, [("Ana Pérez", 0), ("Ben Li", 0)]),
                session("CCC333", "data", T0 + DAY, [("Ana Pérez", 5)]),
                session("TTT999", None, T0 + 2 * DAY, [], taught=("Ana Perez", "Cy Li"))]
    graded = {"roles": {"ana", "ben", "ghost"}, "data": {"ana"}, "nope": {"ana"}}
    credits = [Credit("Ana Pérez", "ana", "t1", "Try a protocol", 20),
               Credit("Ana Pérez", None, "t1", "Try a protocol", 20),        # the same task
               Credit("ben li", None, "t2", "Observe a colleague", 15),
               Credit("Nobody", None, "t3", "Anything", 15),
               Credit("Cy Li", None, "t1", "Try a protocol", 0),      # not done on the phone,
               Credit("Cy Li", "cy", "t1", "Try a protocol", 20),     # done in the lab
               Credit("Dee Ward", None, "t2", "Observe a colleague", 0)]   # not done
    ledger = build_ledger(ROSTER, sessions, graded, MODULES, RULES, thread_credits=credits)
    assert ledger.minutes("ana") == 120 + 90 + 60 + 45 + 30 + 20
    assert ledger.minutes("ana", "between sessions") == 20
    assert ledger.minutes("ben") == 120 + 60 + 15
    assert ledger.minutes("cy", "teach-back") == 30
    assert ledger.minutes("cy", "between sessions") == 20
    assert not any("Dee Ward" in n for n in ledger.notes)      # no hours at stake: no note
    assert "ghost" not in {l.learner for l in ledger.lines}
    assert ledger.completions["ana"].complete
    ben = ledger.completions["ben"]
    assert not ben.complete and ben.attended == 1 and ben.held == 2
    assert "data" in ben.missing[0] and "the teach-back" in ben.missing
    cy = ledger.completions["cy"]
    assert any("0 of 2 live sessions" in m for m in cy.missing)
    assert [l.id for l in ledger.completers()] == ["ana"]
    assert any("'Nobody'" in n for n in ledger.notes)


def test_no_sessions_held_means_attendance_cannot_be_met():
    ledger = build_ledger(ROSTER, [], {"roles": {"ana"}, "data": {"ana"}}, MODULES,
                          RULES)
    assert "no live session of the course has been recorded" in " ".join(
        ledger.completions["ana"].missing)


def test_certificate_ids_are_stable_keyed_and_the_page_and_csv_keep_names_as_text(tmp_path):
    key = certificate_key(tmp_path)
    assert certificate_key(tmp_path) == key                     # made once, then read
    assert (tmp_path / "certificate-id.key").stat().st_mode & 0o077 == 0
    one = certificate_id(key, "Course", "ana", "2026-03-02", "2026-05-01")
    assert one == certificate_id(key, "Course", "ana", "2026-03-02", "2026-05-01")
    assert one != certificate_id(key, "Course", "ben", "2026-03-02", "2026-05-01")
    assert one != certificate_id(b"another key", "Course", "ana", "2026-03-02", "2026-05-01")
    assert len(one) == 19 and one.count("-") == 3
    roster = [RosterLearner("ana", "=HYPERLINK(\"x\")", "<script>alert(1)</script>")]
    sessions = [session("AAA111", "roles", T0, [("ana", 0)]),
                session("TTT999", None, T0 + DAY, [], taught=("ana",))]
    rules = CourseRules("Teacher Leader Kit", ("roles",), True, 100, 30, "Riverside PD",
                        "Sam Okafor", "in person")
    ledger = build_ledger(roster, sessions, {"roles": {"ana"}}, MODULES, rules)
    [cert] = certificates(ledger, rules, key)
    assert cert.contact_hours == "3.5"                          # 120 + 60 + 30 minutes
    page = certificate_html(cert)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    for words in ("Riverside PD", "Teacher Leader Kit", "Sam Okafor", "in person", cert.id,
                  "2026-03-02 to 2026-03-03", "3.5"):
        assert words in page
    text = certificates_csv([cert])
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert text.splitlines()[0].startswith("certificate_id,learner,participant,provider")
