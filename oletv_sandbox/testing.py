"""Start a throw-away sandbox subprocess for tests and benchmarks.

    with SandboxServer() as sandbox:
        client = OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password)
        sandbox.first_access(account_number)
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests

from . import DEFAULT_ADMIN_KEY, DEFAULT_LOGIN, DEFAULT_PASSWORD, DEFAULT_TOKEN

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SandboxError(RuntimeError):
    """The sandbox subprocess could not start or an admin call failed."""


class SandboxServer:
    """A sandbox subprocess on 127.0.0.1 with its own SQLite file."""

    def __init__(self, db_path=None, port=None, token=DEFAULT_TOKEN, login=DEFAULT_LOGIN,
                 password=DEFAULT_PASSWORD, admin_key=DEFAULT_ADMIN_KEY,
                 environment="homologation", host="127.0.0.1", startup_timeout=15.0):
        self._tmpdir = None if db_path else tempfile.mkdtemp(prefix="oletv-sandbox-")
        self.db_path = db_path or os.path.join(self._tmpdir, "sandbox.sqlite")
        self.host = host
        self.port = port or free_port(host)
        self.token, self.login, self.password = token, login, password
        self.admin_key = admin_key
        self.environment = environment
        self.startup_timeout = startup_timeout
        self.log_path = self.db_path + ".log"
        self._process = None
        self._log = None
        self._admin = requests.Session()
        self._admin.headers["X-Admin-Key"] = admin_key

    @property
    def url(self):
        return "http://{}:{}".format(self.host, self.port)

    # --- lifecycle ------------------------------------------------------------

    def start(self):
        if self._process is not None:
            return self
        command = [sys.executable, "-m", "oletv_sandbox", "--host", self.host,
                   "--port", str(self.port), "--db", self.db_path,
                   "--environment", self.environment]
        env = dict(os.environ, OLETV_SANDBOX_TOKEN=self.token,  # not on the command line
                   OLETV_SANDBOX_LOGIN=self.login, OLETV_SANDBOX_PASSWORD=self.password,
                   OLETV_SANDBOX_ADMIN_KEY=self.admin_key)
        self._log = open(self.log_path, "ab")
        self._process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=self._log,
                                         stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._stop_process()
                raise SandboxError("sandbox exited early; see " + self.log_path)
            try:
                # An admin route: probing must not touch /v1 stats or faults.
                self._admin.get(self.url + "/_admin/faults", timeout=0.5)
                return
            except requests.exceptions.RequestException:
                time.sleep(0.05)
        self._stop_process()
        raise SandboxError("sandbox did not answer in time; see " + self.log_path)

    def _stop_process(self):
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process = None
        self._log.close()

    def restart(self):
        """Stop and start again on the same port and database file."""
        self._stop_process()
        return self.start()

    def stop(self):
        """Stop the subprocess and remove the temporary database (if ours)."""
        self._stop_process()
        self._admin.close()
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def running(self):
        return self._process is not None and self._process.poll() is None

    # --- admin helpers --------------------------------------------------------

    def admin(self, method, path, body=None):
        """Call an /_admin route; return its JSON (None for 204)."""
        response = self._admin.request(method, self.url + "/_admin" + path, json=body,
                                       timeout=10)
        if response.status_code >= 400:
            raise SandboxError("admin {} {} failed: HTTP {} {}".format(
                method, path, response.status_code, response.text))
        return response.json() if response.content else None

    def first_access(self, account_number):
        return self.admin("POST", "/subscribers/{}/first-access".format(account_number))

    def delete_from_panel(self, account_number):
        self.admin("DELETE", "/subscribers/{}".format(account_number))

    def seed_subscriber(self, **body):
        body.setdefault("technology", "iptv")
        return self.admin("POST", "/subscribers", body)

    def state(self):
        return self.admin("GET", "/state")

    def reset(self):
        return self.admin("POST", "/reset")

    def set_faults(self, **faults):
        """Replace the fault config (omitted settings go back to defaults)."""
        return self.admin("PUT", "/faults", faults)

    def faults(self):
        return self.admin("GET", "/faults")

    def set_ip_allowlist(self, enabled, allowed=()):
        return self.admin("PUT", "/ip-allowlist", {"enabled": enabled,
                                                   "allowed": list(allowed)})

    def stats(self):
        return self.admin("GET", "/stats")

    def set_clock(self, day):
        """Set the sandbox's current day (a date or 'YYYY-MM-DD'; None: the
        real UTC day): the per-day record of the billing statement."""
        text = day.isoformat() if hasattr(day, "isoformat") else day
        return self.admin("PUT", "/clock", {"date": text})
