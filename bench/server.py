"""A real Odoo server (prefork workers + queue_job runner) as a subprocess,
driven over XML-RPC, and a sampler of its memory (RSS of the process tree)."""
import os
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client

import psutil

from oletv_sandbox.testing import free_port

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


class OdooServer:
    """`workers` HTTP worker processes (0: threaded) and the job runner with
    `channels` (ODOO_QUEUE_JOB_CHANNELS). No cron thread: the bench triggers
    the scheduled actions itself."""

    def __init__(self, db, conf, channels, workers, log_path):
        self.db, self.conf, self.channels, self.workers = db, conf, channels, workers
        self.port, self.longpolling_port = free_port(), free_port()
        self.log_path = log_path
        self.process = None
        self.rpc = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self, timeout=90):
        env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=self.channels, TZ="UTC")
        if self.process is None and os.path.exists(self.log_path):
            os.remove(self.log_path)  # one log per bench run
        command = [sys.executable, os.path.join(REPO_ROOT, "scripts", "odoo-bin"), "-c", self.conf,
                   "-d", self.db, "--db-filter", "^%s$" % self.db,
                   "--http-port", str(self.port), "--longpolling-port", str(self.longpolling_port),
                   "--load", "web,queue_job", "--logfile", self.log_path, "--log-level", "warn",
                   "--max-cron-threads", "0", "--workers", str(self.workers),
                   "--limit-time-real", "900", "--limit-time-cpu", "900",
                   "--limit-memory-soft", str(4 << 30), "--limit-memory-hard", str(5 << 30),
                   "--db_maxconn", "64"]
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited early; see " + self.log_path)
            try:
                self.rpc = OdooRPC(self.url, self.db)
                time.sleep(6)  # queue_job's runner starts 5 s after the server
                return self
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("Odoo did not answer in %d s; see %s" % (timeout, self.log_path))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGTERM)  # a second TERM stops at once
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class MemorySampler:
    """Samples the RSS of a process and its children every `interval` s;
    keeps the peak of the total and of the largest single process."""

    def __init__(self, pid, interval=0.2):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_total = self.peak_single = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        try:
            processes = [self.root] + self.root.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        rss = []
        for process in processes:
            try:
                rss.append(process.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
        if rss:
            self.peak_total = max(self.peak_total, sum(rss))
            self.peak_single = max(self.peak_single, max(rss))
            self.peak_processes = max(self.peak_processes, len(rss))

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()

    def result(self):
        mib = 1024.0 * 1024.0
        return {"peak_total_mib": round(self.peak_total / mib, 1),
                "peak_process_mib": round(self.peak_single / mib, 1),
                "processes": self.peak_processes}
