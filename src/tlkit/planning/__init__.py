"""Planning a year of teacher-led learning: school calendars, designs, the planner's arithmetic and its constraints, and the plan as a chart, a table, CSV and a printable page."""
