"""Voila's identity provider, plus the one thing that lets a closed page stop its kernel.

When a facilitator closes or reloads a Voila page, the page posts to /voila/api/shutdown/<kernel>
with the `_xsrf` cookie's value. A render URL opened directly never sets that cookie, so the
post is refused (403) and the kernel runs on until it is culled. Reading `handler.xsrf_token`
makes tornado set the cookie on the response; doing it here, where every request is
authenticated (the page itself included, preheated or not), covers every page Voila serves.

Loaded inside Voila's process by name: `--Voila.identity_provider_class=` + PROVIDER.
"""

from __future__ import annotations

import inspect

from jupyter_server.auth.identity import PasswordIdentityProvider

PROVIDER = f"{__name__}.PageCookieIdentityProvider"


class PageCookieIdentityProvider(PasswordIdentityProvider):
    """Jupyter Server's token provider (the token from JUPYTER_TOKEN: `voila_command` turns it
    on), setting the `_xsrf` cookie on pages."""

    async def get_user(self, handler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        if handler.request.method == "GET":
            # tornado's xsrf_token reads current_user, which prepare() sets only after this
            # returns: set it to the same user first.
            handler.current_user = user
            handler.xsrf_token  # noqa: B018 - read for its effect: sets the cookie if missing
        return user
