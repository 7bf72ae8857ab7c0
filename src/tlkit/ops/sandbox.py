"""Grading in a sandbox: a learner's notebook runs where it can harm nothing and read no key.

nbgrader runs every hand-in in a kernel it starts itself. Unconfined, that kernel would have
the grader's rights: the gradebook, the source notebooks (solutions, hidden tests), the other
learners' work, the network and the facilitator's environment. Here each kernel starts inside
bubblewrap (`bwrap`), which builds a fresh, nearly empty file system for it:

- readable: the Python install and the kit's own packages (read-only), and nothing of the
  course; writable: one temporary folder holding a copy of this learner's notebook folder;
- no network (a network namespace of its own: the kernel talks to the grader over Unix sockets,
  jupyter_client's "ipc" transport, in a folder bound into the sandbox);
- its own process namespace: it sees no other process, and when its grading ends every process
  it started ends too, even one started in a new session;
- a clean environment (no TLKIT_* or other settings of the facilitator's);
- limits on memory (address space), processes, CPU time and file size; when the grader runs as
  root the kernel runs as a user id of its own, without privileges, so the process limit holds.

The grading processes (tlkit.ops.grading_workers) stay outside; only they write grades.
`sandbox_problem()` says in one sentence why a sandbox cannot be made on this computer.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Integer

# A kernel that would run as root gets a user id of its own from this range (none of them is a
# real user): it then owns nothing outside its folder, and its process limit counts only it.
UID_BASE = 2_000_000_000
UID_SPAN = 100_000_000

UNSANDBOXED_OPTION = "--unsandboxed"
# How to grade anyway, named wherever grading refuses (nbgrader's own commands too).
UNSANDBOXED_COMMAND = "tlkit course autograde " + UNSANDBOXED_OPTION
# Each kernel's temporary folder: <temp>/tlkit-sandbox-<pid of the grading process>-<random>.
FOLDER_PREFIX = "tlkit-sandbox-"

# Set rlimits, give up root (when the sandbox started as root), then become the kernel.
# Runs inside the sandbox as its first program: `python -I -S -c _DROP spec kernel-cmd...`.
_DROP = """\
import json, os, resource, sys
spec = json.loads(sys.argv[1])
for name, value in spec["limits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
if spec["uid"] is not None:
    os.setgroups([])
    os.setgid(spec["uid"])
    os.setuid(spec["uid"])
os.execv(sys.argv[2], sys.argv[2:])
"""


class SandboxUnavailable(ValueError):
    """No sandbox can be made here; the message says why and what to do, in one sentence."""


def bwrap_command() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)


def _kit_folders() -> list[Path]:
    """Folders of the kit's own packages (an editable install keeps them outside the venv)."""
    import importlib.util

    found = []
    for name in ("tlkit", "tlkit.widgets", "tlkit.datasets"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for where in (spec.submodule_search_locations or []) if spec else []:
            found.append(Path(where).resolve())
    return found


def readable_folders() -> list[Path]:
    """What a kernel may read: the Python install, this environment and the kit's packages."""
    folders = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
               Path(os.path.realpath(sys.executable)).parent.parent}
    folders.update(_kit_folders())
    # Only the outermost of nested folders needs binding.
    ordered = sorted(folders, key=lambda p: len(p.parts))
    kept: list[Path] = []
    for folder in ordered:
        if folder.is_dir() and not any(folder.is_relative_to(k) for k in kept):
            kept.append(folder)
    return kept


# System folders a Python kernel needs (libraries, certificates are not needed: no network).
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
        "/etc/alternatives", "/etc/mime.types")


def _parents_args(path: Path, made: set[Path]) -> list[str]:
    # bwrap makes missing parent folders mode 0700; a kernel that is not root could not pass.
    args: list[str] = []
    for parent in reversed(path.parents):
        if parent == Path("/") or parent in made:
            continue
        made.add(parent)
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_args(folder: Path, workdir: Path, *, as_root: bool,
               hidden: list[Path] = ()) -> list[str]:
    """bwrap's options for a sandbox whose only writable folder is `folder`; nothing bound
    may hold a folder in `hidden` (the course, its build folder)."""
    hidden = [Path(h).resolve() for h in hidden]

    def holds_hidden(path: Path) -> bool:
        return any(h.is_relative_to(path) for h in hidden)

    args = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if as_root:
        # No user namespace: the kernel gives up root itself (_DROP), then has no capability.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    made: set[Path] = set()
    for name in _SYSTEM:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            if holds_hidden(path):
                raise SandboxUnavailable(f"The course is inside {name}, which every sandbox "
                                         "reads: move the course folder out of it.")
            args += ["--ro-bind", name, name]
    for name in _ETC:
        if os.path.exists(name):
            args += _parents_args(Path(name), made) + ["--ro-bind", name, name]
    for path in readable_folders():
        if str(path) in _SYSTEM or any(path.is_relative_to(s) for s in _SYSTEM):
            continue
        if holds_hidden(path):  # e.g. Python installed above the course: left out, not shown
            continue
        args += _parents_args(path, made) + ["--ro-bind", str(path), str(path)]
    args += ["--dev", "/dev", "--proc", "/proc"]
    args += _parents_args(folder, made) + ["--bind", str(folder), str(folder)]
    args += ["--remount-ro", "/", "--chdir", str(workdir)]
    return args


def kernel_environment(folder: Path) -> dict[str, str]:
    """The kernel's whole environment: nothing of the facilitator's, so no TLKIT_* setting."""
    home = folder / "home"
    env = {
        "HOME": str(home),
        "TMPDIR": str(folder / "tmp"),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        # One thread each: numerical libraries otherwise start a thread per core, and every
        # thread counts against the process limit and reserves address space.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        # ipykernel ends itself when its parent changes; inside the sandbox its parent is the
        # sandbox's first process (pid 1), which lives exactly as long as the kernel.
        "JPY_PARENT_PID": "1",
    }
    # nbgrader tells notebooks they are being graded; checks behave differently then.
    for name in ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING", "TZ"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def _tasks_of_this_user() -> int:
    """Processes and threads this user runs now (an unprivileged user's process limit counts
    them all, so a sandbox's limit is set above them)."""
    uid, count = os.getuid(), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines()
                          if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
        except (OSError, ValueError, KeyError):
            continue
    return count


_uids = 0


def sandbox_uid() -> int:
    """A user id for the next sandbox, not shared with any other sandbox running now."""
    global _uids
    _uids += 1
    return UID_BASE + ((os.getpid() * 64 + _uids % 64) % UID_SPAN)


def wrap(cmd: list[str], folder: Path, workdir: Path, *, memory: int, processes: int,
         cpu_seconds: int, file_bytes: int,
         hidden: list[Path] = ()) -> tuple[list[str], dict[str, str]]:
    """(command, environment) that run `cmd` sandboxed; `folder` must exist and is made the
    sandbox user's own; `hidden` as for bwrap_args."""
    bwrap = bwrap_command()
    if bwrap is None:
        raise SandboxUnavailable(sandbox_problem() or "bubblewrap is not installed.")
    as_root = os.geteuid() == 0
    uid = sandbox_uid() if as_root else None
    limits = {"RLIMIT_AS": memory, "RLIMIT_CPU": cpu_seconds, "RLIMIT_FSIZE": file_bytes,
              "RLIMIT_CORE": 0,
              "RLIMIT_NPROC": processes if as_root else _tasks_of_this_user() + processes}
    env = kernel_environment(folder)
    for sub in ("home", "tmp"):
        (folder / sub).mkdir(exist_ok=True)
    if uid is not None:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, uid, uid)
    full = [bwrap, *bwrap_args(folder, workdir, as_root=as_root, hidden=hidden), "--clearenv"]
    for name, value in env.items():
        full += ["--setenv", name, value]
    spec = json.dumps({"limits": limits, "uid": uid})
    full += ["--", sys.executable, "-I", "-S", "-c", _DROP, spec, *cmd]
    return full, env


@functools.lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """None when kernels can be sandboxed here, else one plain sentence saying why not."""
    if sys.platform != "linux":
        return ("Grading keeps each learner's notebook in a sandbox, which needs Linux and "
                "bubblewrap; on this computer grade with " + UNSANDBOXED_COMMAND + " only "
                "if you trust every hand-in.")
    if bwrap_command() is None:
        return ("Grading keeps each learner's notebook in a sandbox, made by bubblewrap (the "
                "bwrap command), which is not installed: install it (on Debian or Ubuntu, "
                "sudo apt-get install bubblewrap), or grade with " + UNSANDBOXED_COMMAND +
                " only if you trust every hand-in.")
    folder = Path(tempfile.mkdtemp(prefix="tlkit-sandbox-check-"))
    try:
        cmd, _ = wrap([sys.executable, "-I", "-S", "-c", "pass"], folder, folder,
                      memory=1 << 30, processes=16, cpu_seconds=10, file_bytes=1 << 20)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
        why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    except (OSError, subprocess.SubprocessError) as err:
        done, why = None, str(err)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done is not None and done.returncode == 0:
        return None
    return ("bubblewrap is installed but could not make a sandbox on this computer (" +
            why.rstrip(".") + "), as happens in a container that forbids new namespaces: "
            "allow them, or grade with " + UNSANDBOXED_COMMAND + " only if you trust "
            "every hand-in.")


def remove_folders_of(pid: int) -> None:
    """The sandbox folders a grading process left when it was stopped before it could."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}{pid}-*"):
        shutil.rmtree(folder, ignore_errors=True)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in a bubblewrap sandbox (see the module's notes)."""

    memory_limit = Integer(1 << 30, help="Bytes of address space each process of a learner's "
                           "kernel may use.").tag(config=True)
    process_limit = Integer(64, help="Processes and threads a learner's kernel may run at "
                            "once.").tag(config=True)
    cpu_limit = Integer(600, help="Seconds of processor time each process of a learner's "
                        "kernel may use.").tag(config=True)
    file_size_limit = Integer(256 << 20, help="Largest file, in bytes, a learner's kernel "
                              "may write.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        os.chmod(self._folder, 0o700)
        run = self._folder / "run"
        run.mkdir()
        # Unix sockets in the bound folder: the sandbox has no network, not even loopback.
        self.transport = "ipc"
        self.ip = str(run / "kernel")
        self.cache_ports = False
        self.connection_file = str(run / "kernel.json")

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A cell past its time limit is interrupted by a message: a signal would reach only the
        # sandbox's outer process, not the kernel inside it.
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        return kernel_cmd, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        work = self._folder / "work"
        source = kw.get("cwd")
        if source and Path(source).is_dir():
            # This learner's own folder only; links are copied as links, so one pointing at a
            # course file leads nowhere inside the sandbox.
            shutil.copytree(source, work, symlinks=True, dirs_exist_ok=True)
        else:
            work.mkdir(exist_ok=True)
        # nbgrader runs from the course folder; neither it nor the learner's folder (in the
        # build folder) may be inside anything the sandbox reads.
        hidden = [Path.cwd()] + ([Path(source)] if source else [])
        cmd, env = wrap(kernel_cmd, self._folder, work, memory=self.memory_limit,
                        processes=self.process_limit, cpu_seconds=self.cpu_limit,
                        file_bytes=self.file_size_limit, hidden=hidden)
        kw.update(cwd=str(self._folder), env=env, stdin=subprocess.DEVNULL,
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        await super()._async_launch_kernel(cmd, **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if not restart:
            shutil.rmtree(self._folder, ignore_errors=True)

    def __del__(self):
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        super().__del__()


class SandboxedExecute(Execute):
    """nbgrader's Execute step with each notebook's kernel in a sandbox.

    nbgrader_config.py puts it in the autograde steps, so every way of grading is contained:
    `tlkit course autograde`, the formgrader's Autograde button and `nbgrader autograde` typed
    by hand. Where no sandbox can be made it runs nothing and says why in one sentence."""

    def __init__(self, *args, **kwargs):
        # Execute names its kernel manager class this way too, over any configured one.
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        problem = sandbox_problem()
        if problem:
            # Logged first as nbgrader's own error line; nbgrader adds its traceback after.
            self.log.error(problem)
            raise SandboxUnavailable(problem)
        return super().preprocess(nb, resources, km)


def unsandboxed_steps(steps: list) -> list:
    """The autograde steps with the sandboxed step replaced by nbgrader's own Execute, for
    `tlkit course autograde --unsandboxed` (hand-ins the coordinator trusts)."""
    from traitlets.utils.importstring import import_item

    steps = [import_item(s) if isinstance(s, str) else s for s in steps]
    return [Execute if s is SandboxedExecute else s for s in steps]


def sandboxed_steps(steps: list) -> list:
    """nbgrader's autograde steps with Execute replaced by SandboxedExecute."""
    from nbconvert.preprocessors import ExecutePreprocessor
    from traitlets.utils.importstring import import_item

    out = []
    for step in steps:
        step = import_item(step) if isinstance(step, str) else step
        if step is Execute:
            step = SandboxedExecute
        elif isinstance(step, type) and issubclass(step, ExecutePreprocessor) and \
                not issubclass(step, SandboxedExecute):
            # A course's own way of running notebooks would run them unconfined.
            raise SandboxUnavailable(f"The course's nbgrader_config.py runs notebooks with "
                                     f"{step.__name__}, which the sandbox cannot wrap: use "
                                     "nbgrader's Execute there, or grade with "
                                     f"{UNSANDBOXED_COMMAND} only if you trust every hand-in.")
        out.append(step)
    return out
