"""oletv_testing.odoo_server, the Odoo process manager of the system tests
and the bench, without Odoo: its command line, and its process handling on
a stand-in process (a Python that never answers)."""
import os
import signal
import sys
import time

import pytest

from oletv_testing import odoo_server
from oletv_testing.odoo_server import LOCAL, ODOO_BIN, OdooServer

psutil = pytest.importorskip("psutil")  # in the CPython 3.7 venv (the bench's), where they run

# A parent that never answers HTTP, with a child of its own (like prefork workers).
STAND_IN = ("import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "time.sleep(60)")


class StandIn(OdooServer):
    launched = []

    def command(self):
        return [sys.executable, "-c", STAND_IN]

    def launch(self):
        super().launch()
        self.launched.append(self.process.pid)
        return self


@pytest.fixture(autouse=True)
def no_stand_in_left():
    """The stand-ins' children die with their session (Odoo's workers do with Odoo)."""
    yield
    while StandIn.launched:
        try:
            os.killpg(StandIn.launched.pop(), signal.SIGKILL)
        except ProcessLookupError:
            pass


def children(process):
    return psutil.Process(process.pid).children(recursive=True)


def gone(processes):
    return all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in processes)


def wait_for_children(server):
    return odoo_server.wait_until(lambda: children(server.process), 10, "the stand-in's child")


def test_command_line():
    server = OdooServer("db1", "/x/odoo.conf", "root:2", workers=0, runner=False,
                        log_path="harness.log", extra_args=("--log-level", "warn"))
    command = server.command()
    assert command[:2] == [sys.executable, ODOO_BIN]
    assert " ".join(command[2:]) == (
        "-c /x/odoo.conf -d db1 --db-filter ^db1$ --http-port %d --longpolling-port %d "
        "--load web --logfile %s --max-cron-threads 0 --workers 0 --log-level warn" % (
            server.port, server.longpolling_port, os.path.join(LOCAL, "harness.log")))
    default = OdooServer("db1", "/x/odoo.conf", "root:2", log_path="/tmp/odoo.log").command()
    assert "--workers" not in default
    assert default[default.index("--load") + 1] == "web,queue_job"
    assert default[default.index("--logfile") + 1] == "/tmp/odoo.log"


def test_a_server_that_never_answers_is_stopped(tmp_path):
    server = StandIn("db1", "/x/odoo.conf", "root:2", log_path=str(tmp_path / "odoo.log"))
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="did not answer in 1 s"):
        server.start(timeout=1)
    assert server.process.poll() is not None
    assert time.monotonic() - started < 15


def test_kill_node_takes_its_children(tmp_path):
    server = StandIn("db1", "/x/odoo.conf", "root:2", log_path=str(tmp_path / "odoo.log"))
    server.launch()
    try:
        workers = wait_for_children(server)
        assert os.getpgid(server.process.pid) == server.process.pid  # a session of its own
        server.kill_node()
        odoo_server.wait_until(lambda: gone(workers), 10, "the children to die")
    finally:
        server.stop()


def test_fresh_log_removes_the_previous_log_once(tmp_path):
    log = tmp_path / "odoo.log"
    for fresh_log, kept in ((False, True), (True, False)):
        log.write_text("previous run\n")
        server = StandIn("db1", "/x/odoo.conf", "root:2", log_path=str(log), fresh_log=fresh_log)
        server.launch()
        try:
            assert log.exists() == kept
            log.write_text("this run\n")
            server.stop()
            server.launch()  # a restart appends to this run's log
            assert log.read_text() == "this run\n"
        finally:
            server.stop()
