"""The planning widgets: the year planner."""
