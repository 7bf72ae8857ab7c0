"""The readiness assessment: content, synthetic districts, heat map, plan, comparison, exports,
and the widget's saving, reloading and faults."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tlkit.content import load
from tlkit.data import load as load_data
from tlkit.planning.readiness import (Assessment, ReadinessError, action_plan, compare,
                                      from_dataset, heat_map, load_tool, plan_csv, plan_html,
                                      strengths_and_gaps, summary)
from tlkit.store import JsonFileStore, ReadinessRecord

TOOL = load_tool()


def test_conditions_match_the_dataset_and_name_an_owner():
    data = load("readiness", "district-partnership")
    columns = [c for c in load_data("district_readiness").columns if c[:3] in ("dc_", "dp_", "sc_", "pc_")]
    assert [c["id"].replace("-", "_") for c in data["conditions"]] == columns
    assert {c.owner for c in TOOL.conditions} == {"district", "partner"}
    assert TOOL.levels[TOOL.strong_from] == "Partly in place"


def test_a_synthetic_district_reads_its_row(root):
    rows = list(csv.DictReader((root / "datasets" / "district_readiness.csv").open()))
    row = next(r for r in rows if r["district_id"] == "DIST-02")
    got = from_dataset(TOOL, "DIST-02")
    for item in TOOL.conditions:
        answer = row[item.id.replace("-", "_")]
        assert got.ratings[item.id] == (TOOL.levels.index(answer) if answer else None)
    with pytest.raises(ReadinessError, match="DIST-99"):
        from_dataset(TOOL, "DIST-99")


def _team(name="Lincoln", **levels):
    ratings = {c.id: 3 for c in TOOL.conditions}
    ratings.update({k.replace("_", "-"): v for k, v in levels.items()})
    return Assessment(name, ratings, {"dp-funding": "No budget line for next year."})


def test_the_plan_lists_gaps_district_first_weakest_first():
    team = _team(dp_funding=0, dc_peer_observation=1, sc_leader_training=None, dp_recruitment=2)
    plan = action_plan(TOOL, team)
    assert [(i.condition.id, i.owner, i.level) for i in plan] == [
        ("dp-funding", "district", 0), ("sc-leader-training", "partner", None),
        ("dc-peer-observation", "partner", 1)]
    assert plan[0].evidence == "No budget line for next year."
    strengths, gaps = strengths_and_gaps(TOOL, team)
    assert len(strengths) == 17 and len(gaps) == 3
    assert "17 of 20" in summary(TOOL, team) and "1 not rated" in summary(TOOL, team)


def test_ratings_off_the_scale_are_refused_in_words():
    with pytest.raises(ReadinessError, match="one of the 4 steps"):
        action_plan(TOOL, _team(dp_funding=7))


def test_compare_says_what_changed():
    words = {c.condition.id: c.words for c in compare(
        TOOL, _team("January", dp_funding=0, dp_recruitment=2, sc_time_structure=None),
        _team("May", dp_funding=2, dp_recruitment=1))}
    assert words["dp-funding"] == "up 2 steps"
    assert words["dp-recruitment"] == "down 1 step"
    assert words["sc-time-structure"] == "cannot compare (not rated)"
    assert words["dc-principal-buy-in"] == "same"


def test_heat_map_table_and_alt_carry_the_same_levels():
    a, b = _team("A", dp_funding=0), from_dataset(TOOL, "DIST-03")
    fig, alt, table, header = heat_map(TOOL, [a, b])
    assert header == ["Condition", "A", b.team]
    funding = next(r for r in table if r[0].startswith("Money"))
    assert funding[1] == "Not yet in place"
    assert alt.startswith("Heat map") and "Gaps: Money is set aside" in alt
    assert len(fig.axes[0].texts) == 2 * len(TOOL.conditions)   # every cell says its level


def test_exports_hold_the_plan():
    team = _team("Oak <Hill>", dp_funding=0, sc_leader_training=1)
    rows = list(csv.reader(io.StringIO(plan_csv(TOOL, team))))
    assert rows[0] == ["who", "area", "condition", "rating", "evidence", "first step"]
    assert [r[0] for r in rows[1:]] == ["District", "Partner organization"]
    assert rows[1][4] == "No budget line for next year."
    page = plan_html(TOOL, team)
    assert "Oak &lt;Hill&gt;" in page and "<Hill>" not in page
    assert "Partner organization would take on" in page and "@media print" in page


# --- the widget -----------------------------------------------------------------------------

def test_widget_saves_reloads_compares_and_exports(tmp_path):
    from tlkit.widgets import ReadinessCheck

    store = JsonFileStore(tmp_path)
    view = ReadinessCheck(state_key="ready", store=store)
    view.load("data:DIST-04")
    assert view.team.value == "" and not (tmp_path / "ready.json").exists()   # not saved as theirs
    view.levels["dp-funding"].value = 2          # DIST-04 has 1 (Getting started)
    assert "Type a team name" in view.save_status.value
    view.team.value = "Lincoln, May"
    view.evidence["dp-funding"].value = "Stipends end in June."
    saved = json.loads((tmp_path / "ready.json").read_text())
    assert saved["kind"] == "readiness" and saved["teams"][0]["name"] == "Lincoln, May"
    assert saved["teams"][0]["ratings"]["dp-funding"] == 2

    again = ReadinessCheck(state_key="ready", store=store)
    assert "saved:Lincoln, May" in [v for _, v in again.start_from.options]
    again.load("saved:Lincoln, May")
    assert again.levels["dp-funding"].value == 2
    assert again.evidence["dp-funding"].value == "Stipends end in June."
    shown = again.show()
    assert "<img" in shown and "Draft action plan" in shown
    comparison = again.compare("saved:Lincoln, May", "data:DIST-04")
    assert "Lincoln, May" in comparison and "down 1 step" in comparison
    again.levels["dp-funding"].value = 0              # now a gap: in the plan with its evidence
    page, table = again.export()
    assert "Stipends end in June." in table and "download=" in again.exports.value


def test_two_pages_on_one_record_keep_each_other_s_teams(tmp_path):
    from tlkit.widgets import ReadinessCheck

    store = JsonFileStore(tmp_path)
    one, two = (ReadinessCheck(state_key="ready", store=store) for _ in range(2))
    one.team.value = "North"
    one.levels["dp-funding"].value = 0
    two.team.value = "South"
    two.levels["dp-funding"].value = 3
    teams = store.get("ready", ReadinessRecord).teams
    assert teams["North"]["ratings"]["dp-funding"] == 0
    assert teams["South"]["ratings"]["dp-funding"] == 3


def test_an_unreadable_record_is_kept_and_the_page_says_so(tmp_path):
    from tlkit.widgets import ReadinessCheck

    (tmp_path / "ready.json").write_text("{not json")
    view = ReadinessCheck(state_key="ready", store=JsonFileStore(tmp_path))
    assert "could not be read" in view.save_status.value
    assert list(tmp_path.glob("ready.unreadable-*.json"))
    assert view.saved == {}


def test_after_a_restart_the_page_shows_the_saved_ratings_straight_away(tmp_path):
    from tlkit.widgets import ReadinessCheck

    store = JsonFileStore(tmp_path)
    view = ReadinessCheck(state_key="ready", store=store)
    view.team.value = "Lincoln, January"
    view.levels["dp-funding"].value = 1
    view.team.value = "Lincoln, May"
    view.levels["dp-funding"].value = 3
    view.evidence["dp-funding"].value = "Stipends run to 2027."

    again = ReadinessCheck(state_key="ready", store=store)       # a restart and Run All
    assert again.team.value == "Lincoln, May"                      # the team saved last
    assert again.start_from.value == "saved:Lincoln, May"
    assert again.levels["dp-funding"].value == 3
    assert again.evidence["dp-funding"].value == "Stipends run to 2027."
    assert "Lincoln, May are back" in again.save_status.value
    assert not list(tmp_path.glob("*.unreadable-*"))
    again.levels["dp-funding"].value = 2                           # still saves to that team
    assert store.get("ready", ReadinessRecord).teams["Lincoln, May"]["ratings"]["dp-funding"] == 2
    assert store.get("ready", ReadinessRecord).teams["Lincoln, January"]["ratings"][
        "dp-funding"] == 1


def test_a_page_with_nothing_saved_starts_blank(tmp_path):
    from tlkit.widgets import ReadinessCheck

    view = ReadinessCheck(state_key="ready", store=JsonFileStore(tmp_path))
    assert view.team.value == "" and view.start_from.value == ""
    assert all(box.value is None for box in view.levels.values())
