"""``python -m web --host 127.0.0.1 --port 8000 --data-dir DIR``: serve with waitress."""

from __future__ import annotations

import argparse
import logging
import sys

from waitress import serve

from . import create_app


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m web", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    parser.add_argument("--data-dir", default="data",
                        help="directory of the SQLite database (created if missing)")
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app({"DATA_DIR": args.data_dir})
    print(f"timeline: serving http://{args.host}:{args.port}/ (data in {args.data_dir})",
          file=sys.stderr, flush=True)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="timeline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
