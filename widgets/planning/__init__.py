"""Planning widgets: the readiness assessment with its heat map and action plan, and the course portfolio."""
