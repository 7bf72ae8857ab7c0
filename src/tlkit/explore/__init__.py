"""The survey explorer's logic: distributions, percent agree and change by group, with small groups hidden, charts and exports.

    from tlkit.explore import network_surveys, explore
    surveys = network_surveys()
    result = explore(surveys, "teacher_survey_eoy", "q_coaching_helped", "org", "percent")
    result.table        # what to show: small groups hidden, with the reason
    result.csv()        # the same table for a spreadsheet
"""

from tlkit.explore.survey import (GROUPINGS, VIEWS, ExploreError, Result, Survey, explore,
                                  network_surveys, survey_from_frame)

__all__ = ["GROUPINGS", "VIEWS", "ExploreError", "Result", "Survey", "explore",
           "network_surveys", "survey_from_frame"]
