"""The evaluation's four levels on synthetic cohorts: n, suppression, the report and the CSV,
and the checked import of a partner's files."""

from __future__ import annotations

import pandas as pd
import pytest

from tlkit.course.manifest import ManifestError, course_rules
from tlkit.data.synth_evaluation import FEW_ANSWER, build
from tlkit.evaluation.inputs import EvaluationInputError, read_table
from tlkit.evaluation.levels import ALL, STUDENT_OUTCOMES, evaluate
from tlkit.evaluation.report import report_csv, report_html
from tlkit.settings import SettingError, partial_sessions_count

MODULES = ["roles", "data"]


@pytest.fixture(scope="module")
def network():
    learners = pd.DataFrame({"tl_id": [f"TL-{i:04d}" for i in range(300)],
                             "org_id": ["ORG-A"] * 150 + ["ORG-B"] * 120 + [FEW_ANSWER] * 30})
    return build(MODULES, seed=7, learners=learners)


def test_the_generator_is_seeded_and_at_scale(network):
    again = build(MODULES, seed=7, learners=pd.DataFrame(
        {"tl_id": [f"TL-{i:04d}" for i in range(300)],
         "org_id": ["ORG-A"] * 150 + ["ORG-B"] * 120 + [FEW_ANSWER] * 30}))
    for name, table in network.items():
        pd.testing.assert_frame_equal(table, again[name])
    full = build(MODULES)
    assert full["self_assessment"]["learner"].nunique() > 700       # the network's ~800


def test_four_levels_with_n_and_small_cohorts_hidden(network):
    levels = evaluate(network)
    assert [l.key for l in levels] == ["reactions", "learning", "support", "practice"]
    for level in levels:
        first = level.parts[0]
        assert first.n and first.n >= 10 and first.percent is not None, level.key
        assert f"n = {first.n}" in first.headline
    reactions = levels[0].parts[0]
    assert reactions.n == len(network["exit_tickets"])
    expected = round(100 * (network["exit_tickets"]["useful"] >= 4).mean())
    assert reactions.percent == expected
    follow = levels[3].parts[0]
    # The organisation with few answers is hidden; with one row hidden, the smallest other
    # row goes too, so the all-cohorts figure cannot give it away.
    few = (network["follow_up"]["cohort"] == FEW_ANSWER).sum()
    assert 0 < few < 10
    assert follow.table.at[FEW_ANSWER, "n"] == "<10"
    assert follow.table.at["ORG-B", "n"] == "—"
    assert follow.table.at["ORG-A", "n"] == (network["follow_up"]["cohort"] == "ORG-A").sum()
    assert follow.table.at[ALL, "n"] == len(network["follow_up"])
    assert any(FEW_ANSWER in h for h in follow.hidden) and any("ORG-B" in h for h in follow.hidden)
    # No peer observations in these cohorts: said, not invented.
    assert levels[3].parts[1].n is None and "No peer observations" in levels[3].parts[1].headline


def test_learning_change_is_end_minus_start_for_learners_with_both():
    rows = []
    for i in range(12):
        for item, start, end in (("run-a-protocol", 2, 4), ("hard-conversations", 3, 3)):
            rows += [("C", f"L{i}", "start", item, start), ("C", f"L{i}", "end", item, end)]
    rows.append(("C", "only-start", "start", "run-a-protocol", 1))
    ratings = pd.DataFrame(rows, columns=["cohort", "learner", "time", "item", "rating"])
    part = evaluate({"self_assessment": ratings})[1].parts[0]
    assert part.n == 12 and part.percent == 100
    assert part.table.at["C", "Collaboration and communication (change)"] == 1.0


def test_report_and_csv_show_levels_n_hidden_and_student_outcomes(network):
    levels = evaluate(network)
    page = report_html(levels, title="Evaluation", about="test", threshold=10)
    for words in ("Reactions", "Learning", "Organisational support", "Use of new practice",
                  "Student outcomes", "What was hidden", "&lt;10", "data:image/png"):
        assert words in page
    assert "data-use module" in STUDENT_OUTCOMES
    csv = report_csv(levels)
    assert f"Use of new practice,Follow-up survey" in csv and f",{FEW_ANSWER},n,<10" in csv


def test_a_partners_file_is_checked_whole_with_rows_named(tmp_path):
    good = tmp_path / "follow_up.csv"
    good.write_text("cohort;learner;weeks_after;ran_protocol;peer_observation;used_data;coached;"
                    "planned_learning\nA;=cmd|'/c calc'!A1;8;Regularly;Once;;Not yet;Once\n",
                    encoding="utf-8-sig")
    table = read_table("follow_up", good)
    assert table.loc[0, "learner"] == "=cmd|'/c calc'!A1" and table.loc[0, "used_data"] == ""
    bad = tmp_path / "readiness.csv"
    bad.write_text("cohort,learner,time,condition,rating\nA,L1,3,time,2\nA,L2,1,time,five\n"
                   ",L3,1,time,1\n", encoding="utf-8")
    with pytest.raises(EvaluationInputError) as err:
        read_table("readiness", bad)
    text = str(err.value)
    assert "3 problems; nothing was read" in text
    assert "row 2, time: '3' should be a whole number from 1 to 2" in text
    assert "row 3, rating" in text and "row 4, cohort" in text
    with pytest.raises(EvaluationInputError, match="has no column rating"):
        read_table("self_assessment", b"cohort,learner,time,item\nA,L,start,x\n")
    with pytest.raises(EvaluationInputError, match="Excel workbook"):
        read_table("exit_tickets", b"PK\x03\x04rest")


def test_completion_rules_are_checked_in_the_manifest(tmp_path):
    (tmp_path / "modules").mkdir()
    manifest = tmp_path / "modules" / "course.yaml"
    head = "modules:\n  - id: roles\n    title: Roles\n    session_minutes: 60\n"
    manifest.write_text("completion:\n  modules: [roles]\n  min_attendance_percent: 80\n"
                        "certificate:\n  provider: Riverside\n  format: online\n" + head)
    rules = course_rules(tmp_path)
    assert rules.modules == ("roles",) and rules.min_attendance_percent == 80
    assert rules.provider == "Riverside" and rules.format == "online" and not rules.teach_back
    manifest.write_text("completion:\n  modules: [roles, nope]\n" + head)
    with pytest.raises(ManifestError, match="completion.modules"):
        course_rules(tmp_path)
    manifest.write_text("completion:\n  min_attendance_percent: 120\n" + head)
    with pytest.raises(ManifestError, match="from 0 to 100"):
        course_rules(tmp_path)
    manifest.write_text("certificate:\n  format: by post\n" + head)
    with pytest.raises(ManifestError, match="in person, online"):
        course_rules(tmp_path)


def test_the_partial_sessions_setting(monkeypatch):
    assert partial_sessions_count() is False
    monkeypatch.setenv("TLKIT_PARTIAL_SESSIONS", "YES")
    assert partial_sessions_count() is True
    monkeypatch.setenv("TLKIT_PARTIAL_SESSIONS", "sometimes")
    with pytest.raises(SettingError, match="TLKIT_PARTIAL_SESSIONS"):
        partial_sessions_count()
