"""SurveyExplorer: pick a survey, a question, a grouping and a view; see the chart (with a
table of the same figures) and download both for a staff meeting. A learner can also load
their own survey export (CSV) and explore it the same way.

A thin view over tlkit.explore: the explorer computes, hides small groups and draws; this
only wires menus to it. The menus' choices are kept as an ExplorerRecord.
"""

from __future__ import annotations

import io
from html import escape

import ipywidgets as widgets

from tlkit.charts import chart_html, to_png, to_svg
from tlkit.explore import GROUPINGS, VIEWS, ExploreError, explore, network_surveys
from tlkit.explore.charts import figure
from tlkit.explore.own import CODEBOOKS, OWN, own_survey
from tlkit.store import ExplorerRecord, Keeper, Store, default_store
from tlkit.widgets.common import download_link, keeper_notice, message_html

THRESHOLDS = (5, 10, 20, 30)
_STYLE = {"description_width": "13em"}
_WIDE = widgets.Layout(width="44em")


class SurveyExplorer(widgets.VBox):
    """The explorer. `survey`, `item`, `grouping`, `view`, `threshold`: what it opens on
    (a saved choice wins when `state_key` is given). `own_file`: show the box for loading a
    school's own survey export."""

    def __init__(self, survey: str = "tl_survey_spring", item: str | None = None,
                 grouping: str = "org", view: str = "percent", threshold: int = 10, *,
                 own_file: bool = True, state_key: str | None = None,
                 store: Store | None = None):
        self.surveys = dict(network_surveys())
        self.state_key = state_key
        self.store = store or default_store()
        self.result = None
        self.figure = None
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-explorer-save-status")
        # Small choices: a store that cannot save at first is tried again on every change.
        self._keeper = Keeper(self.store, state_key, ExplorerRecord, keep_trying=True)
        saved = self._restore() if state_key else {}
        start = {"survey": survey, "item": item, "grouping": grouping, "view": view,
                 "threshold": threshold, **saved}
        if start["survey"] not in self.surveys:
            start["survey"] = survey if survey in self.surveys else "tl_survey_spring"

        self.survey_menu = widgets.Dropdown(description="Survey", style=_STYLE, layout=_WIDE)
        self.item_menu = widgets.Dropdown(description="Question", style=_STYLE, layout=_WIDE)
        self.grouping_menu = widgets.Dropdown(description="Group by", style=_STYLE,
                                              layout=_WIDE)
        self.view_menu = widgets.Dropdown(description="View", style=_STYLE, layout=_WIDE,
                                          options=[(label, v) for v, label in VIEWS.items()])
        self.threshold_menu = widgets.Dropdown(
            description="Smallest group shown", style=_STYLE, layout=_WIDE,
            options=[(f"{t} people" + (" (the most common rule)" if t == 10 else ""), t)
                     for t in THRESHOLDS])
        for menu, name in ((self.survey_menu, "survey"), (self.item_menu, "item"),
                           (self.grouping_menu, "grouping"), (self.view_menu, "view"),
                           (self.threshold_menu, "threshold")):
            menu.add_class(f"tlkit-explorer-{name}")
        self._quiet = True
        self._fill_surveys()
        self.survey_menu.value = start["survey"]
        self._fill_menus(start.get("item"), start.get("grouping"))
        self.view_menu.value = start["view"] if start["view"] in VIEWS else "percent"
        self.threshold_menu.value = (start["threshold"] if start["threshold"] in THRESHOLDS
                                     else 10)
        self._quiet = False
        self.survey_menu.observe(self._survey_changed, names="value")
        for menu in (self.item_menu, self.grouping_menu, self.view_menu, self.threshold_menu):
            menu.observe(lambda _change: self.update(), names="value")

        self.message = widgets.HTML()
        self.message.add_class("tlkit-explorer-message")
        self.chart = widgets.HTML()
        self.chart.add_class("tlkit-explorer-chart")
        self.notes = widgets.HTML()
        self.notes.add_class("tlkit-explorer-notes")
        # Files are drawn when asked for: each menu change then draws the chart once.
        self.download_button = widgets.Button(description="Get the chart and table as files",
                                              layout=widgets.Layout(width="22em"))
        self.download_button.add_class("tlkit-explorer-download-button")
        self.download_button.on_click(lambda _b: self.prepare_downloads())
        self.downloads = widgets.HTML()
        self.downloads.add_class("tlkit-explorer-downloads")

        parts = [widgets.HTML("<h3 style='font-size:1.4em'>Survey explorer</h3>"),
                 self.save_status, self.survey_menu, self.item_menu, self.grouping_menu,
                 self.view_menu, self.threshold_menu, self.message, self.chart, self.notes,
                 self.download_button, self.downloads]
        if own_file:
            parts.append(self._own_file_box())
        super().__init__(parts)
        self.add_class("tlkit-survey-explorer")
        self.update(save=False)

    # --- menus -------------------------------------------------------------------------------

    def _fill_surveys(self) -> None:
        self.survey_menu.options = [(s.title, name) for name, s in self.surveys.items()]

    def _fill_menus(self, item: str | None = None, grouping: str | None = None) -> None:
        survey = self.surveys[self.survey_menu.value]
        self.item_menu.options = [(_short(i.question), c) for c, i in survey.items.items()]
        self.item_menu.value = item if item in survey.items else next(iter(survey.items))
        self.grouping_menu.options = [(GROUPINGS[g], g) for g in GROUPINGS
                                      if g in survey.groupings]
        groupings = list(survey.groupings)
        self.grouping_menu.value = grouping if grouping in groupings else groupings[0]

    def _survey_changed(self, _change) -> None:
        self._quiet = True
        self._fill_menus(self.item_menu.value, self.grouping_menu.value)
        self._quiet = False
        self.update()

    def choices(self) -> dict:
        return {"survey": self.survey_menu.value, "item": self.item_menu.value,
                "grouping": self.grouping_menu.value, "view": self.view_menu.value,
                "threshold": self.threshold_menu.value}

    # --- showing -----------------------------------------------------------------------------

    def update(self, save: bool = True) -> None:
        if self._quiet:
            return
        c = self.choices()
        try:
            self.result = explore(self.surveys, c["survey"], c["item"], c["grouping"],
                                  c["view"], threshold=c["threshold"])
        except ExploreError as err:
            self.result = self.figure = None
            self.message.value = message_html(str(err), "problem")
            self.chart.value = self.notes.value = self.downloads.value = ""
        else:
            self.message.value = ""
            self.figure = figure(self.result)
            table = [[group, *row] for group, row in zip(self.result.table.index,
                                                         self.result.table.to_numpy())]
            header = [GROUPINGS.get(self.result.grouping, ""), *self.result.table.columns]
            self.chart.value = chart_html(self.figure, self.result.text(), table, header,
                                          self.result.caption)
            self.notes.value = ("<ul style='font-size:0.95em'>" + "".join(
                f"<li>{escape(n)}</li>" for n in self.result.notes) + "</ul>")
            self.downloads.value = ""
        if save and self.state_key and c["survey"] != OWN:
            self._save()

    def exports(self) -> dict[str, bytes]:
        """The current chart and table as files: name -> content (PNG, SVG, CSV)."""
        if self.result is None:
            return {}
        stem = _file_stem(self.choices())
        return {f"{stem}.png": to_png(self.figure), f"{stem}.svg": to_svg(self.figure).encode(),
                f"{stem}.csv": self.result.csv().encode("utf-8-sig")}

    def prepare_downloads(self) -> None:
        """Links that save the current chart (PNG, SVG) and table (CSV) from the browser."""
        self.downloads.value = self._download_links() if self.result is not None else ""

    def _download_links(self) -> str:
        kinds = {"png": ("image/png", "the chart as a picture (PNG)"),
                 "svg": ("image/svg+xml", "the chart for printing (SVG)"),
                 "csv": ("text/csv", "the table for a spreadsheet (CSV)")}
        links = []
        for name, content in self.exports().items():
            mime, what = kinds[name.rsplit(".", 1)[1]]
            links.append(download_link(content, name, mime, f"Download {what}",
                                       style="margin-right:1.5em"))
        return ("<p style='font-size:1em'>For a staff meeting: " + " ".join(links) + "</p>")

    # --- a school's own survey ---------------------------------------------------------------

    def _own_file_box(self) -> widgets.VBox:
        self.codebook_menu = widgets.Dropdown(
            description="Check against", style=_STYLE, layout=_WIDE,
            options=[(label, name) for name, label in CODEBOOKS.items()])
        self.codebook_menu.add_class("tlkit-explorer-codebook")
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv", multiple=False,
                                         description="Choose your CSV file")
        self.upload.add_class("tlkit-explorer-upload")
        self.upload.observe(self._uploaded, names="value")
        self.own_report = widgets.HTML()
        self.own_report.add_class("tlkit-explorer-own-report")
        intro = widgets.HTML(
            "<h4 style='font-size:1.15em'>Your own school's survey</h4><p>Export the responses "
            "from Google Forms or Microsoft Forms as a CSV file, choose which of the kit's "
            "question sets your form used, then choose the file. Your file is only read, never "
            "changed; a problem is listed with its row and column.</p>")
        return widgets.VBox([intro, self.codebook_menu, self.upload, self.own_report])

    def _uploaded(self, change) -> None:
        if not change["new"]:
            return
        upload = change["new"][0]
        source = io.BytesIO(bytes(upload["content"]))
        source.name = upload["name"]
        self.load_own(source)
        self.upload.value = ()    # so the same file, once fixed, can be chosen again

    def load_own(self, source, codebook: str | None = None) -> None:
        """Read a school's own export (a path or an open file) and explore it."""
        own = own_survey(source, codebook or self.codebook_menu.value)
        kind = "problem" if own.survey is None else ("warning" if own.problems else "info")
        self.own_report.value = message_html(own.summary, kind,
                                             items=own.problems + own.notes)
        if own.survey is None:
            return
        self.surveys[OWN] = own.survey
        self._quiet = True
        self._fill_surveys()
        self.survey_menu.value = OWN
        self._fill_menus(self.item_menu.value, self.grouping_menu.value)
        if self.view_menu.value == "change":
            self.view_menu.value = "percent"
        self._quiet = False
        self.update()

    # --- saved choices -----------------------------------------------------------------------

    def _restore(self) -> dict:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier choices",
                                               "The explorer opens on its first chart.")
        return dict(saved.choices) if saved else {}

    def _save(self) -> None:
        self._keeper.save(ExplorerRecord(self.choices()))    # this page's choices win
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved


def _short(question: str, width: int = 80) -> str:
    return question if len(question) <= width else question[: width - 1] + "…"


def _file_stem(choices: dict) -> str:
    parts = [choices["survey"], choices["item"], choices["grouping"], choices["view"]]
    return "-".join(str(p).replace("_", "-") for p in parts)
