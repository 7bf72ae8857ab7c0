"""Practice widgets: protocol runner, feedback sorter, observation notes, calibration view."""
