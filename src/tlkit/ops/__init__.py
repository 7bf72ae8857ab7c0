"""Course operations through nbgrader: the learner's release, the roster, grading a cohort,
feedback and the cohort's progress report."""

# Seconds one learner's whole grading may take before it is stopped and the others go on
# (tlkit course autograde --learner-timeout): the course's notebooks grade in a second or two.
LEARNER_TIMEOUT = 600
