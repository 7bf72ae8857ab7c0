"""nbgrader's multi-user set-up on a hub: install as /etc/jupyter/nbgrader_config.py.

Every single-user server reads it. Learners and the facilitator share one exchange folder
(TLKIT_EXCHANGE, default /srv/nbgrader/exchange: mode 1777 on TLJH, a shared volume on
Kubernetes). On Kubernetes every server runs as the same system user (jovyan), so a learner's
submissions are filed under their hub name (JUPYTERHUB_USER); the facilitator's server
(TLKIT_ROLE=facilitator, set by the hub) starts in the course folder, whose own
nbgrader_config.py adds the course's build folders and gradebook.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = "tlkit"
c.Exchange.root = os.environ.get("TLKIT_EXCHANGE", "/srv/nbgrader/exchange")

if os.environ.get("TLKIT_ROLE", "learner") != "facilitator":
    # A learner only fetches, submits and fetches feedback: no formgrader, no course list.
    user = os.environ.get("JUPYTERHUB_USER")
    if user:
        c.CourseDirectory.student_id = user
