"""nbgrader set-up for the tlkit course (this folder is the course root).

Authors write modules in modules/<id>/<id>.ipynb (with solutions and tests). Everything
nbgrader generates - the gradebook and the release/submitted/autograded/feedback folders -
goes into one build folder: <course root>/build, or the folder named by TLKIT_BUILD.
Run nbgrader from this folder, e.g. `nbgrader generate_assignment protocols`.
"""

import importlib.util
import os
import re
from pathlib import Path

import nbgrader
from nbconvert.preprocessors import TagRemovePreprocessor
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import IncludeHeaderFooter

from tlkit.settings import COURSE_ID, build_dir, exchange_dir

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD = str(build_dir(Path(COURSE_ROOT)))  # the one rule, shared with the kit (tlkit.settings)

# nbgrader builds regular expressions from these folder names without escaping them, so
# regex characters in a build path outside the course folder would silently match nothing.
if not BUILD.startswith(COURSE_ROOT + os.sep) and re.search(r"[][()*+?{}^$|\\]", BUILD):
    raise ValueError(
        f"TLKIT_BUILD={BUILD!r} contains brackets or other special characters that nbgrader "
        "cannot handle. Choose a folder whose path has no brackets and none of * + ? ^ $ |."
    )


def _step(name):
    # Inside the course folder, keep the name relative: nbgrader escapes the root for us.
    path = os.path.join(BUILD, name)
    if path.startswith(COURSE_ROOT + os.sep):
        return os.path.relpath(path, COURSE_ROOT)
    return path


os.makedirs(BUILD, exist_ok=True)  # sqlite creates the gradebook file, not its folder
c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.source_directory = "modules"
c.CourseDirectory.release_directory = _step("release")
c.CourseDirectory.submitted_directory = _step("submitted")
c.CourseDirectory.autograded_directory = _step("autograded")
c.CourseDirectory.feedback_directory = _step("feedback")
c.CourseDirectory.solution_directory = _step("solution")
c.CourseDirectory.source_with_tests_directory = _step("source_with_tests")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(BUILD, "gradebook.db")

# Facilitator notes (cells tagged "facilitator") never reach learners. They are removed
# first, before nbgrader locks cells and computes checksums, so the gradebook describes
# exactly the notebook that learners receive.
_chain = GenerateAssignment.class_traits()["preprocessors"].default()
_chain.insert(_chain.index(IncludeHeaderFooter) + 1, TagRemovePreprocessor)
# Then the learner's view: the code of answer cells only; widget and check cells show what they
# show, with their code folded away (tlkit.ops.learner_view). Before cells are locked and their
# checksums computed, since it changes their first line.
from tlkit.ops.learner_view import HideCode  # noqa: E402

_chain.insert(_chain.index(TagRemovePreprocessor) + 1, HideCode)
c.GenerateAssignment.preprocessors = _chain
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {"facilitator"}

# Seconds a single cell may run while autograding before it counts as failed; graded cells
# are small pandas exercises, so a minute means something is stuck (e.g. waiting on input).
c.ExecutePreprocessor.timeout = 60

# Once a notebook has run, its kernel has nothing left to do: stop it at once instead of asking
# it to shut down and waiting (about 0.3 s less per submission when grading).
c.ExecutePreprocessor.shutdown_kernel = "immediate"

# The kit's modules have no code answers (learners answer in forms and reflection boxes); this
# is for a course's own module that asks for one. In the learner's copy its answer region
# becomes this comment instead of nbgrader's default `raise NotImplementedError()`: give the
# answer cell a blank template (empty quotes, None) that its checks reject, so a teacher never
# has to delete a line of code.
c.ClearSolutions.code_stub = {"python": "# Type your answer in the lines above, then run this cell."}

# The exchange (where released modules wait for learners and their submissions arrive) is a
# folder in the build folder on one machine, or the shared folder TLKIT_EXCHANGE names on a hub.
c.Exchange.root = str(exchange_dir(Path(BUILD)))

# While autograding, cells that only show a widget (`from tlkit.widgets import ...` and calls
# of what it imported) are not run: no graded cell needs them, and they cost most of a
# submission's grading time (tlkit.ops.autograde_skip).
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

from tlkit.ops.autograde_skip import SkipWidgetCells  # noqa: E402

from tlkit.ops.nbgrader_api import restore_env_after_grading  # noqa: E402

# A notebook whose grading fails must not leave this process acting as if it still graded.
restore_env_after_grading()

_grading = Autograde.class_traits()["autograde_preprocessors"].default()
_grading.insert(_grading.index(Execute), SkipWidgetCells)

# Every learner's notebook runs in a sandbox of its own (tlkit.ops.sandbox), however grading
# starts: `tlkit course autograde`, the formgrader's Autograde button or `nbgrader autograde`
# typed here. Where no sandbox can be made, grading stops with one sentence saying why;
# `tlkit course autograde --unsandboxed` grades anyway, for hand-ins you trust.
from tlkit.ops.sandbox import SandboxedExecute  # noqa: E402

_grading[_grading.index(Execute)] = SandboxedExecute

# A form activity's score and a reflection's text come from the answers file the learner
# handed in, read here in this process after the notebook ran: whatever the learner's kernel
# printed for those cells is replaced before nbgrader saves the grades (tlkit.ops.form_scores).
from nbgrader.preprocessors import SaveAutoGrades  # noqa: E402

from tlkit.ops.form_scores import ScoreForms  # noqa: E402

_grading.insert(_grading.index(SaveAutoGrades), ScoreForms)

# The formgrader shows each autograded notebook in your own Jupyter session, so nothing a
# learner wrote may become markup or script there (tlkit.ops.formgrade_view): the autograded
# notebook keeps only plain-text outputs; when a page is drawn, outputs are made plain again
# and Markdown shows any HTML as typed; no maths renderer is fetched from a CDN (the kit's
# modules have no maths). The formgrader's pages also carry a policy that lets only its own
# scripts run (tlkit.serve.formgrader_policy, in the facilitator's JupyterLab settings).
from tlkit.ops.formgrade_view import PlainOutputs  # noqa: E402

_grading.insert(_grading.index(SaveAutoGrades) + 1, PlainOutputs)
c.Autograde.autograde_preprocessors = _grading
c.HTMLExporter.preprocessors = ["tlkit.ops.formgrade_view.SafeSubmission"]
c.HTMLExporter.filters = {"markdown2html": "tlkit.ops.formgrade_view.markdown_as_text"}
# nbgrader's formgrade and feedback templates, with the kit's empty maths macro found first.
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(importlib.util.find_spec("tlkit.content").submodule_search_locations[0],
                 "jupyter", "nbconvert"),
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader",
                 "templates"),
]

# Feedback pages show no check's code (hidden tests included) and run nothing a learner wrote:
# outputs as plain text, no script, a policy that blocks any, nothing from a CDN
# (tlkit.ops.feedback).
c.GenerateFeedback.exporter_class = "tlkit.ops.feedback.FeedbackHTMLExporter"

# Limits for each learner's notebook while it is graded in its sandbox
# (tlkit.ops.sandbox): bytes of address space per process, processes and threads at once,
# seconds of processor time per process, bytes in the largest file it may write.
c.SandboxedKernelManager.memory_limit = 1 << 30
c.SandboxedKernelManager.process_limit = 64
c.SandboxedKernelManager.cpu_limit = 600
c.SandboxedKernelManager.file_size_limit = 256 << 20
