"""The teacher-leader self-assessment: items from content, profile scoring against hand-worked
figures, the chart's text equivalent, the saved record, the two widgets and the printable plan."""

from __future__ import annotations

import base64
import json
from collections import Counter

import pytest

from tlkit.content import ContentError
from tlkit.practice.self_assessment import (load_self_assessment, profile, profile_html,
                                            read_rating)
from tlkit.printables.growth_plan import (BOX_LIMIT, PLAN_FIELDS, growth_plan_html,
                                          session_handout_html)
from tlkit.store import JsonFileStore, RecordError, SelfAssessmentRecord, StoreUnavailable


@pytest.fixture(scope="module")
def sa():
    return load_self_assessment()


def _ids(sa, domain, level):
    return [i.id for i in sa.items if i.domain == domain and i.level == level]


def test_items_come_in_four_domains_with_both_levels_on_the_kits_scale(sa):
    assert [d.id for d in sa.domains] == ["collaboration", "professional-learning",
                                          "instructional-leadership", "advocacy"]
    assert Counter((i.domain, i.level) for i in sa.items) == {
        (d.id, level): 2 for d in sa.domains for level in ("foundational", "advanced")}
    assert sa.scale == ("Not yet", "Starting", "Practising", "Confident", "Leading others")
    assert all(i.evidence_prompt for i in sa.items)


def test_a_file_with_an_unknown_domain_names_the_item_and_the_fix(tmp_path, sa):
    import yaml

    from tlkit.content.loader import folder_of
    data = yaml.safe_load((folder_of("self-assessment") / "teacher-leader.yaml").read_text())
    data["items"][2]["domain"] = "leadership"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_self_assessment(path=path)
    assert info.value.field == "items[3].domain" and "Fix: use one of: collaboration" in str(info.value)


def test_ratings_are_read_from_numbers_or_the_scales_words(sa):
    assert [read_rating(v, sa.scale) for v in (1, 5, "3", " leading  OTHERS ", "Confident")] == \
        [1, 5, 3, 5, 4]
    assert [read_rating(v, sa.scale) for v in (0, 6, True, "", "great", 2.5, None)] == [None] * 7


def test_profile_scores_domains_and_levels_as_worked_by_hand(sa):
    f_col, a_col = _ids(sa, "collaboration", "foundational"), _ids(sa, "collaboration", "advanced")
    f_pl, a_pl = _ids(sa, "professional-learning", "foundational"), _ids(sa, "professional-learning", "advanced")
    f_il = _ids(sa, "instructional-leadership", "foundational")
    f_adv, a_adv = _ids(sa, "advocacy", "foundational"), _ids(sa, "advocacy", "advanced")
    ratings = {f_col[0]: 5, f_col[1]: 4, a_col[0]: 4, a_col[1]: 3,     # mean 4.0: strength
               f_pl[0]: 2, f_pl[1]: 5, a_pl[0]: 5, a_pl[1]: 5,         # 4.25 but a weak foundation
               f_il[0]: 3, f_il[1]: "Practising",                       # 3.0, advanced unrated
               f_adv[0]: 1, f_adv[1]: 2, a_adv[0]: 3,                   # 2.0: growth area
               a_adv[1]: "brilliant", "not-an-item": 5}
    result = profile(sa, ratings, {f_col[0]: "Ran a tuning protocol in May", f_pl[0]: "  "})
    by = {d.domain.id: d for d in result.domains}
    assert by["collaboration"].score == 4.0 and by["collaboration"].foundational == 4.5
    assert by["collaboration"].advanced == 3.5
    assert by["professional-learning"].score == 4.25
    assert by["professional-learning"].weak_foundations == (f_pl[0],)
    assert by["instructional-leadership"].score == 3.0 and by["instructional-leadership"].advanced is None
    assert (by["advocacy"].score, by["advocacy"].rated, by["advocacy"].total) == (2.0, 3, 4)
    assert [d.domain.id for d in result.strengths] == ["collaboration"]
    # Lowest score first; a strong average does not hide a foundation below Practising.
    assert [d.domain.id for d in result.growth_areas] == ["advocacy", "professional-learning"]
    # Foundational before advanced, lowest rating first.
    assert [i.id for i in result.next_steps()] == [f_adv[0], f_adv[1], f_pl[0]]
    assert result.unreadable == {a_adv[1]: "brilliant"}
    assert result.rated == 13 and result.total == 16
    assert f_col[0] not in result.no_evidence and f_pl[0] in result.no_evidence
    assert result.table()[0] == ["Collaboration and communication", "4.5", "3.5", "4.0", "4 of 4"]
    assert result.table()[2][2] == "-"


def test_no_ratings_gives_no_profile_and_says_what_to_do(sa):
    result = profile(sa, {})
    assert result.strengths == result.growth_areas == [] and result.next_steps() == []
    assert "No item is rated yet" in result.summary()
    assert "Rate at least one item" in profile_html(result)


def test_the_profile_shows_a_chart_with_a_text_equivalent(sa):
    ratings = {item.id: 1 + n % 5 for n, item in enumerate(sa.items)}
    html = profile_html(profile(sa, ratings))
    assert "<img src='data:image/png;base64," in html
    alt = html.split("alt='", 1)[1].split("'", 1)[0]
    assert "16 of 16 items rated" in alt and "Collaboration and communication: 2.5" in alt
    assert ">Foundational items</th>" in html and "2.5 (about Practising)" in alt
    assert "tlkit-sa-growth" in html and "tlkit-sa-strengths" in html


# --- the record ----------------------------------------------------------------------------

def test_record_round_trips_and_refuses_a_bad_rating():
    record = SelfAssessmentRecord({"a": 3}, {"a": "evidence"}, {"goal": "coach"})
    assert SelfAssessmentRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record
    with pytest.raises(RecordError, match="rating 'high'"):
        SelfAssessmentRecord.from_dict({"kind": "self-assessment", "ratings": {"a": "high"}})


def test_the_form_and_the_plan_merge_key_by_key():
    base = SelfAssessmentRecord({"a": 3, "b": 2}, {}, {"goal": "old"})
    form = SelfAssessmentRecord({"a": 4, "b": 2}, {"a": "why"}, {"goal": "old"})
    plan = SelfAssessmentRecord({"a": 3, "b": None}, {}, {"goal": "new", "steps": "one"})
    stored = plan.merged(base, base)
    merged = form.merged(base, stored)
    assert merged.ratings == {"a": 4} and merged.evidence == {"a": "why"}
    assert merged.plan == {"goal": "new", "steps": "one"}


# --- the widgets ---------------------------------------------------------------------------

def test_ratings_evidence_and_plan_survive_a_restart_and_export(tmp_path, sa):
    from tlkit.widgets import GrowthPlan, SelfAssessmentForm

    store = JsonFileStore(tmp_path / "state")
    form = SelfAssessmentForm(state_key="sa", store=store)
    plan = GrowthPlan(state_key="sa", store=store)
    first = sa.items[0].id
    for item in sa.items:
        form.ratings[item.id].value = 2 if item.domain == "advocacy" else 4
    form.evidence[first].value = "Ran a consultancy <b>in March</b>"
    plan.boxes["focus"].value = "advocacy"
    plan.boxes["goal"].value = "Explain our team's work to the principal by May"
    plan.refresh()
    assert "Growth areas: School and community advocacy" in plan.summary.value

    # A fresh kernel: both views come back from the store.
    form2 = SelfAssessmentForm(state_key="sa", store=store)
    plan2 = GrowthPlan(state_key="sa", store=store)
    assert form2.rated() == form.rated() and form2.evidence[first].value.startswith("Ran a")
    assert "tlkit-sa-growth" in form2.profile_view.value      # the profile shows again
    assert plan2.boxes["focus"].value == "advocacy" and plan2.boxes["goal"].value.endswith("May")

    page = plan2.export()
    link = plan2.link.value
    assert "download='growth-plan.html'" in link
    assert base64.b64decode(link.split("base64,", 1)[1].split("'", 1)[0]).decode() == page
    assert "School and community advocacy" in page and "by May" in page
    assert "&lt;b&gt;in March&lt;/b&gt;" in page and "<b>in March" not in page
    assert "http" not in page.replace("http-equiv", "")


def test_a_store_that_cannot_save_keeps_the_work_on_the_page(tmp_path):
    from tlkit.widgets import GrowthPlan, SelfAssessmentForm

    class Broken(JsonFileStore):
        def check(self):
            raise StoreUnavailable("the folder X cannot be written", "Ask for a writable folder.")

        def update(self, *args, **kwargs):
            self.check()

    store = Broken(tmp_path / "state")
    form = SelfAssessmentForm(state_key="sa", store=store)
    key = next(iter(form.ratings))
    form.ratings[key].value = 3
    assert "cannot be saved" in form.save_status.value and form.rated() == {key: 3}
    plan = GrowthPlan(state_key="sa", store=store)
    plan.boxes["goal"].value = "x" * (BOX_LIMIT + 1)
    assert plan.boxes["goal"].value.startswith("x") and "cannot be saved" in plan.save_status.value
    assert "My goal: longer than" in plan.length_note.value
    form.ratings[key].value = 4                  # nothing reaches the store, yet the plan follows
    assert "No ratings yet" not in plan.summary.value
    assert plan._ratings == {key: 4}


def test_the_growth_plan_follows_the_ratings_as_they_change(tmp_path, sa):
    from tlkit.widgets import GrowthPlan, SelfAssessmentForm

    store = JsonFileStore(tmp_path / "state")
    # Run All: the form and the plan are drawn before any rating is made.
    form = SelfAssessmentForm(state_key="sa", store=store)
    plan = GrowthPlan(state_key="sa", store=store)
    other = GrowthPlan(state_key="someone-else", store=store)
    assert "No ratings yet" in plan.summary.value
    for item in sa.items:
        form.ratings[item.id].value = 2 if item.domain == "advocacy" else 4
    # No re-run of the plan's cell: it already shows the profile.
    assert "No ratings yet" not in plan.summary.value
    assert "Growth areas: School and community advocacy" in plan.summary.value
    for item in sa.items_in("advocacy"):
        form.ratings[item.id].value = 5
    assert "Growth areas: School and community advocacy" not in plan.summary.value
    assert "No ratings yet" in other.summary.value          # another record is not touched


def test_every_control_has_a_name():
    import ipywidgets as widgets

    from tlkit.widgets import GrowthPlan, SelfAssessmentForm
    for view in (SelfAssessmentForm(), GrowthPlan()):
        for control in _controls(view):
            if isinstance(control, (widgets.Dropdown, widgets.Text, widgets.Textarea)):
                assert control.description.strip(), control._dom_classes
        view.close()


def _controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


def test_the_session_handout_and_a_blank_plan_have_every_box(sa):
    page = session_handout_html(sa)
    for _key, label, _question in PLAN_FIELDS:
        assert label in page
    assert "Curator" in page and "1 Not yet" in page and page.count("<h1>") == 1
    assert "http" not in growth_plan_html(sa, None, {})
