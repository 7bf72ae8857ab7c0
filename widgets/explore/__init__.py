"""The survey explorer: choose a survey, a question, a grouping and a view; see the chart and the table; export them."""
