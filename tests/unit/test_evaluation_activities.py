"""Checked activities at the first try and as handed in: the form keeps the first check once,
the answers file refuses a first try in a shape the forms never write, and a hand-in is
scored twice against the course's own activity files."""

from __future__ import annotations

import json
import shutil

import pytest
from support import ROOT

from tlkit.course.answers import AnswersError, read_answers, save_first_try
from tlkit.evaluation.levels import evaluate
from tlkit.evaluation.sources import activity_results

ROLES = ROOT / "modules" / "teacher-roles"
KEY = {"S1": "facilitator", "S2": "coach", "S3": "curator", "S4": "curriculum",
       "S5": "facilitator"}


def test_the_first_check_is_kept_once_and_later_checks_change_only_the_answers(tmp_path):
    from tlkit.widgets import ActivityForm

    shutil.copytree(ROLES / "activities", tmp_path / "activities")
    form = ActivityForm("roles_match", folder=tmp_path)
    form.fields["S1"].value = "coach"
    assert read_answers(tmp_path).first_tries == {}          # typing is not checking
    form.check()
    for item, label in KEY.items():
        form.fields[item].value = label
    assert form.check().all_right
    kept = read_answers(tmp_path)
    assert kept.first_tries["roles_match"]["S1"] == "coach"
    assert kept.activity("roles_match") == KEY
    assert save_first_try("roles_match", KEY, tmp_path) is False


def test_a_first_try_in_a_shape_the_forms_never_write_is_refused(tmp_path):
    (tmp_path / "my-answers.json").write_text(json.dumps({"first_tries": ["coach"]}))
    with pytest.raises(AnswersError, match="not in the shape"):
        read_answers(tmp_path)
    (tmp_path / "my-answers.json").write_text(json.dumps({"first_tries": {"../x": {}}}))
    with pytest.raises(AnswersError, match="activity entry"):
        read_answers(tmp_path)


def test_hand_ins_are_scored_first_and_final_against_the_courses_own_files(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    wrong = {item: "coach" for item in KEY}
    for n in range(12):
        folder = tmp_path / "build" / "submitted" / f"l{n:02d}" / "teacher-roles"
        folder.mkdir(parents=True)
        # A forged activity file handed in beside the answers is never read.
        (folder / "activities").mkdir()
        (folder / "activities" / "roles_match.yaml").write_text("id: roles_match\n")
        answers = {"activities": {"roles_match": KEY}}
        if n < 6:
            answers["first_tries"] = {"roles_match": wrong}       # the others never checked
        (folder / "my-answers.json").write_text(json.dumps(answers), encoding="utf-8")
    broken = tmp_path / "build" / "submitted" / "l99" / "teacher-roles"
    broken.mkdir(parents=True)
    (broken / "my-answers.json").write_text("{not json")
    table = activity_results(ROOT, "C")
    assert len(table) == 12 and set(table["final_percent"]) == {100.0}
    assert sorted(table["first_percent"]) == [20.0] * 6 + [100.0] * 6   # S2 was coach
    part = evaluate({"activity_results": table})[1].parts[2]
    assert part.n == 12 and part.table.at["C", "mean first try %"] == 60.0
    assert "60% right at the first try, 100% in the answers handed in (n = 12" in part.headline
