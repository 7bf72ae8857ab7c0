"""nbgrader's multi-user set-up on a hub: install as /etc/jupyter/nbgrader_config.py.

Every single-user server reads it, with the kit's own settings (tlkit.settings). Learners and
the facilitator share one exchange folder (TLKIT_EXCHANGE, which the image and the hub set to
/srv/nbgrader/exchange: mode 1777 on TLJH, a shared volume on Kubernetes). On Kubernetes every
server runs as the same system user (jovyan), so a learner's submissions are filed under their
hub name (JUPYTERHUB_USER); the facilitator's server (TLKIT_ROLE=facilitator, set by the hub)
starts in the course folder, whose own nbgrader_config.py adds the course's build folders and
gradebook.
"""

import os

from tlkit.settings import COURSE_ID, exchange_dir, role

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = COURSE_ID
c.Exchange.root = str(exchange_dir())

if role() != "facilitator":
    # A learner only fetches, submits and fetches feedback: no formgrader, no course list.
    user = os.environ.get("JUPYTERHUB_USER")
    if user:
        c.CourseDirectory.student_id = user
