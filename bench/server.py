"""The shared Odoo server (oletv_testing.odoo_server) with the bench's options
(prefork workers + queue_job runner), and a sampler of its memory (RSS of the process tree)."""
import threading

import psutil

from oletv_testing import odoo_server

# Prefork limits for the bench's long requests and many connections.
BENCH_OPTIONS = ("--log-level", "warn", "--limit-time-real", "900", "--limit-time-cpu", "900",
                 "--limit-memory-soft", str(4 << 30), "--limit-memory-hard", str(5 << 30),
                 "--db_maxconn", "64")


class OdooServer(odoo_server.OdooServer):
    """The shared server with `workers` HTTP worker processes (0: threaded)
    and the job runner with `channels` (ODOO_QUEUE_JOB_CHANNELS). No cron
    thread: the bench triggers the scheduled actions itself. One log per
    bench run at `log_path`."""

    def __init__(self, db, conf, channels, workers, log_path):
        super().__init__(db, conf, channels, workers=workers, log_path=log_path,
                         extra_args=BENCH_OPTIONS, fresh_log=True, stop_grace=15)


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
