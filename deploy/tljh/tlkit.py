"""The kit on The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/tlkit.py.

TLJH runs each person's server as their own system user (jupyter-<name>), so the file
permissions set in deploy/README.md keep learners out of the course source and out of each
other's homes. This file gives each server its role:

- facilitators (the hub group "facilitators") start in the course folder /srv/tlkit/course,
  with the formgrader, the facilitator views and the gradebook;
- learners start in their own home with the learner settings (staff panels hidden, no
  announcements) and only fetch, submit and read feedback through the shared exchange.

With LIVE_DB set, the live sessions' participant page runs as the hub service "live" at
<hub address>/services/live/: people in the room join a live session from their own phones
and laptops with no hub account, and only through that page (it cannot run, end, export or
delete a session, nor show anyone's name). Set PUBLIC_URL so the facilitator's live-session
page shows that address.
"""

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

COURSE = "/srv/tlkit/course"
SETTINGS = "/opt/tlkit/jupyter"          # deploy/jupyter/ copied here
EXCHANGE = "/srv/nbgrader/exchange"
FACILITATORS = {"facilitator"}            # hub names; keep in step with users.admin

# Where the live-session database is configured: one PostgreSQL for every kernel on the hub
# (see README.md, Live sessions). Leave unset on one server to use a SQLite file per person.
LIVE_DB = ""  # e.g. "postgresql://tlkit@127.0.0.1:5432/tlkit_live"
PUBLIC_URL = ""  # the hub's address as people type it, e.g. "https://pd.example.org"
ROOM_PORT = 8870  # where the participant page listens, on 127.0.0.1 behind the hub's proxy
# Video clips of practice for between-session reflection threads: facilitators put the
# partner's files here; the service serves them to the thread's people (readable by nobody).
CLIPS = "/srv/tlkit/clips"

c.JupyterHub.load_groups = {"facilitators": {"users": sorted(FACILITATORS)}}

if LIVE_DB:
    # The hub starts it, stops it and routes /services/live/ to it; it runs as `nobody`.
    c.JupyterHub.services.append({
        "name": "live",
        "url": f"http://127.0.0.1:{ROOM_PORT}",
        "command": ["/opt/tljh/user/bin/python", "-m", "tlkit.room"],
        "environment": {"TLKIT_LIVE_DB": LIVE_DB, "TLKIT_CLIPS_DIR": CLIPS, "HOME": "/tmp"},
        "user": "nobody",
    })


def _role(spawner):
    return "facilitator" if spawner.user.name in FACILITATORS else "learner"


def pre_spawn_hook(spawner):
    role = _role(spawner)
    spawner.environment.update({
        "TLKIT_ROLE": role,
        "TLKIT_EXCHANGE": EXCHANGE,
        "JUPYTER_CONFIG_PATH": f"{SETTINGS}/{role}",
    })
    if LIVE_DB:
        spawner.environment["TLKIT_LIVE_DB"] = LIVE_DB
        spawner.environment["TLKIT_CLIPS_DIR"] = CLIPS
        if PUBLIC_URL:
            spawner.environment["TLKIT_ROOM_URL"] = PUBLIC_URL.rstrip("/") + "/services/live/"
    if role == "facilitator":
        # nbgrader's formgrader needs the course folder inside the server's root.
        spawner.notebook_dir = COURSE
        spawner.environment["TLKIT_COURSE_ROOT"] = COURSE
    else:
        spawner.notebook_dir = "~"
        spawner.environment["TLKIT_WORKSPACE"] = spawner.environment.get("HOME", "~")


c.Spawner.pre_spawn_hook = pre_spawn_hook
