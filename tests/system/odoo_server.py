"""A real Odoo server (HTTP + queue_job runner) as a subprocess on a
database prepared by `make test`, driven over XML-RPC like an integrator."""
import os
import signal
import subprocess
import sys
import time
import xmlrpc.client

from oletv_sandbox.testing import free_port
from pure_addon import load

# The job runner's channels, as scripts/odoo_conf.sh writes them (no integration).
DEFAULT_CHANNELS = load("channels").server_channels()

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def wait_until(predicate, timeout, what):
    """Poll predicate until it returns something true (returned), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))


def required_env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError("%s is not set: run the system tests through `make test`." % name)
    return value


def stop_process(process):
    """TERM, then a second TERM (Odoo stops at once on it), then KILL."""
    if process is None:
        return
    for stop in (process.terminate, process.terminate, process.kill):
        if process.poll() is not None:
            return
        stop()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            continue


class OdooServer:

    def __init__(self, db, conf, channels=DEFAULT_CHANNELS, workers=None, runner=True,
                 log_name="system-test-odoo.log", extra_env=None):
        """workers: None (threaded) or the prefork worker count; runner:
        False starts the node without queue_job's runner (--load web)."""
        self.db, self.conf, self.channels = db, conf, channels
        self.workers, self.runner = workers, runner
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.longpolling_port = free_port()
        self.log_path = os.path.join(REPO_ROOT, ".local", log_name)
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        self.launch()
        self._wait_ready()
        return self

    def launch(self):
        """Start the process and return at once (the port opens a moment later)."""
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=self.channels, TZ="UTC", **self.extra_env)
        command = [sys.executable, os.path.join(REPO_ROOT, "scripts", "odoo-bin"), "-c", self.conf,
                   "-d", self.db, "--db-filter", "^%s$" % self.db, "--http-port", str(self.port),
                   "--longpolling-port", str(self.longpolling_port),
                   "--load", "web,queue_job" if self.runner else "web",
                   "--logfile", self.log_path, "--max-cron-threads", "0"]
        if self.workers:
            command += ["--workers", str(self.workers)]
        # a session of its own: kill_node() takes its prefork workers with it
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
        return self

    def _wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited early; see " + self.log_path)
            try:
                self.rpc = OdooRPC(self.url, self.db)
                if self.runner:
                    time.sleep(6)  # queue_job's runner starts 5 s after the server
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.5)
        raise RuntimeError("Odoo did not answer; see " + self.log_path)

    def kill(self):
        """Like a crashed worker: no shutdown, no cleanup."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_node(self):
        """Like a crashed machine: the node and its workers, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        stop_process(self.process)


def tv_contract(rpc, name, email, product, uom):
    """A customer, a contract with a TV/Streaming line of `product`: the
    contract's id."""
    partner = rpc("res.partner", "create", {"name": name, "email": email})
    return rpc("account.analytic.account", "create", {
        "name": "%s contract" % name, "partner_id": partner,
        "recurring_invoice_line_ids": [(0, 0, {
            "line_type": "tv", "product_id": product, "name": "TV", "quantity": 1,
            "uom_id": uom})]})


class OdooRPC:

    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, login, password, {})
        if not self.uid:
            raise RuntimeError("cannot log in to %s" % db)
        self.object = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.object.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        data = self("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                    fields=["res_id"])
        return data[0]["res_id"]


RUNNER_MAIN = ("import sys, odoo; odoo.tools.config.parse_config(sys.argv[1:]); "
               "from odoo.addons.queue_job.jobrunner.runner import QueueJobRunner; "
               "QueueJobRunner.from_environ_or_config().run()")


class JobRunner:
    """queue_job's runner as its own process (`python -m
    odoo.addons.queue_job.jobrunner`), sending jobs to the node at `port`."""

    def __init__(self, db, conf, channels, port, log_name="system-test-runner.log"):
        self.db, self.conf, self.channels, self.port = db, conf, channels, port
        self.log_path = os.path.join(REPO_ROOT, ".local", log_name)
        self.process = None

    def start(self):
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=self.channels, TZ="UTC",
                   ODOO_QUEUE_JOB_HOST="127.0.0.1", ODOO_QUEUE_JOB_PORT=str(self.port))
        # what `python -m odoo.addons.queue_job.jobrunner` runs, with the
        # command line passed on: Odoo 11's parse_config() without arguments
        # ignores sys.argv (no -c, no -d)
        command = [sys.executable, "-c", RUNNER_MAIN, "-c", self.conf, "-d", self.db,
                   "--logfile", self.log_path]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)
        time.sleep(2)
        if self.process.poll() is not None:
            raise RuntimeError("the job runner exited; see " + self.log_path)
        return self

    def stop(self):
        stop_process(self.process)
