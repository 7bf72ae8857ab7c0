"""Live-session widgets: the facilitator's view of a session and the participant's view."""
