"""Rubric and episode files, low-inference word flags, the observation record and its table."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pandas as pd
import pytest

from tlkit.content import ContentError
from tlkit.practice.observation import (EPISODES_DIR, Note, Observation, ObservationError,
                               as_whole_number, elapsed_label, judgement_words, load_episode,
                               load_rubric, note_stamp, to_csv, to_tidy)
from tlkit.printables.observation_form import observation_form_html
from tlkit.settings import RUBRICS_DIR


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("student-led-discussion")


# --- Shipped content -----------------------------------------------------------------------

def test_shipped_rubric_has_five_or_six_look_fors_with_four_described_levels(rubric):
    assert 5 <= len(rubric.look_fors) <= 6
    assert rubric.levels == (1, 2, 3, 4)
    for lf in rubric.look_fors:
        assert sorted(lf.levels) == [1, 2, 3, 4]
        assert len(set(lf.levels.values())) == 4, f"{lf.id}: each level needs its own words"
    assert len(set(rubric.look_for_ids)) == len(rubric.look_for_ids)


def test_shipped_episodes_load_and_score_every_look_for(rubric):
    episode_ids = [p.stem for p in EPISODES_DIR.glob("*.yaml")]
    assert episode_ids
    for episode_id in episode_ids:
        episode = load_episode(episode_id)
        own = load_rubric(episode.rubric_id)     # the teach-back's episode has its own rubric
        assert set(episode.reference) == set(own.look_for_ids)
        assert all(episode.rationale[lf] for lf in own.look_for_ids)
        times = [t for t, _ in episode.notes]
        assert all(re.fullmatch(r"\d\d:\d\d", t) for t in times)
        assert times == sorted(times), "episode notes should run in time order"


def test_look_for_found_by_id_name_or_short_name(rubric):
    lf = rubric.look_fors[0]
    assert rubric.look_for(lf.name.upper()) is lf
    assert rubric.look_for(f"  {lf.short} ") is lf
    with pytest.raises(KeyError, match="use one of"):
        rubric.look_for("enthusiasm")


# --- Malformed files -----------------------------------------------------------------------

def _rubric_copy(tmp_path, edit):
    text = (RUBRICS_DIR / "student-led-discussion.yaml").read_text(encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(edit(text), encoding="utf-8")
    return tmp_path


def test_missing_rubric_names_the_file_and_the_known_rubrics(tmp_path):
    shutil.copy(RUBRICS_DIR / "student-led-discussion.yaml", tmp_path)
    with pytest.raises(ContentError, match=r"nope\.yaml.*student-led-discussion"):
        load_rubric("nope", folder=tmp_path)


def test_look_for_missing_a_level_is_named(tmp_path):
    folder = _rubric_copy(tmp_path, lambda t: re.sub(
        r"      4: Most claims are tied.*\n", "", t))
    with pytest.raises(ContentError) as caught:
        load_rubric("broken", folder=folder)
    message = str(caught.value)
    assert "broken.yaml" in message and "'text-evidence'" in message and "[1, 2, 3]" in message


def test_duplicate_look_for_id_is_named(tmp_path):
    folder = _rubric_copy(tmp_path, lambda t: t.replace("id: build-challenge",
                                                        "id: text-evidence"))
    with pytest.raises(ContentError, match=r"broken\.yaml, field look_fors\[2\]\.id .*"
                                           "'text-evidence' is used for two look-fors"):
        load_rubric("broken", folder=folder)


def test_bad_yaml_says_it_is_not_valid_yaml(tmp_path):
    folder = _rubric_copy(tmp_path, lambda t: t + "\n  : [unclosed\n")
    with pytest.raises(ContentError, match=r"broken\.yaml has a layout \(YAML\) error"):
        load_rubric("broken", folder=folder)


def test_rubric_not_saved_as_utf8_says_so(tmp_path):
    text = (RUBRICS_DIR / "student-led-discussion.yaml").read_text(encoding="utf-8")
    (tmp_path / "latin.yaml").write_bytes((text + "\n# café\n").encode("cp1252"))
    with pytest.raises(ContentError, match=r"latin\.yaml is not plain text \(UTF-8\).*save it "
                                           "as UTF-8"):
        load_rubric("latin", folder=tmp_path)


@pytest.mark.parametrize("value, whole", [
    (3, 3), (3.0, 3), (" 3 ", 3), ("²", None), ("3.5", None), (True, None), ("", None)])
def test_as_whole_number(value, whole):
    assert as_whole_number(value) == whole


def _episode_copy(tmp_path, edit):
    text = (EPISODES_DIR / "voting-age-discussion.yaml").read_text(encoding="utf-8")
    (tmp_path / "ep.yaml").write_text(edit(text), encoding="utf-8")
    return tmp_path


def test_episode_reference_score_off_the_scale_is_named(tmp_path):
    folder = _episode_copy(tmp_path, lambda t: t.replace(
        "  build-challenge:\n    score: 4", "  build-challenge:\n    score: 7"))
    with pytest.raises(ContentError) as caught:
        load_episode("ep", folder=folder)
    assert "ep.yaml, field reference.build-challenge.score (line" in str(caught.value)
    assert "1 to 4" in str(caught.value)


def test_episode_reference_for_an_unknown_look_for_is_named(tmp_path):
    folder = _episode_copy(tmp_path, lambda t: t.replace("  norms-in-use:\n", "  not-used:\n"))
    with pytest.raises(ContentError, match="'not-used' is not a look-for"):
        load_episode("ep", folder=folder)


def test_episode_missing_a_reference_score_says_which(tmp_path):
    folder = _episode_copy(tmp_path, lambda t: t[:t.index("  norms-in-use:\n")])
    with pytest.raises(ContentError, match="no reference score for norms-in-use"):
        load_episode("ep", folder=folder)


# --- Judgement words -----------------------------------------------------------------------

def test_judgement_words_flags_evaluative_and_inferential_words_as_written():
    text = "Great lesson. Students were engaged, S4 seemed bored and didn’t care. T should wait."
    assert judgement_words(text) == ["Great", "engaged", "seemed", "bored", "didn’t care",
                                     "should"]


def test_judgement_words_leaves_low_inference_notes_alone():
    assert judgement_words("S2: 4 turns in 3 min. S5 wrote on the handout, did not speak.") == []
    assert judgement_words("Goodbye to the goods train; shoulder partner talk") == []


def test_judgement_words_skips_verbatim_quotes_but_not_the_observer():
    assert judgement_words('S3: "That\'s wrong, paragraph 6 says some." Good point by S3.') \
        == ["Good"]


def test_judgement_words_reports_each_word_once():
    assert judgement_words("good, GOOD and good again") == ["good"]


# --- The observation record ----------------------------------------------------------------

def _observation(**scores):
    return Observation(
        observer="Ana Ruiz", teacher="Mr Lee 9B", date="2026-03-04", scores=scores,
        notes=[Note("01:10", 'S1: "paragraph 3 says"', "text-evidence"),
               Note("02:05", "T silent 90 s"),
               Note("03:40", "S4 reads line aloud", "text-evidence")])


def test_tidy_table_has_one_row_per_look_for_with_evidence(rubric):
    tidy = to_tidy(_observation(**{"text-evidence": 3, "norms-in-use": "4"}), rubric)
    assert list(tidy.columns) == ["observation_id", "observer", "teacher", "date",
                                  "look_for_id", "look_for", "score", "evidence"]
    assert list(tidy.look_for_id) == list(rubric.look_for_ids)
    row = tidy.set_index("look_for_id").loc["text-evidence"]
    assert row.score == 3 and row.look_for == rubric.look_fors[0].name
    assert row.evidence == '01:10 S1: "paragraph 3 says" | 03:40 S4 reads line aloud'
    assert tidy.set_index("look_for_id").loc["norms-in-use"].score == 4
    assert pd.isna(tidy.set_index("look_for_id").loc["build-challenge"].score)
    assert (tidy.observation_id == "2026-03-04-ana-ruiz-mr-lee-9b").all()


def test_csv_round_trip_keeps_blank_scores_blank(rubric):
    text = to_csv(_observation(**{"text-evidence": 2}), rubric)
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == len(rubric.look_fors)
    assert back.score.notna().sum() == 1 and back.score.dropna().iloc[0] == 2
    assert "3.0" not in text    # whole numbers stay whole


@pytest.mark.parametrize("bad", [0, 5, "three", 2.5])
def test_scores_off_the_rubric_are_rejected_with_the_look_for_named(rubric, bad):
    with pytest.raises(ObservationError) as caught:
        to_tidy(_observation(**{"distributed-talk": bad}), rubric)
    assert "'distributed-talk'" in str(caught.value) and "1 to 4" in str(caught.value)
    assert "Ana Ruiz" in str(caught.value)


def test_unknown_look_for_in_scores_is_rejected(rubric):
    with pytest.raises(ObservationError, match="'charisma' is not a look-for"):
        to_tidy(_observation(charisma=3), rubric)


def test_observation_survives_a_dict_round_trip():
    obs = _observation(**{"text-evidence": 3})
    assert Observation.from_dict(obs.to_dict()) == obs


def test_from_dict_tolerates_null_extra_and_odd_entries():
    data = _observation().to_dict()
    data["notes"] = [{"time": "01:00", "text": "S2 asks", "look_for": None, "mood": "x"},
                     "not a note", None]
    data["colour"] = "blue"
    obs = Observation.from_dict(data)
    assert obs.notes == [Note("01:00", "S2 asks")]
    assert Observation.from_dict({"observer": "Ana", "notes": None, "scores": None}).notes == []


@pytest.mark.parametrize("broken", [{"observer": 5}, {"scores": [1, 2]}, ["a", "list"]])
def test_from_dict_rejects_fields_of_the_wrong_kind(broken):
    with pytest.raises(ObservationError, match="should|mapping"):
        Observation.from_dict(broken)


def test_elapsed_label_counts_minutes_past_an_hour():
    assert elapsed_label(0) == "00:00"
    assert elapsed_label(65.9) == "01:05"
    assert elapsed_label(75 * 60 + 2) == "75:02"


def test_note_stamp_is_clock_time_before_start_and_elapsed_after():
    now = dt.datetime(2026, 3, 4, 9, 14, 30).timestamp()
    assert note_stamp(now, None) == "09:14:30"
    assert note_stamp(now, now - 125) == "02:05"


# --- Printable form ------------------------------------------------------------------------

def test_printable_form_is_standalone_and_lists_every_look_for(rubric):
    episode = load_episode("voting-age-discussion")
    html = observation_form_html(rubric, episode)
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    assert not re.search(r"(src|href)=\"?(https?:)?//", html), "no outside resources"
    assert "<link" not in html and "<script" not in html
    for lf in rubric.look_fors:
        assert lf.name.replace("'", "&#x27;") in html
    assert html.count('<td class="box">') == len(rubric.look_fors) * len(rubric.levels)
    assert episode.notes[0][0] in html
    # The reference scores and their reasons come after the scoring, not on the form.
    assert episode.rationale["build-challenge"][:40] not in html


def test_printable_form_escapes_text(rubric):
    from dataclasses import replace
    odd = replace(rubric, name="Talk <script>alert(1)</script>")
    assert "<script>alert" not in observation_form_html(odd)


def test_the_form_with_an_episode_puts_its_notes_in_the_notes_table_to_tag(rubric):
    episode = load_episode("voting-age-discussion")
    html = observation_form_html(rubric, episode)
    episode_table = html.split('class="tlkit-form-notes tlkit-form-episode">', 1)[1].split(
        "</table>", 1)[0]
    # One row per note, each with its time, its text and an empty look-for cell to fill in.
    assert episode_table.count('<td class="tag"></td>') == len(episode.notes)
    assert all(f'<td class="time">{time}</td>' in episode_table for time, _text in episode.notes)
    assert 'scope="col" class="tag">Look-for</th>' in episode_table
    assert "<h2>Notes</h2>" not in html     # no second, blank notes table
    assert observation_form_html(rubric, episode, note_rows=3).count(
        '<td class="tag"></td>') == len(episode.notes) + 3
    assert observation_form_html(rubric).count('<td class="tag"></td>') == 14
