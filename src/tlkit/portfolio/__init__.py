"""The course portfolio: the learner's own saved work gathered from every module, as one printable page."""
