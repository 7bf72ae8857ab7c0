"""Messages and small HTML shared by every widget, so a notice looks and reads the same
everywhere and screen readers announce it (role="status", or role="alert" for problems)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from tlkit.store import RecordSetAside, StoreUnavailable

KINDS = {"info": ("#1b4332", "status"),
         "warning": ("#8a4b00", "status"),
         "problem": ("#8a1c1c", "alert")}


def message_html(text: str, kind: str = "info", *, items: Sequence[str] = (),
                 css_class: str = "") -> str:
    """One message: plain text (escaped), optionally followed by a list (e.g. every problem in
    a file). kind: info, warning or problem. css_class: an extra class for the page's tests."""
    colour, role = KINDS[kind]
    classes = f"tlkit-message tlkit-message-{kind} {css_class}".strip()
    listed = ("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
              if items else "")
    # pre-line keeps the line breaks of a message that lists several problems in a file.
    return (f'<div class="{classes}" role="{role}" '
            f'style="font-size:1.1em;color:{colour};white-space:pre-line">'
            f"{escape(text)}{listed}</div>")


def text_html(text: str, size: str = "1em", *, bold: bool = False) -> str:
    """A line of plain text at a size (projector headings and captions)."""
    weight = "bold" if bold else "normal"
    return (f"<div style='font-size:{size};font-weight:{weight};line-height:1.25'>"
            f"{escape(text)}</div>")


def download_link(content: str | bytes, filename: str, mime: str, label: str, *,
                  css_class: str = "", style: str = "") -> str:
    """A link that downloads `content` as `filename`. The file travels inside the link (a
    data: URI), so it is made in the kernel and needs no server route and no outside request.
    Text goes as UTF-8; label is plain text (escaped)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    charset = ";charset=utf-8" if isinstance(content, str) else ""
    href = f"data:{mime}{charset};base64,{base64.b64encode(data).decode('ascii')}"
    attributes = "".join(f" {name}='{escape(value, quote=True)}'" for name, value in
                         (("class", css_class), ("style", style)) if value)
    return (f"<a{attributes} download='{escape(filename, quote=True)}' href='{href}'>"
            f"{escape(label)}</a>")


def handout_link(fragment: str, title: str, filename: str) -> str:
    """A guide's handout (HTML shown on the page) as a download of a page of its own, which
    prints whole from the browser; the guide itself is a screen page."""
    from tlkit.printables.cards import handout_page

    return ("<p class='tlkit-handout-download'>"
            + download_link(handout_page(title, fragment), filename, "text/html",
                            f"Download the {title.lower()} to print", style="font-size:1.2em")
            + " &mdash; it opens in your browser, from where you print it.</p>")


def cannot_save_text(err: StoreUnavailable) -> str:
    """What to tell a user whose work cannot be saved: what is wrong, what to do, and that
    nothing on the page is lost while it stays open."""
    return (f"Your work on this page cannot be saved: {err.problem}. {err.fix} Until then your "
            "work stays on this page while it is open.")


def set_aside_text(err: RecordSetAside, what: str, then: str) -> str:
    """What to tell a user whose saved work could not be used: why, where it was kept, and
    what the widget does instead. `what` names it ("Your earlier notes")."""
    return (f"{what} could not be read ({err.reason.rstrip('.')}). A copy was kept in "
            f"{err.kept}; nothing was deleted. {then}")


def problem_text(problem: RecordSetAside | StoreUnavailable, what: str, then: str) -> str:
    """The sentence for what a store Keeper met: set_aside_text for a saved record that could
    not be used (`what` names it, `then` says what happens instead), cannot_save_text for a
    store that cannot save."""
    if isinstance(problem, RecordSetAside):
        return set_aside_text(problem, what, then)
    return cannot_save_text(problem)


def keeper_notice(keeper, what: str = "Your earlier work",
                  then: str = "This page starts fresh.") -> str:
    """The warning to show for a Keeper's `problem` ("" when there is none), so a widget's
    restore is `record = keeper.restore(); status.value = keeper_notice(keeper, ...)`."""
    if keeper.problem is None:
        return ""
    return message_html(problem_text(keeper.problem, what, then), "warning")


def question_results_html(shown, *, size: str = "1.1em") -> str:
    """A question's results (tlkit.live.questions.QuestionResults) as escaped HTML: a table
    with bars for a poll or a scale, a word cloud with the same words in a list beside it,
    Q&A items with their votes. `size` scales it up for the projector."""
    from tlkit.live.questions import QUESTION_KINDS

    question = shown.question
    state = [QUESTION_KINDS[question.kind], f"{shown.responses} "
             + ("questions" if question.kind == "qna" else "answered")]
    if not question.open:
        state.append("closed")
    if question.shown:
        state.append("on the projector")
    head = (f"<div class='tlkit-question' style='font-size:{size};margin:0.6em 0'>"
            f"<div style='font-weight:bold;font-size:1.2em'>{escape(question.prompt)}</div>"
            f"<div>{escape(', '.join(state))}</div>")
    if question.kind == "qna":
        items = "".join(f"<li>{escape(line)}</li>" for line in shown.lines)
        return head + (f"<ol>{items}</ol>" if items else "<p>No questions yet.</p>") + "</div>"
    if question.kind == "words":
        top = max((count for _, count in shown.counts), default=1)
        cloud = " ".join(
            f"<span style='font-size:{1 + 2 * count / top:.2f}em;margin:0 0.3em;"
            f"white-space:nowrap'>{escape(word)}</span>" for word, count in shown.counts)
        words = "".join(f"<li>{escape(word)}: {count}</li>" for word, count in shown.counts)
        return head + (f"<div aria-hidden='true' style='line-height:1.6'>{cloud}</div>"
                       f"<ul aria-label='The words, most given first'>{words}</ul>" if words
                       else "<p>No words yet.</p>") + "</div>"
    top = max((count for _, count in shown.counts), default=0) or 1
    rows = "".join(
        f"<tr><th scope='row' style='text-align:left;font-weight:normal'>{escape(label)}</th>"
        f"<td style='width:12em'><div aria-hidden='true' style='background:#1565c0;height:1em;"
        f"width:{100 * count / top:.0f}%'></div></td><td>{count}</td></tr>"
        for label, count in shown.counts)
    extra = "".join(f"<p>{escape(line)}</p>" for line in shown.lines
                    if line.startswith("Average"))
    return (head + f"<table><caption style='text-align:left'>Answers to: "
            f"{escape(question.prompt)}</caption><tr><th scope='col'>Answer</th>"
            f"<th scope='col'>Share</th><th scope='col'>How many</th></tr>{rows}</table>"
            + extra + "</div>")
