"""The process one browser tab runs (started by `wargame serve`'s web server, never by hand):
the place and the host's port come in the environment, so the page shows no code or path."""

from __future__ import annotations

import os

ENV_PORT = "WARGAME_HOST_PORT"
ENV_TICKET = "WARGAME_SEAT_TICKET"
ENV_REFUSED = "WARGAME_REFUSED"


def main() -> int:
    from wargame.serve.apps import ServedApp

    port = int(os.environ.get(ENV_PORT, "0") or 0)
    app = ServedApp(port, os.environ.get(ENV_TICKET, ""), os.environ.get(ENV_REFUSED, ""))
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
