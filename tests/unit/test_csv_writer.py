"""Every CSV the kit writes goes through tlkit.data.csv_text, which shows a learner's
=HYPERLINK(...), +..., -... or @SUM(...) as text in a spreadsheet instead of running it."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date

import pandas as pd
from support import ROOT

from tlkit.data.csv_text import read_rows, safe_cell, write_frame, write_rows

FORMULAS = ['=HYPERLINK("http://x.example","click")', "+1+2", "-2+3", "@SUM(A1:A9)",
            "\t=1", "\r=1"]
WRITER = ROOT / "src" / "tlkit" / "data" / "csv_text.py"
# pandas' to_csv, csv.writer and csv.DictWriter: anything else writing CSV text
OTHER_WRITERS = re.compile(r"\.to_csv\(|\bwriter\(|DictWriter\(")


def test_no_module_writes_csv_but_the_one_writer():
    found = []
    for folder in ("src", "widgets", "facilitator", "modules"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == WRITER:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if OTHER_WRITERS.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "write CSV with tlkit.data.csv_text.write_rows/write_frame:\n" + \
        "\n".join(found)


def test_formulas_become_text_and_numbers_stay_numbers():
    assert [safe_cell(f) for f in FORMULAS] == ["'" + f.replace("\r", "\n") for f in FORMULAS]
    assert [safe_cell(v) for v in (-3, 2.5, None, "Ann", "a=b")] == [-3, 2.5, None, "Ann", "a=b"]
    text = write_rows([FORMULAS, [-1, "ok"]], ["@a", "b"])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["'@a", "b"], ["'" + f.replace("\r", "\n") for f in FORMULAS], ["-1", "ok"]]
    frame = pd.DataFrame({"name": FORMULAS[:4], "score": [-1, 2, 3, 4]},
                         index=pd.Index(["=x", "b", "c", "d"]))
    back = pd.read_csv(io.StringIO(write_frame(frame, index_label="who")))
    assert list(back.name) == ["'" + f for f in FORMULAS[:4]]
    assert list(back.who) == ["'=x", "b", "c", "d"] and list(back.score) == [-1, 2, 3, 4]


def test_the_kits_own_planner_text_is_kept_as_typed():
    assert write_rows([["=a", "-1"]], spreadsheet=False) == "=a,-1\n"


def test_the_observation_csv_shows_typed_formulas_as_text():
    from tlkit.practice.observation import Note, Observation, to_csv

    observation = Observation(observer='=HYPERLINK("http://x","y")', teacher="+Lee",
                              date="2026-03-04", scores={},
                              notes=[Note("01:10", "@SUM(A1)", "text-evidence")])
    rows = list(csv.DictReader(io.StringIO(to_csv(observation))))
    assert rows and all(r["observer"].startswith("'=") and r["teacher"] == "'+Lee" for r in rows)
    assert not [cell for row in rows for cell in row.values() if cell.startswith(("=", "+", "@"))]


def test_the_readiness_plan_csv_shows_typed_formulas_as_text():
    from tlkit.planning.readiness import Assessment, load_tool, plan_csv

    tool = load_tool()
    ratings = {c.id: 3 for c in tool.conditions} | {"dp-funding": 0}
    rows = list(csv.reader(io.StringIO(plan_csv(
        tool, Assessment("Oak", ratings, {"dp-funding": "=cmd|'/c calc'!A1"})))))
    assert rows[1][4] == "'=cmd|'/c calc'!A1"


def test_the_year_plan_csv_shows_typed_formulas_as_text():
    from tlkit.planning.calendar import parse_calendar
    from tlkit.planning.design import SEED_DESIGNS, load_design
    from tlkit.planning.planner import Session, plan_year, sessions_csv

    plan = plan_year(load_design(SEED_DESIGNS[0]), parse_calendar(
        (ROOT / "modules" / "designing-learning" / "school-year.csv").read_text("utf-8")))
    plan = replace(plan, sessions=[Session(date(2025, 9, 9), "@SUM(1)", "-x", 60, False,
                                           "=HYPERLINK(1)")])
    row = next(csv.DictReader(io.StringIO(sessions_csv(plan))))
    assert (row["component"], row["mode"], row["note"]) == ("'@SUM(1)", "'-x", "'=HYPERLINK(1)")


def test_the_cohort_report_csv_shows_roster_formulas_as_text(tmp_path, monkeypatch):
    from tlkit.ops import report

    table = pd.DataFrame({"learner": ['=HYPERLINK("http://x","y")', "Ann"], "done": [1, 2]})
    monkeypatch.setattr(report, "cohort_table", lambda root: table)
    monkeypatch.setattr(report, "report_html", lambda table, shared=False: "<p></p>")
    csv_path, _ = report.write_report(tmp_path, tmp_path / "out")
    back = pd.read_csv(csv_path)
    assert back.learner[0] == "'=HYPERLINK(\"http://x\",\"y\")" and list(back.done) == [1, 2]


def test_a_cell_longer_than_the_csv_module_reads_never_stops_the_reader():
    long = "x" * 200_000
    assert read_rows(["a,b", f'c,"{long}', "d,e"]) == [["a", "b"], ["c", f'"{long}'], ["d", "e"]]
