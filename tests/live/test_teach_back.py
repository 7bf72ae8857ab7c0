"""The teach-back end to end on a live session: the facilitator opens it, three scorers join
from their own views, calibrate on the reference episode, score a colleague's segment and send
feedback; the facilitator sees each scorer's agreement and the group's and downloads the file;
the teacher leader loads it and the portfolio shows it, with no scorer named anywhere."""

from __future__ import annotations

import base64
import re

import pytest

from tlkit.live import LiveStore
from tlkit.portfolio.parts import PARTS, gather, portfolio_html
from tlkit.practice.observation import load_episode
from tlkit.practice.teachback import EPISODE_ID
from tlkit.store import JsonFileStore, TeachBackRecord
from tlkit.widgets import LiveSessionJoin, TeachBackHost, TeachBackReturn

REFERENCE = load_episode(EPISODE_ID).reference


@pytest.fixture
def live(tmp_path):
    return LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")


def _join(live, code, name):
    view = LiveSessionJoin(live=live)
    view.code_box.value, view.name_box.value, view.named.value = code, name, True
    assert view.join(), view.join_message.value
    return view


def _score(view, scores, whose=""):
    view.scoring_for.value = whose
    for look_for, box in view.score_boxes.items():
        box.value = scores.get(look_for)
    assert view.send_scores(), view.message.value


def _feedback(view, tone, text, whose):
    view.scoring_for.value, view.tone.value, view.feedback_box.value = whose, tone, text
    assert view.send_feedback(), view.message.value


def _download(html: str, suffix: str) -> str:
    href = re.search(rf"download='[^']*{suffix}' href='data:[^,]*,([^']*)'", html)[1]
    return base64.b64decode(href).decode("utf-8")


def test_three_calibrated_scorers_and_a_result_handed_back(tmp_path, live):
    host = TeachBackHost(state_key="guide-teach-back", store=JsonFileStore(tmp_path / "guide"),
                         live=live)
    host.open_session()
    code = host.session.code
    assert code in host.code.value
    scorers = {name: _join(live, code, name) for name in ("Ana", "Ben", "Cy")}
    for view in scorers.values():
        assert "reference episode first" in " ".join(
            getattr(c, "value", "") for c in view.children if hasattr(c, "value")
            and isinstance(c.value, str))

    # Calibration: Ana matches the reference, Ben is one off on one look-for, Cy two off on two.
    _score(scorers["Ana"], dict(REFERENCE))
    _score(scorers["Ben"], {**REFERENCE, "time": 4})
    _score(scorers["Cy"], {**REFERENCE, "time": 1, "close": 1})
    host.show()
    table = host.calibration.value
    assert "Ana</th><td>100%" in table and "Ben</th><td>83%" in table
    assert "Cy</th><td>67%</td><td>67%" in table
    assert "The group</th><td>83%" in table

    # Dana's segment: three score sheets and feedback.
    _score(scorers["Ana"], {"norms": 3, "time": 2, "close": 3}, "Dana")
    _score(scorers["Ben"], {"norms": 2, "time": 3, "close": 3}, "Dana")
    _score(scorers["Cy"], {"norms": 4, "time": 3, "close": 2}, "Dana")
    _feedback(scorers["Ana"], "warm", "You named the norms before the first question.", "Dana")
    _feedback(scorers["Cy"], "cool", "The feedback step ran two minutes over.", "Dana")
    host.show()
    assert host.teacher.options == ("Dana",)
    result = host.result.value
    assert "<h4>Dana</h4><p>3 peer score sheets" in result
    assert "<td>Norms are set and kept</td><td>3</td><td>3</td><td>2 to 4</td>" in result
    for name in ("Ana", "Ben", "Cy"):
        assert name not in result
    handed_back = _download(result, ".json")
    printable = _download(result, ".html")
    assert "Plan your next try" in printable and "Ana" not in printable

    # The teacher leader loads the file; the portfolio shows it.
    mine = JsonFileStore(tmp_path / "dana")
    panel = TeachBackReturn(state_key="portfolio-teach-back", store=mine)
    assert panel.load(handed_back.encode("utf-8"))
    assert "2 to 4" in panel.result.value and "ran two minutes over" in panel.result.value
    assert TeachBackReturn(state_key="portfolio-teach-back", store=mine).record.result
    got = {g.part.id: g for g in gather(mine, {"portfolio": "Portfolio"}, PARTS)}
    assert got["teach-back"].status == "included"
    page = portfolio_html("", list(got.values()))
    assert "Norms are set and kept" in page and "Ben" not in page
    host.end()
    for view in scorers.values():
        view.close()


def test_a_file_that_is_not_a_teach_back_result_is_refused_in_plain_words(tmp_path):
    panel = TeachBackReturn(state_key="portfolio-teach-back", store=JsonFileStore(tmp_path))
    assert not panel.load(b"\xff\xfe not text")
    assert "not text" in panel.message.value
    assert not panel.load(b'{"kind": "something-else"}')
    assert "not a teach-back result" in panel.message.value
    assert not panel.load(b"{broken")
    assert "damaged" in panel.message.value
    assert JsonFileStore(tmp_path).get("portfolio-teach-back", TeachBackRecord) is None


def test_the_host_keeps_control_of_its_session_after_a_reload(tmp_path, live):
    saved = JsonFileStore(tmp_path)
    first = TeachBackHost(state_key="guide-teach-back", store=saved, live=live)
    first.open_session()
    again = TeachBackHost(state_key="guide-teach-back", store=saved, live=live)
    assert again.session == first.session
    again.show()
    assert "No calibration scores yet" in again.calibration.value
