# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A real SMTP server on 127.0.0.1 for the notice tests: tests/smtp_sink.py
(aiosmtpd) run as a subprocess of the CPython 3.12 tools venv
(.local/py312, requirements/py312.txt), which `make test` sets up."""
import email
import email.policy
import os
import shutil
import socket
import subprocess
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SINK = os.path.join(REPO_ROOT, "tests", "smtp_sink.py")


def _py312():
    venv = os.environ.get("OLETV_PY312_VENV") or os.path.join(REPO_ROOT, ".local", "py312")
    return os.path.join(venv, "bin", "python")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """start() / stop() (the server down) / refuse(reply) (temporary
    failures) / messages() (what arrived, parsed)."""

    def __init__(self):
        self.port = _free_port()
        self.maildir = tempfile.mkdtemp(prefix="oletv-smtp-")
        self._process = None

    def start(self):
        if self._process:
            return self
        python = _py312()
        if not os.path.exists(python):
            raise RuntimeError("%s is missing: run scripts/setup_py312.sh (make test does)"
                               % python)
        self._process = subprocess.Popen(
            [python, SINK, "--port", str(self.port), "--maildir", self.maildir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        line = self._process.stdout.readline().decode().strip()
        if line != "ready":
            self.stop()
            raise RuntimeError("the SMTP sink did not start: %s" % line)
        return self

    def stop(self):
        if self._process:
            self._process.terminate()
            self._process.wait(10)
            self._process.stdout.close()
            self._process = None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the port really closed
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)):
                    return
            time.sleep(0.05)

    def refuse(self, reply):
        """Answer RCPT TO with `reply` (e.g. a 4xx) until refuse(None)."""
        path = os.path.join(self.maildir, "reply")
        if reply is None:
            if os.path.exists(path):
                os.remove(path)
            return
        with open(path, "w") as handle:
            handle.write(reply + "\n")

    def messages(self):
        result = []
        for name in sorted(os.listdir(self.maildir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.maildir, name), "rb") as handle:
                    result.append(email.message_from_binary_file(
                        handle, policy=email.policy.default))
        return result

    def clear(self):
        for name in os.listdir(self.maildir):
            if name.endswith(".eml"):
                os.remove(os.path.join(self.maildir, name))

    def close(self):
        self.stop()
        shutil.rmtree(self.maildir, ignore_errors=True)
