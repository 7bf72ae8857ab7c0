"""Who may open the facilitator views: only a browser with the kit's token, and only through
this computer's own names (a foreign Host header is what DNS rebinding sends)."""

from __future__ import annotations

import http.client

import pytest

# Learners' names and scores: the page that most needs the token.
COHORT = "/voila/render/cohort.ipynb"


def _get(voila, path: str, host: str | None = None) -> tuple[int, str, str]:
    """(status, Location header, body) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", voila.port, timeout=120)
    try:
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return (response.status, response.getheader("Location") or "",
                response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def test_a_view_without_the_token_is_sent_to_the_login_page(voila):
    status, location, body = _get(voila, COHORT)
    assert status in (302, 403), status
    if status == 302:
        assert "/login" in location
    assert "tlkit-" not in body
    status, _, _ = _get(voila, f"{COHORT}?token=not-the-token")
    assert status in (302, 403)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example"])
def test_a_foreign_host_header_is_refused_even_with_the_token(voila, host):
    status, _, body = _get(voila, f"{COHORT}?token={voila.token}",
                           host.format(port=voila.port))
    assert status == 403, status
    assert "tlkit-" not in body


def test_this_computers_names_are_served(voila):
    for host in (f"127.0.0.1:{voila.port}", f"localhost:{voila.port}"):
        status, _, _ = _get(voila, f"/voila/render/index.ipynb?token={voila.token}", host)
        assert status == 200, host


def test_the_tokened_address_renders_and_keeps_the_browser_signed_in(voila, new_page):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url("index.ipynb"))
    page.locator(".tlkit-course-map-table").wait_for(state="visible", timeout=120_000)
    # A link between views carries no token: the cookie the first visit set is enough.
    page.goto(voila.url("cohort.ipynb", token=False))
    page.locator(".jp-OutputArea-output").first.wait_for(state="visible", timeout=120_000)
    assert "/login" not in page.url
    assert "Traceback" not in page.locator("body").inner_text()
    assert recorded.outside_requests() == []
