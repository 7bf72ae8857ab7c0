"""TeachBackReturn: a teacher leader loads the teach-back file their facilitator handed back
and reads the scores and feedback; the result goes into the portfolio. The plan for the next
try is written in the module's reflection box below it, which the facilitator grades.

A thin view over tlkit.practice.teachback (reading the file) and a TeachBackRecord kept under
`state_key` (the portfolio reads "portfolio-teach-back").
"""

from __future__ import annotations

import ipywidgets as widgets

from tlkit.practice.teachback import ReturnFileError, read_returned, returned_from_dict
from tlkit.printables.teach_back import result_html
from tlkit.store import Keeper, Store, TeachBackRecord, default_store
from tlkit.widgets.common import keeper_notice, message_html


class TeachBackReturn(widgets.VBox):
    def __init__(self, *, state_key: str | None = None, store: Store | None = None):
        self.state_key = state_key
        self._keeper = Keeper(store or default_store(), state_key, TeachBackRecord)
        self.record = (self._keeper.restore() if state_key else None) or TeachBackRecord()
        self.save_status = widgets.HTML(keeper_notice(self._keeper, "Your earlier teach-back",
                                                      "Load the file again."))
        self.upload = widgets.FileUpload(accept=".json", multiple=False,
                                         description="Load my teach-back file")
        self.upload.observe(self._uploaded, names="value")
        self.message = widgets.HTML()
        self.result = widgets.HTML()
        super().__init__([self.save_status, self.upload, self.message, self.result])
        self._show()

    def _uploaded(self, change) -> None:
        files = change["new"]
        if files:
            self.load(bytes(files[0]["content"]))

    def load(self, content: bytes | str) -> bool:
        """Keep the result in this file; False (with the reason shown) when it is not one."""
        try:
            result = read_returned(content)
        except ReturnFileError as err:
            self.message.value = message_html(str(err), "problem")
            return False
        self.record.result = result.to_dict()
        self._save()
        self.message.value = message_html("Your teach-back result is kept; your portfolio "
                                          "shows it.")
        self._show()
        return True

    def _save(self) -> None:
        if self.state_key:
            saved = self._keeper.save(self.record)
            if saved is not None:
                self.record = saved.record
            self.save_status.value = keeper_notice(self._keeper)

    def _show(self) -> None:
        if not self.record.result:
            self.result.value = message_html("No teach-back result loaded yet. After your "
                                             "teach-back, your facilitator gives you a file "
                                             "to load here.")
            return
        self.result.value = result_html(returned_from_dict(self.record.result), "h4")
