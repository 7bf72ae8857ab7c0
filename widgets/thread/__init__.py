"""Between-session reflection threads: the facilitator's page and the learner's panel."""
