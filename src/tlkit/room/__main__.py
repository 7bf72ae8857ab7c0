"""python -m tlkit.room --host ADDRESS --port PORT [--prefix /services/live/]: the participant
app alone. Started by JupyterHub as a service, it takes its address and prefix from the
hub (JUPYTERHUB_SERVICE_URL, JUPYTERHUB_SERVICE_PREFIX)."""

from __future__ import annotations

import argparse
import logging
import os
from urllib.parse import urlsplit

from tlkit.room.network import DEFAULT_PORT


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tlkit.room",
                                     description="Serve the live sessions' participant page.")
    hub = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    parser.add_argument("--host", default=hub.hostname or "127.0.0.1")
    parser.add_argument("--port", type=int, default=hub.port or DEFAULT_PORT)
    parser.add_argument("--prefix", default=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
                        help="the path the app answers under (default /)")
    args = parser.parse_args(argv)
    # Each request is not worth a line in the facilitator's terminal; problems are.
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    from tlkit.room.server import serve

    try:
        serve(args.host, args.port, prefix=args.prefix)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
