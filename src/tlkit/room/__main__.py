"""python -m tlkit.room --host ADDRESS --port PORT: the participant app alone."""

from __future__ import annotations

import argparse
import logging

from tlkit.room.network import DEFAULT_PORT


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tlkit.room",
                                     description="Serve the live sessions' participant page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    # Each request is not worth a line in the facilitator's terminal; problems are.
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    from tlkit.room.server import serve

    try:
        serve(args.host, args.port)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
