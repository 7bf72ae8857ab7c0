"""The course on a real JupyterHub: a facilitator and two learners, end to end.

Everything goes through the hub's REST API and each user's own server (nbgrader's formgrader
API on the facilitator's, its assignment list API and the contents API on the learners'):
release -> fetch -> answer (one learner well, one badly) -> submit -> collect -> autograde ->
feedback. Then the walls: each learner gets only their own feedback, cannot reach the other
learner's server, and cannot read the course source (solutions, hidden checks, facilitator
notes) through their server.
"""

from __future__ import annotations

import html

import json
import urllib.parse

import nbformat
import psutil
import pytest
from hub_process import FACILITATOR, LEARNERS, ROOT, facilitator_course

MODULE = "protocols"
COURSE = "tlkit"


def _nbgrader_yaml():
    import yaml
    return yaml.safe_load((ROOT / "tests" / "nbgrader" / "wrong_answers.yaml").read_text())[MODULE]


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _ok(result, what):
    status, body = result
    assert status in (200, 201), f"{what}: HTTP {status} {body}"
    if isinstance(body, dict) and "success" in body:
        assert body["success"], f"{what} failed: {body.get('error')}\n{body.get('log')}"
    return body


@pytest.fixture(scope="module")
def course(hub):
    """The facilitator's home is the course folder (its nbgrader_config.py, modules/)."""
    return facilitator_course(hub, MODULE)


def _answers_well(source) -> str:
    """The answers file of a learner who chose every form's key and wrote a reflection."""
    from tlkit.course.answers import Answers
    from tlkit.ops.form_scores import reflection_call, score_call

    keys = dict(call for c in source.cells if _meta(c).get("grade") and (call := score_call(c.source)))
    reflections = {r: "Ana's answer: we named the protocol's purpose before choosing it."
                   for c in source.cells if c.cell_type == "code" and (r := reflection_call(c.source))}
    assert keys and reflections
    return Answers({a: {k: str(v) for k, v in key.items()} for a, key in keys.items()},
                   reflections).as_json()


def _answers_badly() -> tuple[str, str]:
    """One activity's plausible wrong answer and everything else left blank; and the message
    its feedback prints."""
    from tlkit.course.answers import Answers

    activity_id, wrong = sorted(_nbgrader_yaml().items())[0]
    return Answers({activity_id: dict(wrong["values"])}, {}).as_json(), wrong["message"]


def _contents(hub, user, path, token=None, content=1):
    quoted = urllib.parse.quote(path)
    return hub.request("GET", f"/user/{user}/api/contents/{quoted}?content={content}",
                       token or hub.tokens[user])


def _feedback_html(hub, user):
    listing = _ok(_contents(hub, user, f"{MODULE}/feedback"), f"{user}'s feedback folder")
    stamps = [e["path"] for e in listing["content"] if e["type"] == "directory"]
    assert len(stamps) == 1, f"{user} should have exactly one feedback folder: {stamps}"
    body = _ok(_contents(hub, user, f"{stamps[0]}/{MODULE}.html"), f"{user}'s feedback")
    return body["content"]


def test_release_fetch_submit_collect_autograde_feedback(hub, course):
    grader = hub.tokens[FACILITATOR]
    seconds = {user: hub.start_server(user) for user in (FACILITATOR, *LEARNERS)}
    print(f"\nserver start (REST request to answering server), seconds: "
          + ", ".join(f"{u} {s:.1f}" for u, s in seconds.items()))
    for user in (FACILITATOR, *LEARNERS):
        pid = hub.server_pid(user)
        if pid:
            mib = psutil.Process(pid).memory_info().rss / 2**20
            print(f"memory of {user}'s single-user server before a kernel: {mib:.0f} MiB")

    fg = f"/user/{FACILITATOR}/formgrader/api"
    _ok(hub.request("POST", f"{fg}/assignment/{MODULE}/assign", grader), "generate the release")
    _ok(hub.request("POST", f"{fg}/assignment/{MODULE}/release", grader), "release")

    source = nbformat.read(ROOT / "modules" / MODULE / f"{MODULE}.ipynb", as_version=4)
    facilitator_text = [c.source for c in source.cells
                        if "facilitator" in c.get("metadata", {}).get("tags", [])]
    assert facilitator_text, "the module should have facilitator notes to keep from learners"

    for learner in LEARNERS:
        token = hub.tokens[learner]
        listed = _ok(hub.request("GET", f"/user/{learner}/assignments?course_id={COURSE}", token),
                     f"{learner} lists assignments")
        assert any(a["assignment_id"] == MODULE and a["status"] == "released"
                   for a in listed["value"]), listed
        _ok(hub.request("POST", f"/user/{learner}/assignments/fetch", token,
                        body={"course_id": COURSE, "assignment_id": MODULE}), f"{learner} fetches")
        nb_json = _ok(_contents(hub, learner, f"{MODULE}/{MODULE}.ipynb"), "fetched notebook")
        text = json.dumps(nb_json["content"])
        # Only the release: no solutions, hidden checks or facilitator notes.
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        for note in facilitator_text:
            assert note.strip()[:60] not in text

    ana, ben = LEARNERS
    bad, wrong_message = _answers_badly()
    for learner, answers in ((ana, _answers_well(source)), (ben, bad)):
        # What the forms write as the learner answers, beside the fetched notebook.
        _ok(hub.request("PUT", f"/user/{learner}/api/contents/{MODULE}/my-answers.json",
                        hub.tokens[learner], body={"type": "file", "format": "text",
                                                   "content": answers}), f"{learner} answers")
        _ok(hub.request("POST", f"/user/{learner}/assignments/submit", hub.tokens[learner],
                        body={"course_id": COURSE, "assignment_id": MODULE}), f"{learner} submits")

    _ok(hub.request("POST", f"{fg}/assignment/{MODULE}/collect", grader), "collect")
    for learner in LEARNERS:
        _ok(hub.request("POST", f"{fg}/submission/{MODULE}/{learner}/autograde", grader),
            f"autograde {learner}")
    scores = {}
    for learner in LEARNERS:
        sub = _ok(hub.request("GET", f"{fg}/submission/{MODULE}/{learner}", grader),
                  f"{learner}'s submission")
        scores[learner] = (sub["code_score"], sub["max_code_score"])
    assert scores[ana][1] > 0 and scores[ana][0] == scores[ana][1], scores
    assert scores[ben][0] < scores[ben][1], scores

    _ok(hub.request("POST", f"{fg}/assignment/{MODULE}/generate_feedback", grader), "feedback")
    _ok(hub.request("POST", f"{fg}/assignment/{MODULE}/release_feedback", grader), "release feedback")

    pages = {}
    for learner in LEARNERS:
        _ok(hub.request("POST", f"/user/{learner}/assignments/fetch_feedback", hub.tokens[learner],
                        body={"course_id": COURSE, "assignment_id": MODULE}),
            f"{learner} fetches feedback")
        pages[learner] = _feedback_html(hub, learner)
    assert "Ana&#39;s answer" in pages[ana] or "Ana's answer" in pages[ana]
    assert "Ana&#39;s answer" not in pages[ben] and "Ana's answer" not in pages[ben]
    assert wrong_message in html.unescape(pages[ben])


def test_learners_cannot_reach_each_other_or_the_course_source(hub, course):
    for user in (FACILITATOR, *LEARNERS):
        if hub.server_pid(user) is None:
            hub.start_server(user)
    ana, ben = LEARNERS
    # Another learner's server refuses the token: the hub only lets a user into their own.
    status, _ = _contents(hub, ben, "", token=hub.tokens[ana])
    assert status == 403, status
    status, _ = _contents(hub, FACILITATOR, "modules", token=hub.tokens[ana])
    assert status == 403, status
    # A learner's own server sees only their home: the course folder and the other learner's
    # home are outside it.
    for outside in (f"../{FACILITATOR}/modules/{MODULE}/{MODULE}.ipynb", f"../{ben}",
                    str(course / "modules")):
        status, _ = _contents(hub, ana, outside)
        assert status in (400, 403, 404), (outside, status)
    # The learner settings switch the formgrader off on a learner's server.
    status, _ = hub.request("GET", f"/user/{ana}/formgrader/api/assignments", hub.tokens[ana])
    assert status == 404, status
    listing = _ok(_contents(hub, ana, ""), "ana's home")
    names = {e["name"] for e in listing["content"]}
    assert "modules" not in names and "nbgrader_config.py" not in names, names
