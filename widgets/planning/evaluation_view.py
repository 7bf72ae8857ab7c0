"""EvaluationView: the facilitator's page of the course's evaluation and its PD hours.

A thin view over tlkit.evaluation: the four levels with their n and what was hidden, the
student-outcomes sentence, and two actions that write files into the course's evaluation
folder (the printable report and its CSV; the hours ledger and the certificates), each also
offered as a download. The data is this course's records, or the synthetic network's cohorts
(the demo) where the course has no cohort yet or the facilitator chooses it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as widgets

from tlkit.data.csv_text import write_rows
from tlkit.data.suppression import DEFAULT_THRESHOLD
from tlkit.evaluation import certificates, hours, levels, report, sources
from tlkit.evaluation.follow_up import add_shared_file
from tlkit.evaluation.inputs import EvaluationInputError
from tlkit.printables.page_style import fragment_style
from tlkit.widgets.common import download_link, message_html

SCOPE = ".tlkit-evaluation"
COURSE, DEMO = "course", "demo"
SHARED_FILES = [("Follow-up survey answers", "follow_up"),
                ("Self-assessments, start and end", "self_assessment"),
                ("Readiness checks, two times", "readiness"),
                ("Peer observations", "observations"),
                ("Exit tickets (from elsewhere)", "exit_tickets"),
                ("Module results (from elsewhere)", "module_results")]
_CSS = report.CSS.replace("body {", f"{SCOPE} {{").replace("\n.", f"\n{SCOPE} .")


class EvaluationView(widgets.VBox):
    def __init__(self, root: Path | str | None = None, *, live=None, source: str | None = None):
        from tlkit.settings import course_root

        self.root = Path(root) if root else course_root()
        self.live = live
        self.source = widgets.ToggleButtons(
            options=[("This course's records", COURSE), ("Demo: synthetic network", DEMO)],
            description="Data:", tooltips=["The gradebook, live sessions and shared files",
                                           "Made-up cohorts at a network's scale"])
        self.report_button = widgets.Button(description="Write the report and its CSV",
                                            layout=widgets.Layout(width="auto"))
        self.report_button.on_click(lambda _b: self.write_report())
        self.certificates_button = widgets.Button(
            description="Make the hours ledger and certificates", button_style="primary",
            layout=widgets.Layout(width="auto"))
        self.certificates_button.on_click(lambda _b: self.make_certificates())
        self.kind = widgets.Dropdown(options=SHARED_FILES, description="The file holds",
                                     style={"description_width": "initial"})
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv", multiple=False,
                                         description="Add a shared file (CSV)")
        self.upload.observe(self._uploaded, names="value")
        self.message = widgets.HTML()
        self.body = widgets.HTML()
        self.body.add_class("tlkit-evaluation-levels")
        self._levels: list = []
        self._about = ""
        super().__init__([self.source, self.message, self.body,
                          widgets.HBox([self.report_button, self.certificates_button]),
                          widgets.HBox([self.kind, self.upload])])
        self.add_class("tlkit-evaluation-view")
        self.source.value = source or (COURSE if self._has_cohort() else DEMO)
        if source is None and self.source.value == DEMO:
            self.message.value = message_html(
                "This course has no cohort yet (no gradebook), so the page shows the demo: "
                "the synthetic network's cohorts. Run tlkit course init and add a roster to "
                "evaluate your own.")
        self.source.observe(lambda _c: self.show(), names="value")
        self.show(keep_message=True)

    def _has_cohort(self) -> bool:
        return sources.has_gradebook(self.root)

    def show(self, keep_message: bool = False) -> None:
        if not keep_message:
            self.message.value = ""
        try:
            if self.source.value == DEMO:
                tables = sources.demo_tables()
                self._about = ("Demo: synthetic data for the network's teacher leaders, one "
                               "cohort per partner organisation. No real person is in it.")
            elif not self._has_cohort():
                self.message.value = message_html(
                    "This course has no cohort yet: run tlkit course init and add a roster "
                    "(tlkit course roster FILE.csv), then come back.", "warning")
                self.body.value, self._levels = "", []
                return
            else:
                tables = sources.course_tables(self.root, live=self.live)
                self._about = ("This course's records: live sessions' exit tickets, the "
                               "gradebook, and the files shared in the evaluation folder.")
        except (EvaluationInputError, ValueError, OSError) as err:
            self.message.value = message_html(str(err), "problem")
            self.body.value = ""
            self._levels = []
            return
        self._levels = levels.evaluate(tables)
        self.body.value = (f"<div class='{SCOPE[1:]}'>{fragment_style(SCOPE)}<style>{_CSS}"
                           f"</style><p>{escape(self._about)}</p>"
                           f"{report.levels_html(self._levels, DEFAULT_THRESHOLD)}</div>")

    def _uploaded(self, change) -> None:
        files = change["new"]
        if files:
            self.add_file(bytes(files[0]["content"]))

    def add_file(self, content: bytes) -> bool:
        """Check a shared CSV as the kind chosen and keep it in the evaluation folder."""
        try:
            rows, path = add_shared_file(sources.evaluation_dir(self.root), self.kind.value,
                                         content)
        except EvaluationInputError as err:
            self.message.value = message_html(str(err), "problem")
            return False
        if self.source.value == COURSE:
            self.show()
        counted = ("They are counted below." if self.source.value == COURSE else
                   "Choose \"This course's records\" to see them counted.")
        self.message.value = message_html(f"Added: {path.name} now holds {rows} rows. "
                                          f"{counted}")
        return True

    def write_report(self) -> list[Path]:
        if not self._levels:
            self.message.value = message_html("There is nothing to write yet.", "warning")
            return []
        folder = sources.evaluation_dir(self.root) / "report"
        written = report.write_report(self._levels, folder, title="Evaluation of the course",
                                      about=self._about, threshold=DEFAULT_THRESHOLD)
        self.message.value = message_html(
            f"The report is in {folder}: open evaluation.html and print it from the browser.",
            items=[p.name for p in written]) + download_link(
                written[1].read_text(encoding="utf-8"), "evaluation.csv", "text/csv",
                "Download the evaluation (CSV)")
        return written

    def make_certificates(self) -> list[Path]:
        if self.source.value == DEMO or not self._has_cohort():
            self.message.value = message_html(
                "Certificates are made from this course's own records: choose \"This "
                "course's records\" first.", "warning")
            return []
        try:
            ledger, rules = sources.course_ledger(self.root, live=self.live)
        except (ValueError, OSError) as err:
            self.message.value = message_html(str(err), "problem")
            return []
        key = certificates.certificate_key(sources.evaluation_dir(self.root))
        made = certificates.certificates(ledger, rules, key)
        folder = sources.evaluation_dir(self.root) / "certificates"
        written = certificates.write_certificates(made, folder)
        ledger_csv = write_rows(ledger.rows(), hours.LEDGER_HEADER)
        (folder / "hours-ledger.csv").write_text(ledger_csv, encoding="utf-8")
        not_yet = [f"{l.name}: {'; '.join(ledger.completions[l.id].missing)}"
                   for l in ledger.learners if not ledger.completions[l.id].complete]
        self.message.value = (
            message_html(f"{len(made)} of {len(ledger.learners)} learners completed the "
                         f"course. Their certificates are in {folder}, one page each to "
                         "print, with certificates.csv and hours-ledger.csv. These name "
                         "learners: keep them to facilitators and the district's records.",
                         items=not_yet + ledger.notes)
            + download_link(certificates.certificates_csv(made), "certificates.csv",
                            "text/csv", "Download the certificates (CSV)")
            + " " + download_link(ledger_csv, "hours-ledger.csv", "text/csv",
                                  "Download the hours ledger (CSV)"))
        return written
