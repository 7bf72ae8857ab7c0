"""Course operations through nbgrader: the learner's release, checking submissions."""
