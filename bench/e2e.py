"""Parts 2 and 3: bulk dunning through the job queue, then the scheduled
reconciliation, on a real Odoo server against the sandbox (50 ms latency).

The bench drives Odoo over XML-RPC like an operator's bulk action (the
contract list's Block, in batches) and watches progress with plain SQL on
a separate connection (cheap, and not counted as Odoo work)."""
import math
import time

import psycopg2

from . import access_rules, channels, sync_plan
from .server import MemorySampler

BATCH_READ = 200  # accounts per get_subscribers call (the API's maximum)


class Watch:
    """A read-only SQL connection to the bench database."""

    def __init__(self, db, port):
        self.conn = psycopg2.connect(host="127.0.0.1", port=port, dbname=db, user="odoo",
                                     password="odoo")
        self.conn.autocommit = True

    def one(self, query, params=None):
        with self.conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()

    def all(self, query, params=None):
        with self.conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def pending_users(self, contract_ids):
        """How many of the contracts' TV users still wait for their platform call."""
        return self.one("SELECT count(*) FROM tv_user WHERE sync_state = %s "
                        "AND contract_id = ANY(%s)", (sync_plan.SYNC_PENDING, contract_ids))[0]

    def close(self):
        self.conn.close()


def bulk_dunning(server, watch, contract_ids, concurrency, latency_s, batch, timeout):
    """Block every contract (bulk action in batches of `batch`), then wait
    until every TV user is synced. Returns the figures and the profile."""
    rpc = server.rpc
    start_calls = watch.one("SELECT coalesce(max(id), 0) FROM tv_api_call")[0]
    start_jobs = watch.one("SELECT coalesce(max(id), 0) FROM queue_job")[0]
    enqueue_s = []
    with MemorySampler(server.process.pid) as memory:
        started = time.monotonic()
        for index in range(0, len(contract_ids), batch):
            call_started = time.monotonic()
            rpc("account.analytic.account", "action_contract_block",
                contract_ids[index:index + batch])
            enqueue_s.append(time.monotonic() - call_started)
        all_requested = time.monotonic()
        deadline = started + timeout
        while True:  # at least once: requests slower than the window time out
            pending = watch.pending_users(contract_ids)
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(0.25)
        finished = time.monotonic()
    wall = finished - started
    count = len(contract_ids)
    ideal_rate = concurrency / latency_s
    result = {
        "contracts": count, "concurrency": concurrency, "latency_ms": latency_s * 1000,
        "batch": batch, "timed_out": bool(pending), "left_pending": pending or 0,
        "wall_s": round(wall, 1),
        "throughput_per_s": round(count / wall, 1),
        "ideal_per_s": round(ideal_rate, 1),
        "ratio_to_ideal": round(count / wall / ideal_rate, 3),
        "block_requests_s": round(all_requested - started, 1),
        "enqueue_s_total": round(sum(enqueue_s), 1),
        "enqueue_ms_per_contract": round(sum(enqueue_s) / count * 1000, 2),
        "memory": memory.result(),
    }
    result["profile"] = _profile(watch, start_calls, start_jobs, count, concurrency, wall)
    return result


def list_block(server, watch, contract_ids, concurrency, latency_s, timeout=120):
    """P2 on `make run`'s server (threaded, the runner inside): release
    `contract_ids` (blocked by part 2) with the contract list's bulk
    Release and wait until synced, then block them again with its bulk
    Block, one request as from the list, until the platform has them all."""
    rpc = server.rpc
    figures = {}
    for label, method in (("release", "action_tv_bulk_release"), ("block", "action_tv_bulk_block")):
        started = time.monotonic()
        rpc("account.analytic.account", method, contract_ids)
        requested = time.monotonic()
        while time.monotonic() < started + timeout and watch.pending_users(contract_ids):
            time.sleep(0.05)
        wall = time.monotonic() - started
        ideal = len(contract_ids) / (concurrency / latency_s)
        figures[label] = {"contracts": len(contract_ids),
                          "request_s": round(requested - started, 2),
                          "wall_s": round(wall, 2), "ideal_s": round(ideal, 2),
                          "ratio_to_ideal": round(ideal / wall, 3)}
    figures["platform_blocked"] = watch.one(
        "SELECT count(*) FROM tv_user WHERE platform_state = %s AND sync_state = %s "
        "AND contract_id = ANY(%s)",
        (access_rules.PLATFORM_BLOCKED, sync_plan.SYNC_SYNCED, contract_ids))[0]
    return figures


def _profile(watch, start_calls, start_jobs, count, concurrency, wall):
    """Where the time went: platform calls (from the audit trail), job
    execution (from queue_job), and the job slots left idle."""
    calls = watch.all(
        "SELECT operation, count(*), avg(duration_ms), sum(duration_ms) FROM tv_api_call "
        "WHERE id > %s GROUP BY operation ORDER BY operation", (start_calls,))
    jobs = watch.one(
        "SELECT count(*), sum(extract(epoch FROM date_done - date_started)), "
        "extract(epoch FROM max(date_done) - min(date_started)), "
        "sum(json_array_length(record_ids::json)), count(*) FILTER (WHERE state = 'done'), "
        "sum(greatest(retry - 1, 0)) FROM queue_job WHERE id > %s AND method_name = '_tv_sync_job'",
        (start_jobs,))
    n_jobs, busy_s, span_s, users_in_jobs, done_jobs, retries = jobs
    http_ms = sum(row[3] or 0 for row in calls)
    n_calls = sum(row[1] for row in calls)
    busy_s = float(busy_s or 0)
    span_s = float(span_s or 0)
    slots_s = concurrency * span_s
    return {
        "jobs": n_jobs, "jobs_done": done_jobs, "job_retries": retries or 0,
        # wake-up jobs name no TV user (they claim pending ones): per job, the
        # contracts of the run
        "tv_users_per_job": round(count / n_jobs, 1) if n_jobs else None,
        "jobs_naming_tv_users": users_in_jobs or 0,
        "platform_calls": {row[0]: {"count": row[1], "avg_ms": round(float(row[2]), 1)}
                           for row in calls},
        "round_trips_per_contract": round(n_calls / count, 3),
        "job_span_s": round(span_s, 1),
        "first_job_after_s": round(wall - span_s, 1) if span_s else None,
        "slot_seconds": round(slots_s, 1),
        "in_jobs_http_s": round(http_ms / 1000.0, 1),
        "in_jobs_odoo_s": round(busy_s - http_ms / 1000.0, 1),
        "idle_slot_s": round(slots_s - busy_s, 1),
        "odoo_ms_per_contract_in_jobs": round((busy_s * 1000 - http_ms) / count, 2),
        "http_ms_per_contract": round(http_ms / count, 2),
    }


def wait_for_quiet_queue(watch, timeout=240):
    """Wait until no job of the addon is waiting or running (part 2's last
    wake-ups and its customer notices); the seconds waited."""
    started = time.monotonic()
    while time.monotonic() < started + timeout and watch.one(
            "SELECT count(*) FROM queue_job WHERE channel LIKE %s "
            "AND state IN ('pending', 'enqueued', 'started')", (channels.JOB_CHANNEL + "%",))[0]:
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def reconciliation(server, watch, users, latency_s, concurrency=1, timeout=300):
    """Run the scheduled reconciliation once over all `users` TV users, until
    the jobs it spreads its batch reads over (the integration's platform slots)
    are done. The ideal is issue 13's: batch reads x latency / capacity."""
    rpc = server.rpc
    rpc("ir.config_parameter", "set_param", "oletv_integration.reconcile_spot_check", str(users))
    cron = rpc("ir.model.data", "search_read", [("module", "=", "oletv_integration"),
                                                ("name", "=", "cron_tv_reconcile")],
               fields=["res_id"])[0]["res_id"]
    start_calls = watch.one("SELECT coalesce(max(id), 0) FROM tv_api_call")[0]
    start_jobs = watch.one("SELECT coalesce(max(id), 0) FROM queue_job")[0]
    # last_check_date is stored to the second: compare from the current second
    before, start_at = watch.one("SELECT date_trunc('second', now() at time zone 'UTC'), "
                                 "now() at time zone 'UTC'")
    with MemorySampler(server.process.pid) as memory:
        started = time.monotonic()
        rpc("ir.cron", "method_direct_trigger", [cron])
        cron_s = time.monotonic() - started
        while time.monotonic() < started + timeout and watch.one(
                "SELECT count(*) FROM queue_job WHERE id > %s AND method_name = "
                "'_tv_reconcile_job' AND state IN ('pending', 'enqueued', 'started')",
                (start_jobs,))[0]:
            time.sleep(0.05)
        wall = time.monotonic() - started
    jobs = watch.one("SELECT count(*), count(*) FILTER (WHERE state != 'done'), "
                     "coalesce(sum(extract(epoch FROM date_done - date_started)), 0), "
                     "extract(epoch FROM min(date_started)) - extract(epoch FROM %s::timestamp) "
                     "FROM queue_job WHERE id > %s AND method_name = '_tv_reconcile_job'",
                     (start_at, start_jobs))
    checked = watch.one("SELECT count(*) FROM tv_user WHERE last_check_date >= %s", (before,))[0]
    calls = watch.one("SELECT count(*), coalesce(sum(duration_ms), 0) FROM tv_api_call "
                      "WHERE id > %s AND operation = 'get_subscribers'", (start_calls,))
    sequential = math.ceil(users / BATCH_READ) * latency_s
    ideal = sequential / concurrency
    return {
        "tv_users": users, "checked": checked, "latency_ms": latency_s * 1000,
        "concurrency": concurrency, "cron_s": round(cron_s, 2),
        "jobs": jobs[0], "jobs_not_done": jobs[1],
        "wall_s": round(wall, 2), "ideal_s": round(ideal, 2),
        "sequential_ideal_s": round(sequential, 2),
        "ratio_to_ideal": round(wall / ideal, 2),
        "batch_calls": calls[0], "http_s": round(float(calls[1]) / 1000, 2),
        # inside the jobs (they run in parallel: summed over them)
        "jobs_busy_s": round(float(jobs[2]), 2),
        "odoo_s": round(float(jobs[2]) - float(calls[1]) / 1000, 2),
        "first_job_started_after_s": round(float(jobs[3] or 0), 2),
        "memory": memory.result(),
    }
