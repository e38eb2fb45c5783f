"""Threaded Werkzeug server running the sandbox application."""
import argparse
import logging
import os
import signal
import socket
import sys

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from . import (DEFAULT_ADMIN_KEY, DEFAULT_DB, DEFAULT_ENVIRONMENT, DEFAULT_LOGIN,
               DEFAULT_PASSWORD, DEFAULT_TOKEN)
from .app import SandboxApp
from .store import Store


class QuietHandler(WSGIRequestHandler):
    """HTTP/1.1 keep-alive handler without per-request access logs."""

    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body are written separately: without TCP_NODELAY,
        # Nagle + delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, code="-", size="-"):
        pass


class SandboxServer(ThreadedWSGIServer):
    daemon_threads = True
    block_on_close = False  # do not wait for idle keep-alive connections


def parse_args(argv=None):
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m oletv_sandbox",
                                     description="Olé TV platform sandbox")
    parser.add_argument("--host", default=env("OLETV_SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("OLETV_SANDBOX_PORT", "8099")))
    parser.add_argument("--db", default=env("OLETV_SANDBOX_DB", DEFAULT_DB))
    parser.add_argument("--token", default=env("OLETV_SANDBOX_TOKEN", DEFAULT_TOKEN))
    parser.add_argument("--login", default=env("OLETV_SANDBOX_LOGIN", DEFAULT_LOGIN))
    parser.add_argument("--password", default=env("OLETV_SANDBOX_PASSWORD", DEFAULT_PASSWORD))
    parser.add_argument("--admin-key", default=env("OLETV_SANDBOX_ADMIN_KEY", DEFAULT_ADMIN_KEY))
    parser.add_argument("--environment", choices=("homologation", "production"),
                        default=env("OLETV_SANDBOX_ENVIRONMENT", DEFAULT_ENVIRONMENT))
    return parser.parse_args(argv)


def build_app(args):
    store = Store(args.db)
    app = SandboxApp(store, args.token, args.login, args.password, args.admin_key,
                     environment=args.environment)
    return store, app


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    store, app = build_app(args)
    server = SandboxServer(args.host, args.port, app, handler=QuietHandler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    logging.getLogger("oletv_sandbox").info(
        "Olé TV sandbox on http://%s:%s (environment=%s, db=%s)",
        args.host, server.server_address[1], args.environment, os.path.abspath(args.db))
    try:
        server.serve_forever()  # returns on KeyboardInterrupt
    finally:
        server.server_close()
        store.close()
