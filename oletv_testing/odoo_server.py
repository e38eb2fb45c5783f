"""A real Odoo server (HTTP + queue_job runner) as a subprocess, driven over
XML-RPC like an integrator, and queue_job's runner as a process of its own.

    with OdooServer(db, conf, channels, workers=2, log_path="my-odoo.log") as server:
        server.rpc("res.partner", "search_count", [])

The server runs scripts/odoo-bin in a session of its own (kill_node() takes
its prefork workers with it), on free ports, without cron threads, with its
log in .local/ (or at an absolute log_path)."""
import os
import signal
import subprocess
import sys
import time
import xmlrpc.client

from oletv_sandbox.testing import free_port

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(REPO_ROOT, ".local")
ODOO_BIN = os.path.join(REPO_ROOT, "scripts", "odoo-bin")
RUNNER_START_S = 6  # queue_job's runner starts 5 s after the server


def wait_until(predicate, timeout, what):
    """Poll predicate until it returns something true (returned), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))


def stop_process(process, grace=10):
    """TERM (waits `grace` s), then a second TERM (Odoo stops at once on it),
    then KILL (10 s each)."""
    if process is None:
        return
    for stop, timeout in ((process.terminate, grace), (process.terminate, 10),
                          (process.kill, 10)):
        if process.poll() is not None:
            return
        stop()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue


def start_detached(command, env, log_path, fresh_log=False):
    """`command` in a session of its own from the repository's root; the
    previous log at `log_path` removed first when `fresh_log` (Odoo appends)."""
    if fresh_log and os.path.exists(log_path):
        os.remove(log_path)
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)


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


class OdooServer:
    """Odoo on `db` with the job runner's `channels` (ODOO_QUEUE_JOB_CHANNELS).

    workers: None (the configuration's, threaded by default) or the worker
    count (0: threaded); runner: False starts it without queue_job's runner
    (--load web); log_path: a file name in .local/ or an absolute path;
    fresh_log: the previous log removed at the first start; extra_args: more
    odoo-bin options; stop_grace: how long stop() waits after the first TERM."""

    def __init__(self, db, conf, channels, workers=None, runner=True, log_path="odoo-server.log",
                 extra_env=None, extra_args=(), fresh_log=False, stop_grace=10):
        self.db, self.conf, self.channels = db, conf, channels
        self.workers, self.runner = workers, runner
        self.extra_env, self.extra_args = extra_env or {}, list(extra_args)
        self.fresh_log, self.stop_grace = fresh_log, stop_grace
        self.port, self.longpolling_port = free_port(), free_port()
        self.log_path = os.path.join(LOCAL, log_path)
        self.process = None
        self.rpc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def command(self):
        command = [sys.executable, ODOO_BIN, "-c", self.conf, "-d", self.db,
                   "--db-filter", "^%s$" % self.db, "--http-port", str(self.port),
                   "--longpolling-port", str(self.longpolling_port),
                   "--load", "web,queue_job" if self.runner else "web",
                   "--logfile", self.log_path, "--max-cron-threads", "0"]
        if self.workers is not None:
            command += ["--workers", str(self.workers)]
        return command + self.extra_args

    def launch(self):
        """Start the process and return at once (the port opens a moment later)."""
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=self.channels, TZ="UTC", **self.extra_env)
        fresh_log = self.fresh_log and self.process is None
        self.process = start_detached(self.command(), env, self.log_path, fresh_log)
        return self

    def start(self, timeout=90):
        """Launch, then wait until it answers XML-RPC (and its job runner has
        started); stopped again when it does not, or on an interruption."""
        self.launch()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited early; see " + self.log_path)
            try:
                self.rpc = OdooRPC(self.url, self.db)
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.5)
                continue
            if self.runner:
                time.sleep(RUNNER_START_S)
            return
        raise RuntimeError("Odoo did not answer in %d s; see %s" % (timeout, self.log_path))

    def kill(self):
        """Like a crashed worker: no shutdown, no cleanup."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_node(self):
        """Like a crashed machine: the node and its workers, no cleanup."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        stop_process(self.process, self.stop_grace)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


RUNNER_MAIN = ("import sys, odoo; odoo.tools.config.parse_config(sys.argv[1:]); "
               "from odoo.addons.queue_job.jobrunner.runner import QueueJobRunner; "
               "QueueJobRunner.from_environ_or_config().run()")


class JobRunner:
    """queue_job's runner as its own process (`python -m
    odoo.addons.queue_job.jobrunner`), sending jobs to the node at `port`."""

    def __init__(self, db, conf, channels, port, log_path="job-runner.log"):
        self.db, self.conf, self.channels, self.port = db, conf, channels, port
        self.log_path = os.path.join(LOCAL, log_path)
        self.process = None

    def start(self):
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=self.channels, TZ="UTC",
                   ODOO_QUEUE_JOB_HOST="127.0.0.1", ODOO_QUEUE_JOB_PORT=str(self.port))
        # what `python -m odoo.addons.queue_job.jobrunner` runs, with the
        # command line passed on: Odoo 11's parse_config() without arguments
        # ignores sys.argv (no -c, no -d)
        command = [sys.executable, "-c", RUNNER_MAIN, "-c", self.conf, "-d", self.db,
                   "--logfile", self.log_path]
        self.process = start_detached(command, env, self.log_path)
        time.sleep(2)
        if self.process.poll() is not None:
            raise RuntimeError("the job runner exited; see " + self.log_path)
        return self

    def stop(self):
        stop_process(self.process)
