"""`tlkit course evaluate`: the demo's report, a partner's file refused with its rows named."""

from __future__ import annotations

import contextlib
import csv
import io

from tlkit.cli import main


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["course", *args])
    return code, out.getvalue()


def test_the_demo_report_has_four_levels_with_n_and_says_what_was_hidden(tmp_path):
    code, said = _run("evaluate", "--demo", "--out", str(tmp_path))
    assert code == 0, said
    for level in ("Reactions:", "Learning:", "Organisational support:", "Use of new practice:"):
        line = next(l for l in said.splitlines() if l.startswith(level))
        assert "(n = " in line, line
    assert "hidden to protect small groups" in said
    rows = list(csv.DictReader(io.StringIO((tmp_path / "evaluation.csv").read_text("utf-8"))))
    assert {r["level"] for r in rows} == {"Reactions", "Learning", "Organisational support",
                                          "Use of new practice"}
    assert any(r["value"] == "<10" for r in rows)
    assert "Student outcomes" in (tmp_path / "evaluation.html").read_text("utf-8")


def test_a_bad_shared_file_fails_with_its_rows_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    data = tmp_path / "shared"
    data.mkdir()
    (data / "self_assessment.csv").write_text(
        "cohort,learner,time,item,rating\nA,L1,middle,run-a-protocol,9\n", encoding="utf-8")
    code, said = _run("evaluate", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "row 2, time: 'middle' should be one of: start, end" in said
    assert "row 2, rating: '9' should be a whole number from 1 to 5" in said
    assert "Traceback" not in said and not (tmp_path / "out").exists()


def test_certificates_before_a_cohort_say_what_to_do_first(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    code, said = _run("certificates", "--out", str(tmp_path / "out"))
    assert code == 1 and "no cohort yet: run tlkit course init" in said
    assert not (tmp_path / "build" / "gradebook.db").exists() and not (tmp_path / "out").exists()


def test_a_live_database_that_does_not_answer_is_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    monkeypatch.setenv("TLKIT_LIVE_DB", "postgresql://nobody@127.0.0.1:9/none")
    code, said = _run("evaluate", "--out", str(tmp_path / "out"))
    assert code == 1 and "live-session database did not answer" in said
    assert "Traceback" not in said and not (tmp_path / "out").exists()
