"""CalibrationView: a facilitator enters (or uploads) everyone's scores for one episode and
compares them with the reference and with each other.

A thin view over tlkit.practice.calibration. Entered scores are saved on every change as a
CalibrationRecord, so a reload keeps them; two pages on the same grid merge row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets
import pandas as pd

from tlkit.practice.calibration import (MAX_OBSERVERS, PAIR_DETAIL_LIMIT, SOURCES,
                                       CalibrationError, CalibrationReport, ScoreRow,
                                       check_scores, compare, kappa_bands, merge_score_rows,
                                       percent, read_scores_csv, scores_from_rows)
from tlkit.practice.observation import DEFAULT_RUBRIC, load_episode, load_rubric
from tlkit.store import CalibrationRecord, Keeper, Store, default_store
from tlkit.widgets.common import keeper_notice, message_html

DEFAULT_EPISODE = "voting-age-discussion"
_CELL = "8.5em"
# A label that takes no room but stays in the accessibility tree (display:none would not).
_HIDDEN_LABEL = {"description_width": "0px"}


class _ObserverRow(widgets.HBox):
    """One observer: a name box and a score dropdown per look-for (blank allowed).

    The column headings name the boxes for sighted users; a screen reader gets the same from
    each box's description ("Evidence score for Observer A"), kept in a zero-width label: an
    empty description would hide ipywidgets' <label for> and leave the box unnamed.
    `labels`: the look-fors' short names, in the order of `look_for_ids`.
    """

    def __init__(self, name: str, look_for_ids: Sequence[str], options: list, on_change,
                 labels: Sequence[str] = ()):
        self.name = widgets.Text(value=name, description="Observer name",
                                 style=_HIDDEN_LABEL, layout=widgets.Layout(width="11em"))
        self.name.add_class("tlkit-calibration-name")
        self.boxes = {}
        self._labels = dict(zip(look_for_ids, labels or look_for_ids))
        for lf_id in look_for_ids:
            box = widgets.Dropdown(options=options, value=None, style=_HIDDEN_LABEL,
                                   layout=widgets.Layout(width=_CELL))
            box.add_class("tlkit-calibration-score")
            box.observe(on_change, names="value")
            self.boxes[lf_id] = box
        self._name_boxes()
        self.name.observe(lambda _change: self._name_boxes(), names="value")
        self.name.observe(on_change, names="value")
        super().__init__([self.name, *self.boxes.values()])

    def _name_boxes(self) -> None:
        observer = self.name.value.strip() or "this observer"
        for lf_id, box in self.boxes.items():
            box.description = f"{self._labels[lf_id]} score for {observer}"


class CalibrationView(widgets.VBox):
    """Score entry grid, CSV upload and the comparison. `observers`: names of the first rows;
    `state_key`: where entered scores are saved (default one record per episode); `store`:
    where records are kept (default: the state folder)."""

    def __init__(self, rubric: str = DEFAULT_RUBRIC, episode: str = DEFAULT_EPISODE, *,
                 observers: Sequence[str] = ("Observer A", "Observer B", "Observer C"),
                 state_key: str | None = None, store: Store | None = None):
        self.rubric = load_rubric(rubric)
        self.episode = load_episode(episode)
        self.state_key = state_key or f"calibration-{self.episode.id}"
        self.store = store or default_store()
        self._keeper = Keeper(self.store, self.state_key, CalibrationRecord)
        self.report: CalibrationReport | None = None
        self._options = [("", None)] + [(str(level), level) for level in self.rubric.levels]
        self._loading = False
        self._starting_names = tuple(observers)    # unscored rows with these names are spare

        head = widgets.HBox(
            [widgets.HTML("<b>Observer</b>", layout=widgets.Layout(width="11em"))]
            + [widgets.HTML(f"<b>{escape(lf.short)}</b>", layout=widgets.Layout(width=_CELL))
               for lf in self.rubric.look_fors])
        self.rows_box = widgets.VBox()
        self.rows_box.add_class("tlkit-calibration-grid")
        self.add_button = widgets.Button(description="Add observer")
        self.add_button.add_class("tlkit-calibration-add")
        self.add_button.on_click(lambda _b: self.add_observer())
        # .txt and .tsv: Excel's "Unicode Text" and tab-separated saves are read as well.
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv", multiple=False,
                                         description="Upload CSV")
        self.upload.add_class("tlkit-calibration-upload")
        self.upload.observe(self._uploaded, names="value")
        self.compare_button = widgets.Button(description="Compare scores",
                                             button_style="primary",
                                             layout=widgets.Layout(width="14em", height="2.6em"))
        self.compare_button.add_class("tlkit-calibration-compare")
        self.compare_button.on_click(lambda _b: self.compare())
        # The observers' spread alone, so the group can talk before the reference is shown.
        self.observers_button = widgets.Button(
            description="Compare observers", tooltip="Compare observers with each other; "
            "the reference stays hidden", layout=widgets.Layout(width="14em", height="2.6em"))
        self.observers_button.add_class("tlkit-calibration-observers")
        self.observers_button.on_click(lambda _b: self.compare(reveal_reference=False))
        self.message = widgets.HTML()
        self.message.add_class("tlkit-calibration-message")
        self.results = widgets.HTML()
        self.results.add_class("tlkit-calibration-results")

        saved = self._restore()
        if saved is not None and saved.observers:
            self._set_rows(saved.observers)
        else:
            self._set_rows([(name, {}) for name in observers])

        super().__init__([
            self._episode_panel(), head, self.rows_box,
            widgets.HBox([self.add_button, self.upload, self.observers_button,
                          self.compare_button]),
            self.message, self.results,
        ])
        self.add_class("tlkit-calibration")

    # --- scores in and out -----------------------------------------------------------------

    def scores(self) -> pd.DataFrame:
        """The grid as observers x look-for ids; rows with no name and no score are skipped."""
        return scores_from_rows(self._rows(), self.rubric)

    def set_scores(self, scores: pd.DataFrame) -> None:
        """Replace the grid with these scores (rows = observers, columns = look-for ids or
        names). Scores off the rubric raise CalibrationError and leave the grid as it was."""
        clean = check_scores(scores, self.rubric)
        self._set_rows([(name, {lf: (None if pd.isna(v) else int(v)) for lf, v in row.items()})
                        for name, row in clean.iterrows()])
        self.results.value = ""     # old results no longer match the grid
        self._save()

    def add_observer(self, name: str | None = None) -> None:
        number = len(self.rows_box.children) + 1
        self._append_row(name or f"Observer {number}", {})
        self._save()

    def compare(self, reveal_reference: bool = True) -> CalibrationReport | None:
        """Compare the grid's scores; reveal_reference=False keeps the reference (and its
        reasons) hidden and shows only how the observers' scores differ from each other."""
        reference = self.episode.reference if reveal_reference else None
        try:
            self.report = compare(self.scores(), reference, self.rubric)
        except CalibrationError as exc:
            self.report = None
            self.results.value = _problems_html(exc.problems, "Please fix these scores first.")
            return None
        self.results.value = report_html(
            self.report, self.episode.rationale if reveal_reference else None)
        return self.report

    # --- internals -------------------------------------------------------------------------

    def _append_row(self, name: str, scores: dict) -> None:
        row = _ObserverRow(name, self.rubric.look_for_ids, self._options, self._changed,
                            [lf.short for lf in self.rubric.look_fors])
        self._loading = True
        for lf_id, value in scores.items():
            if lf_id in row.boxes and value in self.rubric.scale:
                row.boxes[lf_id].value = value
        self._loading = False
        self.rows_box.children = (*self.rows_box.children, row)

    def _rows(self) -> list[ScoreRow]:
        return [(row.name.value, {lf: box.value for lf, box in row.boxes.items()})
                for row in self.rows_box.children]

    def _set_rows(self, rows: list[ScoreRow]) -> None:
        self.rows_box.children = ()
        for name, scores in rows:
            self._append_row(name, scores)

    def _changed(self, _change=None) -> None:
        if not self._loading:
            self._save()

    def _restore(self) -> CalibrationRecord | None:
        saved = self._keeper.restore()
        self.message.value = keeper_notice(self._keeper, "The scores saved earlier",
                                           "Enter them again here.")
        return saved

    def _save(self) -> None:
        """Merge this grid with the stored one, row by row by observer name, and show rows
        another page added or changed."""
        mine = CalibrationRecord(self._rows())
        saved = self._keeper.save(mine)
        if saved is None:
            self.message.value = keeper_notice(self._keeper)
            return
        if saved.record != mine:
            self._set_rows(saved.record.observers)

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        try:
            frame = read_scores_csv(bytes(upload["content"]), self.rubric, name=upload["name"])
        except CalibrationError as exc:
            # The grid keeps what was there; the facilitator fixes the file and uploads again.
            self.message.value = _problems_html(exc.problems, f"{upload['name']} was not loaded.")
        else:
            # Merge rather than replace, so scores typed in the grid are not lost.
            merged = merge_score_rows(self._rows(), frame, placeholders=self._starting_names)
            if len(merged.rows) > MAX_OBSERVERS:
                self.message.value = _problems_html(
                    [f"With the {len(frame)} observers in the file the grid would hold "
                     f"{len(merged.rows)} observers; at most {MAX_OBSERVERS} can be compared "
                     "at once. Remove rows from the grid or the file, then upload again."],
                    f"{upload['name']} was not loaded.")
                return      # `finally` still clears the upload
            self._set_rows(merged.rows)
            self.results.value = ""     # old results no longer match the grid
            self._save()
            parts = [f"Loaded {len(frame)} observers from {upload['name']}."]
            if merged.added:
                parts.append(f"Added: {', '.join(merged.added)}.")
            if merged.updated:
                parts.append(f"Updated from the file: {', '.join(merged.updated)}.")
            ignored = frame.attrs.get("ignored_columns") or []
            if ignored:
                parts.append(f"Ignored columns: {', '.join(ignored)}.")
            self.message.value = message_html(" ".join(parts))
        finally:
            self.upload.value = ()    # so the same file, once fixed, can be uploaded again

    def _episode_panel(self) -> widgets.Widget:
        notes = "".join(f"<p><b>{escape(t)}</b> {escape(text)}</p>"
                        for t, text in self.episode.notes)
        body = widgets.HTML(f"<p><em>{escape(self.episode.setting)}</em></p>{notes}")
        panel = widgets.Accordion(children=[body], titles=(f"Episode: {self.episode.title}",))
        panel.add_class("tlkit-calibration-episode")
        return panel


def _problems_html(problems: Sequence[str], heading: str) -> str:
    return message_html(heading, "problem", items=problems,
                        css_class="tlkit-calibration-problems")


def _kappa_cell(kappa) -> str:
    if kappa.value is None:
        return f'<span style="font-size:.9em">{escape(kappa.reason)}</span>'
    return (f'<span style="font-size:1.5em;font-weight:bold">{kappa.value:.2f}</span> '
            f"{escape(kappa.band)}")


def _agreement_rows(items, label) -> str:
    return "".join(
        f"<tr><td>{escape(label(a))}</td><td>{a.n}</td>"
        f'<td style="font-size:1.5em;font-weight:bold">{percent(a.exact)}</td>'
        f'<td style="font-size:1.5em;font-weight:bold">{percent(a.within_one)}</td>'
        f"<td>{_kappa_cell(a.kappa)}</td></tr>" for a in items)


_TABLE_HEAD = ("<tr><th>{who}</th><th>Look-fors compared</th><th>Exact agreement</th>"
               "<th>Within one level (includes exact)</th><th>Weighted kappa</th></tr>")


def _pairs_html(report: CalibrationReport) -> str:
    """Every pair for a small group; for a larger one (n(n-1)/2 rows would swamp the page)
    the median and range of pairwise agreement and the pairs that agree least."""
    observers = {name for a in report.pairs for name in (a.first, a.second)}
    if len(observers) <= PAIR_DETAIL_LIMIT:
        return ("<h4>Observers against each other</h4><table>"
                + _TABLE_HEAD.format(who="Pair")
                + _agreement_rows(report.pairs, lambda a: f"{a.first} & {a.second}")
                + "</table>")
    summary = report.pair_summary()

    def spread(median, bounds, show) -> str:
        if median is None:
            return "<td>–</td><td>–</td>"
        return (f'<td style="font-size:1.5em;font-weight:bold">{show(median)}</td>'
                f"<td>{show(bounds[0])} to {show(bounds[1])}</td>")

    kappa_note = (f" Kappa could not be computed for {summary.kappa_missing} of the pairs."
                  if summary.kappa_missing else "")
    return (f'<h4>Observers against each other</h4><p class="tlkit-calibration-pair-summary">'
            f"{len(observers)} observers make {summary.pairs} pairs, too many to list one by "
            f"one; here is how closely the pairs agree, and the "
            f"{len(summary.least_agreeing)} pairs that agree least.{kappa_note}</p>"
            "<table><tr><th>Across all pairs</th><th>Median</th><th>Lowest to highest</th></tr>"
            "<tr><td>Exact agreement</td>"
            + spread(summary.exact_median, summary.exact_range, percent) + "</tr>"
            "<tr><td>Within one level (includes exact)</td>"
            + spread(summary.within_one_median, summary.within_one_range, percent) + "</tr>"
            "<tr><td>Weighted kappa</td>"
            + spread(summary.kappa_median, summary.kappa_range, lambda k: f"{k:.2f}")
            + "</tr></table><table>" + _TABLE_HEAD.format(who="Pairs that agree least")
            + _agreement_rows(summary.least_agreeing, lambda a: f"{a.first} & {a.second}")
            + "</table>")


def _look_for_table(report: CalibrationReport, rationale: dict[str, str]) -> str:
    """One row per look-for: the observers' spread always; the reference columns only once
    the reference is revealed."""
    revealed = report.with_reference
    head = "<th>Look-for</th><th>Observers</th><th>Range of scores</th><th>SD</th>" \
           "<th>Pairs two or more levels apart</th>"
    if revealed:
        head += ("<th>Reference</th><th>Exact</th><th>Within one (incl. exact)</th>"
                 "<th>Mean distance from reference</th><th>Why the reference score</th>")
    out = [f"<h4>Each look-for</h4><table><tr>{head}</tr>"]
    for row in report.by_look_for.itertuples():
        cells = (f"<td>{escape(row.look_for)}</td><td>{row.observers}</td>"
                 f"<td>{row.lowest}–{row.highest}</td><td>{row.sd:.1f}</td>"
                 f"<td>{row.pairs_two_apart} of {row.pairs}</td>")
        if revealed:
            distance = "–" if pd.isna(row.mean_abs_diff) else f"{row.mean_abs_diff:.1f}"
            reference = "–" if pd.isna(row.reference) else str(int(row.reference))
            exact = None if pd.isna(row.exact) else row.exact
            within = None if pd.isna(row.within_one) else row.within_one
            cells += (f"<td>{reference}</td><td>{percent(exact)}</td><td>{percent(within)}</td>"
                      f"<td>{distance}</td>"
                      f'<td style="font-size:.9em">{escape(rationale.get(row.look_for_id, ""))}'
                      "</td>")
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def report_html(report: CalibrationReport, rationale: dict[str, str] | None = None) -> str:
    """The comparison as HTML for a projector: big numbers, plain labels, sentences for
    anything that could not be computed. Without a reference in the report nothing about
    the reference (or its reasons) is shown."""
    rationale = rationale or {}
    css = ("<style>.tlkit-cal table{border-collapse:collapse;margin:.4em 0 1em}"
           ".tlkit-cal th,.tlkit-cal td{border:1px solid #999;padding:.3em .6em;"
           "text-align:left;vertical-align:top}.tlkit-cal{font-size:1.1em}</style>")
    out = [css, '<div class="tlkit-cal">']
    if report.messages:
        out.append('<ul class="tlkit-calibration-notes">'
                   + "".join(f"<li>{escape(m)}</li>" for m in report.messages) + "</ul>")
    if report.vs_reference:
        out.append("<h4>Each observer against the reference</h4><table>"
                   + _TABLE_HEAD.format(who="Observer")
                   + _agreement_rows(report.vs_reference, lambda a: a.first)
                   + (_agreement_rows([report.overall], lambda a: "Whole group (pooled)")
                      if report.overall else "")
                   + "</table>")
    if report.pairs:
        out.append(_pairs_html(report))
    if not report.by_look_for.empty:
        out.append(_look_for_table(report, rationale))
    if report.among_observers:
        out.append("<h4>Where observers disagree most with each other</h4>"
                   '<p style="font-size:.9em">Ranked by how far apart the observers\' scores '
                   "are (standard deviation, then range); the reference plays no part.</p>"
                   '<ol class="tlkit-calibration-among">'
                   + "".join(f"<li>{escape(s)}</li>" for s in report.among_observers) + "</ol>")
    if report.from_reference:
        out.append("<h4>Where the group is furthest from the reference</h4>"
                   '<ol class="tlkit-calibration-from-reference">'
                   + "".join(f"<li>{escape(s)}</li>" for s in report.from_reference) + "</ol>")
    bands = kappa_bands()
    out.append(f'<p style="font-size:.9em">{escape(report.weights_text)} Kappa bands: '
               f"{escape(bands.name)}: {escape(bands.summary())}. Sources: "
               + "; ".join(escape(s) for s in SOURCES) + "</p></div>")
    return "".join(out)
