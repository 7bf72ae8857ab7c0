"""Planning widgets: the year planner, the readiness assessment with its heat map and action plan, and the course portfolio."""
