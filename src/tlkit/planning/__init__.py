"""Planning tools: the readiness assessment of a district or school, its heat map and action plan."""
