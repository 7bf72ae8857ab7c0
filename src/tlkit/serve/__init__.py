"""Serving the kit: JupyterLab for learners, Voila for facilitators, on 127.0.0.1."""
