"""Coaching a colleague: the question workshop's file, marking and rewrite checks; the coaching
log's checks, record, printable page and widget; and the log in the portfolio."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tlkit.content import ContentError
from tlkit.portfolio.parts import PARTS, gather, portfolio_html
from tlkit.practice.coaching import (check_entry, check_rewrite, load_questions, mark_sort,
                                     sorted_entries)
from tlkit.printables.coaching_log import coaching_log_html
from tlkit.settings import CONTENT
from tlkit.store import CoachingLogRecord, JsonFileStore, QuestionWorkshopRecord
from tlkit.widgets.practice.coaching_log import CoachingLog
from tlkit.widgets.practice.question_workshop import QuestionWorkshop

QUESTIONS = load_questions()
ENTRY = {"date": "2026-03-04", "goal": "More students explain their thinking aloud.",
         "observed": "10:05 asked 'How do you know?'; 3 of 24 students answered.",
         "next_step": "Wait five seconds after each why question.",
         "my_question": "How do I keep my own ideas out of my questions?"}


# --- the questions file and the sort ---------------------------------------------------------

def test_the_questions_file_covers_every_kind_with_reasons():
    kinds = {k.id for k in QUESTIONS.kinds}
    assert kinds == {"open", "leading", "judging"}
    assert {q.kind for q in QUESTIONS.questions} == kinds
    assert all(q.why for q in QUESTIONS.questions) and QUESTIONS.sources
    # Every question offered for rewriting is one the workshop sorts as leading or judging.
    by_text = {q.text: q.kind for q in QUESTIONS.questions}
    assert all(by_text.get(r.text) in ("leading", "judging") for r in QUESTIONS.rewrites)


def test_every_example_rewrite_passes_the_checks_and_every_original_fails():
    for rewrite in QUESTIONS.rewrites:
        assert check_rewrite(rewrite.example, rewrite.text).is_open, rewrite.example
        assert not check_rewrite(rewrite.text).is_open, rewrite.text
    for question in QUESTIONS.questions:
        if question.kind == "open":
            assert check_rewrite(question.text).is_open, question.text


def test_marking_counts_right_wrong_and_unsorted():
    answers = {q.id: q.kind for q in QUESTIONS.questions}
    assert mark_sort(QUESTIONS, answers).right == len(QUESTIONS.questions)
    first = QUESTIONS.questions[0]
    answers[first.id] = "judging" if first.kind != "judging" else "open"
    answers[QUESTIONS.questions[1].id] = None
    answers[QUESTIONS.questions[2].id] = "nonsense"
    result = mark_sort(QUESTIONS, answers)
    assert (result.right, result.unsorted) == (len(QUESTIONS.questions) - 3, 2)
    assert result.wrong[0][0] == first
    assert result.line().endswith("(2 not sorted yet).")


def test_a_question_of_an_unknown_kind_is_refused_with_the_fix(tmp_path):
    data = yaml.safe_load((CONTENT / "questions" / "coaching.yaml").read_text("utf-8"))
    data["questions"][1]["kind"] = "closed"
    path = tmp_path / "coaching.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_questions(path)
    assert info.value.field == "questions[2].kind"
    assert "'closed' is not one of the kinds (open, leading, judging)" in str(info.value)


# --- rewrites --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, says", [
    ("", "Write your open question"),
    ("What made the lesson so great?", "“great” carries a verdict"),
    ("Were the students bored in the group work?", "“bored” carries a verdict"),
    ("Have you thought about exit tickets?", "holds your own idea"),
    ("Don't you think pairs would help?", "holds your own idea"),
    ("It went well, didn't it?", "holds your own idea"),
    ("Did the students understand the task?", "answered yes or no"),
    ("Why did you start with the video?", "“Why did you…”"),
    ("Tell me what you noticed", "question mark"),
])
def test_a_rewrite_that_still_leads_or_judges_is_explained(text, says):
    check = check_rewrite(text)
    assert not check.is_open
    assert any(says in problem for problem in check.problems), check.problems


def test_judgement_words_come_from_the_kit_s_word_list():
    words = yaml.safe_load((CONTENT / "wordlists" / "judgement.yaml").read_text("utf-8"))
    for word in ("engaged", "off task", "should"):
        assert word in words["words"]
        assert not check_rewrite(f"What shows the class was {word}?").is_open
    # A quoted word is the colleague's own, as in the observation notes.
    assert check_rewrite('What did you mean when you said "great job"?').is_open


def test_the_original_question_unchanged_is_not_a_rewrite():
    original = QUESTIONS.rewrites[0].text
    assert "as it was" in check_rewrite(original, original).problems[0]


# --- the question workshop widget --------------------------------------------------------------

def test_the_workshop_explains_wrong_sorts_and_keeps_answers(tmp_path):
    store = JsonFileStore(tmp_path)
    workshop = QuestionWorkshop(state_key="workshop", store=store)
    first = QUESTIONS.questions[0]
    wrong = "judging" if first.kind != "judging" else "open"
    workshop.sorts[first.id].value = wrong
    workshop.check_sort()
    assert "0 of 10" in workshop.sort_result.value and first.why.split('"')[0][:20] in \
        workshop.sort_result.value.replace("&quot;", '"')
    rewrite = QUESTIONS.rewrites[0]
    workshop.rewrites[rewrite.id].value = "Don't you think pairs would help?"
    workshop.check_rewrites()
    assert "Worth another look" in workshop.rewrite_results[rewrite.id].value
    workshop.rewrites[rewrite.id].value = "What might help the students who did not speak?"
    workshop.check_rewrites()
    assert "open question" in workshop.rewrite_results[rewrite.id].value
    assert rewrite.example.split()[0] in workshop.rewrite_results[rewrite.id].value

    again = QuestionWorkshop(state_key="workshop", store=store)
    assert again.sorts[first.id].value == wrong
    assert again.rewrites[rewrite.id].value.startswith("What might help")
    assert store.get("workshop", QuestionWorkshopRecord).sorted_as == {first.id: wrong}


def test_every_control_of_the_workshop_and_the_log_has_a_name(tmp_path):
    import ipywidgets as widgets

    def controls(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from controls(child)

    for view in (QuestionWorkshop(store=JsonFileStore(tmp_path)),
                 CoachingLog(store=JsonFileStore(tmp_path))):
        for control in controls(view):
            if isinstance(control, (widgets.Dropdown, widgets.Text, widgets.Textarea)):
                assert control.description.strip(), control
            if isinstance(control, widgets.Button):
                assert control.description.strip(), control


# --- the coaching log ------------------------------------------------------------------------

def test_an_entry_needs_every_box_and_a_readable_date():
    assert check_entry(ENTRY) == ([], [])
    problems, _ = check_entry({**ENTRY, "goal": " ", "date": "next Tuesday"})
    assert any("“My colleague's goal, as they said it” is empty" in p for p in problems)
    assert any("“next Tuesday” is not a date" in p for p in problems)


def test_a_judgement_in_what_was_observed_is_a_note_not_a_refusal():
    problems, notes = check_entry({**ENTRY, "observed": "The students were engaged."})
    assert problems == [] and "“engaged”" in notes[0] and "kept either way" in notes[0]


def test_entries_are_shown_oldest_first():
    entries = [{**ENTRY, "date": "2026-05-01"}, {**ENTRY, "date": "bad"},
               {**ENTRY, "date": "2026-02-01"}]
    assert [e["date"] for e in sorted_entries(entries)] == ["2026-02-01", "2026-05-01", "bad"]


def test_the_log_record_merges_entry_by_entry_and_keeps_removals():
    base = CoachingLogRecord({"a": dict(ENTRY)})
    mine = CoachingLogRecord({"a": dict(ENTRY), "b": {**ENTRY, "goal": "mine"}})
    theirs = CoachingLogRecord({"c": {**ENTRY, "goal": "theirs"}}, {"a"})
    merged = mine.merged(base, theirs)
    assert set(merged.entries) == {"b", "c"} and merged.removed == {"a"}
    assert CoachingLogRecord.from_dict(merged.to_dict()) == merged


def test_the_printable_log_escapes_text_and_has_a_blank_form():
    page = coaching_log_html([{**ENTRY, "goal": "<b>More talk</b>"}], coach="Ana")
    assert "&lt;b&gt;More talk&lt;/b&gt;" in page and "<b>More talk" not in page
    assert "Coach: Ana" in page and "Entry 1" in page
    blank = coaching_log_html([])
    assert blank.count("class='blank'") == 10 and "Entry 2" in blank


def test_the_log_widget_adds_refuses_takes_back_and_comes_back(tmp_path):
    store = JsonFileStore(tmp_path)
    log = CoachingLog(state_key="coaching-log", store=store)
    assert "blank log" in log.printable.value
    assert not log.add_entry()
    assert "not added yet" in log.message.value
    for key, value in ENTRY.items():
        log.boxes[key].value = value
    assert log.add_entry()
    assert log.boxes["goal"].value == "" and "Entries so far (1)" in log.entries_view.value
    assert "printable page of my log" in log.printable.value
    again = CoachingLog(state_key="coaching-log", store=store)
    assert len(again.record.entries) == 1
    again.take_back()
    assert again.boxes["goal"].value == ENTRY["goal"] and not again.record.entries
    assert CoachingLog(state_key="coaching-log", store=store).record.entries == {}


def test_the_log_is_a_part_of_the_portfolio(tmp_path):
    store = JsonFileStore(tmp_path)
    modules = {"coaching": "Coaching a colleague"}
    got = {g.part.id: g for g in gather(store, modules, PARTS)}
    assert got["coaching-log"].status == "not-started"
    assert "Coaching a colleague" in got["coaching-log"].note
    store.put("coaching-log", CoachingLogRecord({"x": dict(ENTRY),
                                                 "y": {**ENTRY, "date": "2026-01-10"}}))
    got = {g.part.id: g for g in gather(store, modules, PARTS)}
    first, second = got["coaching-log"].pieces
    assert first.heading == "Coaching cycle 1" and ("Date", "2026-01-10") in first.table
    assert ("My colleague's next step", ENTRY["next_step"]) in second.table
    page = portfolio_html("", list(got.values()))
    assert "Coaching log" in page and ENTRY["my_question"] in page
    json.dumps(store.get("coaching-log", CoachingLogRecord).to_dict())


# --- the module in the course ------------------------------------------------------------------

def _learner_cells(module_id):
    from tlkit.settings import course_root

    path = course_root() / "modules" / module_id / f"{module_id}.ipynb"
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [c for c in cells if "facilitator" not in c["metadata"].get("tags", [])]


def test_the_module_comes_before_the_portfolio():
    from tlkit.course.manifest import module_ids

    ids = module_ids()
    assert ids.index("coaching") == ids.index("portfolio") - 1


@pytest.mark.parametrize("module_id", ["coaching", "portfolio"])
def test_every_source_listed_is_cited_in_the_text(module_id):
    cells = ["".join(c["source"]) for c in _learner_cells(module_id)]
    [sources] = [c for c in cells if c.lstrip().startswith("### Sources")]
    text = " ".join(" ".join(c for c in cells if c != sources).split())
    for entry in re.split(r"\n- ", sources)[1:]:
        author = re.match(r"\s*([A-Za-z-]+)", entry)[1]
        year = re.search(r"\((\d{4}|n\.d\.)", entry)[1]
        # A citation names the first author with the year close after: "(Knight, 2018)",
        # "Kraft, Blazar & Hogan, 2018", "WestEd's ... (WestEd, 2017)".
        cited = any(year in text[m.start():m.start() + 60]
                    for m in re.finditer(rf"\b{author}\b", text))
        assert cited, f"{module_id}: the source {entry[:60]!r} is listed but never cited"


def test_the_coaching_figures_carry_their_source():
    text = " ".join(" ".join("".join(c["source"]) for c in _learner_cells("coaching")).split())
    for figure in ("0.49", "0.18", "60 studies"):
        # The citation closes the paragraph that gives the figures.
        after = text[text.index(figure):text.index(figure) + 400]
        assert "Kraft, Blazar & Hogan, 2018" in after, figure
    assert "Showers & Joyce, 1996" in text and "(WestEd, 2017)" in text
