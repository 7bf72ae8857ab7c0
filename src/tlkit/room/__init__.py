"""The room: live sessions joined from participants' own phones and laptops, without a
kernel each. A small web server (`server`) serves one page of plain HTML, CSS and script
(`static/`) and a few JSON routes over `tlkit.live`'s one code path (`app`, no web framework
in it). It has no route that moves the clock, ends, exports or deletes a session, or that
shows anyone's name but the participant's own: only the facilitator's pages, on 127.0.0.1,
hold the control token. The same server serves the between-session reflection thread's page
(`threads`, over `tlkit.thread`), with the same limits. `launch` starts it beside the
facilitator's Voila (`tlkit facilitate --room`); `network` finds the address the room types."""
