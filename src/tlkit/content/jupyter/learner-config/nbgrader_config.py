"""nbgrader settings for the learners' JupyterLab (its Validate button).

Validate runs the notebook in a kernel of its own, started inside the learners' JupyterLab. Like
the lab's own kernels, it talks over local sockets when they fit under Jupyter's runtime folder
(tlkit.serve.servers.lab_env makes one that fits), so ipykernel prints no "running over TCP
without encryption" warning in the terminal a teacher keeps open.
"""

from jupyter_core.paths import jupyter_runtime_dir

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

# The rule of tlkit.serve.servers.kernel_transport_args (a test checks they agree), written
# out: a file in content/ may not import the serve room.
SOCKET_NAME = "/kernel-00000000-0000-0000-0000-000000000000-ipc-4"
if len(jupyter_runtime_dir()) + len(SOCKET_NAME) <= 100:
    c.KernelManager.transport = "ipc"
