"""The course portfolio: parts gathered from the Store by kind and key, on a learner with
everything saved, with nothing saved, and with one saved record unreadable."""

from __future__ import annotations

import json

import pytest

from tlkit.course.answers import ANSWERS_FILE, save_reflection
from tlkit.portfolio.parts import (Part, Piece, gather, portfolio_html, reflections_part,
                                   register, render_readiness, written_reflections)
from tlkit.store import JsonFileStore, PortfolioRecord, ReadinessRecord
from tlkit.store.json_files import write_json

MODULES = {"teacher-roles": "Teacher roles", "conditions": "Conditions and partnerships"}


def _plan(fields):
    return [Piece("My goal", text=fields["goal"]), Piece("Steps", items=tuple(fields["steps"]))]


PARTS = [
    Part("growth-plan", "Growth plan", "teacher-roles", "growth-plan", ("tr-growth",), _plan),
    Part("profile", "Self-assessment profile", "teacher-roles", "self-assessment",
         ("tr-profile",)),                                   # the plain text-fields view
    Part("readiness", "Readiness assessment and action plan", "conditions", "readiness",
         ("conditions-readiness",), render_readiness),
    Part("data-story", "Data story", "data-use", "data-story", ("du-story",)),  # module absent
]


@pytest.fixture
def everything(tmp_path):
    store = JsonFileStore(tmp_path)
    write_json(tmp_path / "tr-growth.json", {"kind": "growth-plan", "version": 1,
                                             "goal": "Lead <one> inquiry cycle a term.",
                                             "steps": ["Book the room", "Ask Ana to co-lead"]})
    write_json(tmp_path / "tr-profile.json", {"kind": "self-assessment", "version": 2,
                                              "summary": "Strong in collaboration.",
                                              "order_seed": 42})
    store.put("conditions-readiness", ReadinessRecord({"Lincoln, May": {
        "ratings": {"dp-funding": 0, "dp-protected-time": 3},
        "evidence": {"dp-funding": "No stipends after June."}}}))
    return store


def test_everything_saved_is_gathered_and_exported(everything):
    got = {g.part.id: g for g in gather(everything, MODULES, PARTS)}
    assert [got[p].status for p in ("growth-plan", "profile", "readiness")] == ["included"] * 3
    assert got["profile"].pieces == (Piece("Summary", text="Strong in collaboration."),)  # no seed
    readiness = got["readiness"].pieces
    assert readiness[0].heading == "Readiness ratings: Lincoln, May"
    assert ("Money is set aside to sustain the work (for example stipends).", "Not yet in place",
            "No stipends after June.") in readiness[0].table
    assert any(i.startswith("District: Set a budget line") for i in readiness[1].items)
    page = portfolio_html("I lead the Grade 4 team.\n\nThis year I ran two cycles.",
                          list(got.values()))
    assert "Lead &lt;one&gt; inquiry cycle a term." in page and "<one>" not in page
    assert "<p>I lead the Grade 4 team.</p><p>This year I ran two cycles.</p>" in page
    assert "Ask Ana to co-lead" in page and "@media print" in page


def test_nothing_saved_names_each_module_where_a_part_is_made(tmp_path):
    got = gather(JsonFileStore(tmp_path), MODULES, PARTS)
    assert [g.status for g in got] == ["not-started"] * 4
    notes = [g.note for g in got]
    assert notes[0] == "Not started yet. You make it in the module “Teacher roles”."
    assert notes[2] == "Not started yet. You make it in the module “Conditions and partnerships”."
    assert notes[3] == ("Not started yet. It is made in a module that is not in your course yet "
                        "(data-use).")
    # The printable page is for a principal: no unfinished sections, one line on what is out.
    page = portfolio_html("", got)
    assert "Not started yet" not in page and "No introduction" not in page
    assert page.count("does not include") == 1
    assert ("does not include: Growth plan, Self-assessment profile, Readiness assessment and "
            "action plan, Data story.") in page
    assert "<h2>" not in page


def test_one_unreadable_record_is_named_kept_and_the_rest_exported(everything, tmp_path):
    (tmp_path / "tr-growth.json").write_text("{broken", encoding="utf-8")
    got = {g.part.id: g for g in gather(everything, MODULES, PARTS)}
    assert got["growth-plan"].status == "unreadable"
    note = got["growth-plan"].note
    assert note.startswith("Your growth plan (made in the module “Teacher roles”) could not be "
                           "read: it is not readable JSON.")
    assert "tr-growth.unreadable-" in note and "nothing was deleted" in note
    assert list(tmp_path.glob("tr-growth.unreadable-*.json"))
    assert got["readiness"].status == got["profile"].status == "included"
    page = portfolio_html("", list(got.values()))
    assert "No stipends after June." in page and "could not be read" not in page
    assert "does not include: Growth plan, Data story." in page


def test_a_record_of_another_kind_is_reported_and_left_where_it_is(tmp_path):
    write_json(tmp_path / "tr-growth.json", {"kind": "year-plan", "goal": "x", "steps": []})
    got = gather(JsonFileStore(tmp_path), MODULES, PARTS)[0]
    assert got.status == "unreadable" and "'year-plan', not 'growth-plan'" in got.note
    assert (tmp_path / "tr-growth.json").exists()           # other modules' files are not moved


def test_a_record_its_renderer_cannot_read_is_reported(tmp_path):
    write_json(tmp_path / "tr-growth.json", {"kind": "growth-plan", "goal": "x"})   # no steps
    got = gather(JsonFileStore(tmp_path), MODULES, PARTS)[0]
    assert got.status == "unreadable" and "not in the shape this kit expects" in got.note


def test_register_replaces_a_part_in_place():
    parts = list(PARTS)
    register(Part("profile", "Profile", "teacher-roles", "self-assessment", ("other",)), parts)
    assert [p.id for p in parts] == ["growth-plan", "profile", "readiness", "data-story"]
    assert parts[1].keys == ("other",)


def _notebook(path, cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")


def _box(reflection_id):
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": f'ReflectionBox("{reflection_id}")'}


def test_reflections_are_what_the_learner_wrote_in_the_boxes(tmp_path):
    folder = tmp_path / "teacher-roles"
    folder.mkdir()
    save_reflection("roles_reflection", "  My plan is to coach Ana.\n", folder)
    assert written_reflections(tmp_path, MODULES) == {"Teacher roles": "My plan is to coach Ana."}
    got = gather(JsonFileStore(tmp_path / "state"), MODULES, [reflections_part(tmp_path, MODULES)])
    assert got[0].status == "included"
    assert got[0].pieces == (Piece("Reflection: Teacher roles", text="My plan is to coach Ana."),)
    assert "My plan is to coach Ana." in portfolio_html("", got)


def test_a_module_s_reflections_are_joined_in_the_notebook_s_order(tmp_path):
    folder = tmp_path / "teacher-roles"
    folder.mkdir()
    save_reflection("roles_reflection", "First, my roles.", folder)
    save_reflection("growth_reflection", "Then, my growth.", folder)   # sorts first in the file
    _notebook(folder / "teacher-roles.ipynb", [_box("roles_reflection"),
                                               _box("growth_reflection")])
    assert written_reflections(tmp_path, MODULES) == {
        "Teacher roles": "First, my roles.\n\nThen, my growth."}
    (folder / "teacher-roles.ipynb").write_text("{not a notebook", encoding="utf-8")
    # Without a readable notebook, the answers file's order is kept; nothing is lost.
    assert written_reflections(tmp_path, MODULES) == {
        "Teacher roles": "Then, my growth.\n\nFirst, my roles."}


def test_an_empty_reflection_is_left_out(tmp_path):
    folder = tmp_path / "teacher-roles"
    folder.mkdir()
    save_reflection("roles_reflection", "   \n  ", folder)
    assert written_reflections(tmp_path, MODULES) is None
    save_reflection("growth_reflection", "Coach two colleagues.", folder)
    assert written_reflections(tmp_path, MODULES) == {"Teacher roles": "Coach two colleagues."}
    got = gather(JsonFileStore(tmp_path / "state"), {},
                 [reflections_part(tmp_path / "nowhere", MODULES)])
    assert got[0].status == "not-started"


def test_a_damaged_answers_file_is_skipped_quietly(tmp_path):
    (tmp_path / "teacher-roles").mkdir()
    (tmp_path / "teacher-roles" / ANSWERS_FILE).write_text("{broken", encoding="utf-8")
    (tmp_path / "conditions").mkdir()
    (tmp_path / "conditions" / ANSWERS_FILE).write_text(
        json.dumps({"reflections": {"gaps": "Ours shows two gaps."}}), encoding="utf-8")
    assert written_reflections(tmp_path, MODULES) == {
        "Conditions and partnerships": "Ours shows two gaps."}
    for damaged in ('["a list"]', json.dumps({"reflections": {"gaps": ["not", "text"]}}),
                    json.dumps({"reflections": {"../gaps": "an id the boxes never write"}})):
        (tmp_path / "conditions" / ANSWERS_FILE).write_text(damaged, encoding="utf-8")
        assert written_reflections(tmp_path, MODULES) is None
    # Reading never moves or rewrites the learner's file.
    assert (tmp_path / "teacher-roles" / ANSWERS_FILE).read_text() == "{broken"


def test_another_module_s_answers_do_not_leak(tmp_path):
    for module_id, text in (("teacher-roles", "About my roles."), ("data-use", "My story."),
                            ("conditions/teacher-roles", "Nested elsewhere.")):
        (tmp_path / module_id).mkdir(parents=True)
        save_reflection("reflection", text, tmp_path / module_id)
    save_reflection("stray", "Written beside the modules.", tmp_path)
    assert written_reflections(tmp_path, MODULES) == {"Teacher roles": "About my roles."}


def test_the_view_saves_the_introduction_and_exports_the_page(everything, tmp_path):
    from tlkit.widgets import PortfolioView

    view = PortfolioView(state_key="pf", store=everything, modules=MODULES, parts=PARTS)
    assert "3 of 4 parts" in view.summary.value and "Data story" in view.summary.value
    view.introduction.value = "I lead the Grade 4 team."
    assert everything.get("pf", PortfolioRecord).introduction == "I lead the Grade 4 team."
    again = PortfolioView(state_key="pf", store=everything, modules=MODULES, parts=PARTS)
    assert again.introduction.value == "I lead the Grade 4 team."
    page = again.export()
    assert "I lead the Grade 4 team." in page and "No stipends after June." in page
    assert "download='portfolio.html'" in again.exports.value
    (tmp_path / "conditions-readiness.json").write_text("[]")
    again.refresh()
    assert "Your readiness assessment and action plan (made in the module" in again.summary.value


def test_the_course_parts_read_teacher_roles_one_record_twice(tmp_path):
    from tlkit.portfolio.parts import PARTS

    write_json(tmp_path / "module-teacher-roles-self-assessment.json", {
        "kind": "self-assessment", "version": 1, "ratings": {"run-a-protocol": 3},
        "evidence": {"run-a-protocol": "I run our team's data meeting."},
        "plan": {"focus": "collaboration", "goal": "Coach two new colleagues."}})
    got = {g.part.id: g for g in gather(JsonFileStore(tmp_path), {"teacher-roles": "Roles"},
                                        PARTS)}
    [table] = got["self-assessment"].pieces
    assert table.table[1][0].startswith("I can run a discussion protocol")
    assert table.table[1][2] == "I run our team's data meeting." and table.table[1][1]
    # The names from the content files, never their ids.
    assert got["growth-plan"].pieces == (
        Piece("The domain I grow first", text="Collaboration and communication"),
        Piece("My goal", text="Coach two new colleagues."))
    page = portfolio_html("", list(got.values()))
    assert "collaboration<" not in page and "run-a-protocol" not in page


def test_the_year_plan_redesign_and_data_story_are_shown_in_words(tmp_path):
    from tlkit.portfolio.parts import PARTS

    write_json(tmp_path / "designing-learning-my-year.json", {
        "kind": "year-plan", "version": 1, "design": "own", "sites": "Pine Hollow, 70",
        "own_design": "name,mode,frequency,weekday,week,minutes,after_school,features\n"
                      "Team meeting,face-to-face,every 2 weeks,Tuesday,1,90,yes,"
                      "content-focused; collaboration\n"})
    write_json(tmp_path / "module-adult-learning-redesign.json", {
        "kind": "session-audit", "version": 1, "before": [["Welcome talk", 20, "presentation"]],
        "after": [["Try the routine", 30, "demonstration"]]})
    write_json(tmp_path / "data-use-explorer-differences.json", {
        "kind": "survey-explorer", "version": 1,
        "choices": {"survey": "teacher_survey_eoy", "grouping": "org", "view": "percent"}})
    modules = {"designing-learning": "Design", "adult-learning": "Adults", "data-use": "Data"}
    got = {g.part.id: g for g in gather(JsonFileStore(tmp_path), modules, PARTS)}
    design = got["year-plan"].pieces[0].table
    assert design[1][0] == "Team meeting" and design[1][-1] == "Content focus, Collaboration"
    redesign = got["session-redesign"].pieces
    assert [p.heading for p in redesign] == ["The session as it was", "My redesign"]
    assert redesign[0].table[1] == ("Welcome talk", "20 minutes",
                                    "Talk or slides to the whole group (general)")
    assert got["data-story"].pieces[0].items == (
        "Survey: Teachers, end of year 2017", "Grouped by: Organization", "Chart: Percent agree")


def test_every_registered_part_reads_a_record_kind_and_key_its_module_saves(root):
    """The registry's kinds exist and each key is a state key the module's notebook uses."""
    import json

    from tlkit.portfolio.parts import PARTS
    from tlkit.store import records

    kinds = {cls.kind for cls in vars(records).values()
             if isinstance(cls, type) and issubclass(cls, records.Record) and hasattr(cls, "kind")}
    for part in PARTS:
        if not part.module:
            continue
        assert part.kind in kinds, f"{part.id}: no record kind {part.kind!r}"
        notebook = root / "modules" / part.module / f"{part.module}.ipynb"
        text = json.dumps(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
        for key in part.keys:
            assert key in text, f"{part.id}: {part.module} never saves under {key!r}"


def test_rating_again_shows_the_change_beside_the_first_ratings(tmp_path):
    from tlkit.portfolio.parts import PARTS

    modules = {"teacher-roles": "Roles", "portfolio": "Portfolio"}
    store = JsonFileStore(tmp_path)
    before = {g.part.id: g for g in gather(store, modules, PARTS)}
    assert before["self-assessment-change"].status == "not-started"
    assert "“Portfolio”" in before["self-assessment-change"].note

    write_json(tmp_path / "module-teacher-roles-self-assessment.json", {
        "kind": "self-assessment", "version": 1,
        "ratings": {"run-a-protocol": 2, "hard-conversations": 3, "build-trust": 4}})
    write_json(tmp_path / "portfolio-self-assessment-again.json", {
        "kind": "self-assessment", "version": 1,
        "ratings": {"run-a-protocol": 4, "hard-conversations": 3, "build-trust": 3,
                    "team-norms": 2, "plan-a-session": 9}})     # 9 is off the scale
    got = {g.part.id: g for g in gather(store, modules, PARTS)}
    [change] = got["self-assessment-change"].pieces
    assert change.text == ("Of the 3 statements you rated both times, 1 is higher now, 1 the "
                           "same and 1 lower.")
    rows = {row[0][:30]: row[1:] for row in change.table[1:]}
    assert len(rows) == 4                                        # the off-scale rating is left out
    assert ("Starting", "Confident", "up 2 steps") in rows.values()
    assert ("Practising", "Practising", "the same") in rows.values()
    assert ("Confident", "Practising", "down 1 step") in rows.values()
    assert ("", "Starting", "not rated the first time") in rows.values()
    page = portfolio_html("", list(got.values()))
    assert "Self-assessment: then and now" in page and "up 2 steps" in page


def test_a_damaged_second_self_assessment_is_named_and_the_rest_is_gathered(tmp_path):
    from tlkit.portfolio.parts import PARTS

    (tmp_path / "portfolio-self-assessment-again.json").write_text("{not json")
    got = {g.part.id: g for g in gather(JsonFileStore(tmp_path), {"portfolio": "Portfolio"},
                                        PARTS)}
    assert got["self-assessment-change"].status == "unreadable"
    assert "could not be read" in got["self-assessment-change"].note
