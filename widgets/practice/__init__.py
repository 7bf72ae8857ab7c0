"""Practice widgets: protocol runner and presenter, feedback sorter, observation notes, calibration view, self-assessment, session audit, question workshop, coaching log."""
