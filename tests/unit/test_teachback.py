"""The teach-back's core: the facilitation rubric and its reference episode, calibration on
it, a teach-back's result with no scorer named, the printable return page, and the path
through a live session with three scorers."""

from __future__ import annotations

import pytest

from tlkit.live import LiveStore
from tlkit.live.contributions import ContributionRefused, check
from tlkit.live.store import new_contribution_id
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.teachback import (EPISODE_ID, RUBRIC_ID, calibration, calibration_from_live,
                                      from_live, summarise, teach_back_label)
from tlkit.printables.teach_back import teach_back_html

RUBRIC = load_rubric(RUBRIC_ID)
REFERENCE = load_episode(EPISODE_ID).reference


def test_the_rubric_has_the_six_look_fors_and_the_episode_scores_all_of_them():
    assert RUBRIC.look_for_ids == ("norms", "time", "questions", "airtime", "descriptive",
                                   "close")
    assert set(REFERENCE) == set(RUBRIC.look_for_ids)
    assert all(score in RUBRIC.scale for score in REFERENCE.values())
    episode = load_episode(EPISODE_ID)
    assert episode.rubric_id == RUBRIC_ID and all(episode.rationale[lf] for lf in REFERENCE)


def test_calibration_gives_each_scorer_s_agreement_and_the_group_s():
    off_by_one = {lf: (s + 1 if s < 4 else s - 1) for lf, s in REFERENCE.items()}
    report = calibration({"Ana": dict(REFERENCE), "Ben": off_by_one})
    by_name = {a.first: a for a in report.vs_reference}
    assert by_name["Ana"].exact == 1.0 and by_name["Ben"].exact == 0.0
    assert by_name["Ben"].within_one == 1.0
    assert report.overall.exact == 0.5 and report.overall.within_one == 1.0


def test_a_result_gives_median_and_spread_and_names_no_scorer():
    sheets = [{"norms": 3, "time": 4}, {"norms": 2, "time": 4}, {"norms": 4, "close": 3}]
    result = summarise("Dana", sheets, [("warm", "Clear norms at the start."),
                                        ("cool", "The close felt rushed."),
                                        ("warm", "A calm redirect at 03:10.")])
    rows = {row[0]: row[1:] for row in result.rows()}
    assert rows["Norms are set and kept"] == ("3", "3", "2 to 4")
    assert rows["Time is kept"] == ("2", "4", "all 4")
    assert rows["Airtime is balanced"] == ("0", "–", "not scored")
    assert result.scorers == 3
    # Alphabetical, so the order of the feedback does not follow the order scorers sent it.
    assert result.warm == ("A calm redirect at 03:10.", "Clear norms at the start.")
    assert rows["Norms are set and kept"][1] == "3"


def test_scores_off_the_scale_are_left_out_and_said():
    result = summarise("Dana", [{"norms": 9, "time": 3}, {"norms": True}])
    assert result.rows()[0][1] == "0" and result.rows()[1][1] == "1"
    assert result.left_out == ("2 scores off the 1 to 4 scale were left out.",)


def test_the_return_page_escapes_text_and_holds_the_prompt():
    result = summarise("<Dana>", [{"norms": 3}], [("cool", "<script>x</script>")])
    page = teach_back_html(result)
    assert "&lt;Dana&gt;" in page and "<script>x" not in page and "&lt;script&gt;" in page
    assert "Plan your next try" in page and "no scorer is named" in page


def test_feedback_may_say_whose_teach_back_it_is_for():
    assert check("feedback", {"tone": "warm", "text": "Clear start.", "about": " Dana "}) == {
        "tone": "warm", "text": "Clear start.", "about": "Dana"}
    assert check("feedback", {"tone": "warm", "text": "Clear start."}) == {
        "tone": "warm", "text": "Clear start."}
    with pytest.raises(ContributionRefused):
        check("feedback", {"tone": "warm", "text": "ok", "about": "x" * 200})


def test_a_live_session_with_three_calibrated_scorers_returns_one_result(tmp_path):
    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    session = live.open_session("tuning", [5, 15, 5], episode_id=EPISODE_ID)
    scorers = [live.join(session.code, name, attributed=True) for name in ("Ana", "Ben", "Cy")]

    def send(who, kind, body):
        assert live.contribute(who, kind, body, contribution_id=new_contribution_id(),
                               rubric=RUBRIC)

    # Calibration first, on the reference episode.
    send(scorers[0], "scores", {"episode": EPISODE_ID, "scores": dict(REFERENCE)})
    send(scorers[1], "scores", {"episode": EPISODE_ID,
                                "scores": {**REFERENCE, "questions": 4}})
    send(scorers[2], "scores", {"episode": EPISODE_ID,
                                "scores": {**REFERENCE, "time": 1, "close": 1}})
    # Then Dana's segment: scores and feedback from all three; Ben corrects his sheet.
    label = teach_back_label("Dana")
    send(scorers[0], "scores", {"episode": label, "scores": {"norms": 3, "time": 2}})
    send(scorers[1], "scores", {"episode": label, "scores": {"norms": 1, "time": 2}})
    send(scorers[1], "scores", {"episode": label, "scores": {"norms": 2, "time": 3}})
    send(scorers[2], "scores", {"episode": label, "scores": {"norms": 4, "time": 3}})
    send(scorers[0], "feedback", {"tone": "warm", "text": "Norms first.", "about": "Dana"})
    send(scorers[2], "feedback", {"tone": "cool", "text": "Ran over.", "about": "dana"})
    send(scorers[1], "feedback", {"tone": "cool", "text": "For someone else.", "about": "Eli"})

    contributions = live.contributions(session.code, session.token)
    report = calibration_from_live(contributions)
    agreement = {a.first: (a.exact, a.within_one) for a in report.vs_reference}
    assert agreement == {"Ana": (1.0, 1.0), "Ben": (5 / 6, 5 / 6), "Cy": (4 / 6, 4 / 6)}
    assert report.overall.exact == pytest.approx(15 / 18)

    result = from_live(contributions, "Dana")
    rows = {row[0]: row[1:] for row in result.rows()}
    assert rows["Norms are set and kept"] == ("3", "3", "2 to 4")   # Ben's resend counts
    assert rows["Time is kept"] == ("3", "3", "2 to 3")
    assert result.warm == ("Norms first.",) and result.cool == ("Ran over.",)
    page = teach_back_html(result)
    assert all(name not in page for name in ("Ana", "Ben", "Cy"))


def test_every_control_of_the_teach_back_views_has_a_name(tmp_path):
    import ipywidgets as widgets

    from tlkit.store import JsonFileStore
    from tlkit.widgets import TeachBackHost, TeachBackReturn

    def controls(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from controls(child)

    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    for view in (TeachBackHost(store=JsonFileStore(tmp_path), live=live),
                 TeachBackReturn(store=JsonFileStore(tmp_path))):
        for control in controls(view):
            if isinstance(control, (widgets.Dropdown, widgets.FileUpload, widgets.Button)):
                assert control.description.strip(), control


def test_the_reference_episode_view_escapes_and_folds_the_reference_away():
    from tlkit.printables.teach_back import episode_html

    page = episode_html()
    assert "<details><summary>Reference scores" in page
    assert page.index("<details>") > page.index("11:00")      # notes first, reference after
    assert "Hold that for feedback" in page and "&quot;" in page     # quotes escaped
