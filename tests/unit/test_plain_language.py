"""Learner text in every module reads at Flesch-Kincaid grade 11 or below."""

from __future__ import annotations

import pytest
from plain_language import fk_grade, learner_text, syllables

from tlkit.course.manifest import module_ids
from tlkit.course.module import module_path

BAR = 11.0


@pytest.mark.parametrize("module", module_ids())
def test_learner_text_is_plain(module):
    grade = fk_grade(learner_text(module_path(module)))
    assert grade <= BAR, (f"The learner text of {module} reads at grade {grade:.1f}; keep it at "
                          f"{BAR:g} or below: shorter sentences, everyday words.")


def test_the_measure_tells_plain_from_dense_text():
    plain = "Read the plan. Then try it with your team. Say what you saw."
    dense = ("Institutionalized collaborative professional learning necessitates organizational "
             "infrastructure accommodating differentiated developmental trajectories.")
    assert fk_grade(plain) < 5 < 15 < fk_grade(dense)


def test_syllables_of_common_words():
    assert [syllables(w) for w in ("team", "protocol", "observation", "made")] == [1, 3, 4, 1]
