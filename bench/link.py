"""Part 5: linking existing subscribers at migration scale (issue 24).

Customers with a TV line and no TV user yet, their subscribers already on
the sandbox (the same logins and account numbers), and one CSV of them (half
the lines with the account number, half without: found in the platform's
listing, read once by the dry run),
started as a link run over XML-RPC like a scripted migration; the bench
waits for its dry run, starts the link, waits for it, and reports each
phase's wall time and the Odoo server's peak memory (RSS of the whole
process tree: HTTP workers, the job runner and its jobs). Progress is
watched with plain SQL on a separate connection."""
import time

from .data import account_for, login_for
from .server import MemorySampler

# 50,000 lines, dry run and link, on the bench's server (capacity 4, 50 ms latency)
TARGET_S = 15 * 60
TARGET_RSS_MIB = 1024


def prepare(registry, data, count):
    """`count` more customers with a TV line and no TV user: the clones'
    TV users are deleted (the link creates them). Returns their numbers."""
    from odoo import api
    first = data.count + 1
    data.grow_to(data.count + count)
    numbers = list(range(first, first + count))
    with api.Environment.manage(), registry.cursor() as cr:
        logins = [login_for(k) for k in numbers]
        cr.execute("DELETE FROM mail_followers WHERE res_model = 'tv.user' AND res_id IN "
                   "(SELECT id FROM tv_user WHERE login = ANY(%s))", (logins,))
        cr.execute("DELETE FROM tv_user WHERE login = ANY(%s)", (logins,))
        cr.commit()
    return numbers


def csv_text(numbers):
    lines = ["contract;login;account_number"]
    for k in numbers:
        lines.append("Bench contract %06d;%s;%s" % (k, login_for(k),
                                                    account_for(k) if k % 2 else ""))
    return "\n".join(lines) + "\n"


def _wait(watch, run_id, states, timeout):
    deadline = time.monotonic() + timeout
    while True:
        state = watch.one("SELECT state FROM tv_link_run WHERE id = %s", (run_id,))[0]
        if state in states or time.monotonic() >= deadline:
            return state
        time.sleep(1.0)


def run(server, watch, sandbox, integration_id, numbers, timeout):
    """Start the run, wait for its dry run, link, wait; the figures."""
    text = csv_text(numbers)
    requests_before = sandbox.stats()["total_requests"]
    with MemorySampler(server.process.pid) as memory:
        started = time.monotonic()
        run_id = server.rpc("tv.integration", "start_link_run", [integration_id], text,
                            "bench.csv")
        start_request_s = time.monotonic() - started
        plan_state = _wait(watch, run_id, ("planned", "failed", "cancelled"), timeout)
        planned = time.monotonic()
        plan_requests = sandbox.stats()["total_requests"] - requests_before
        apply_state = plan_state
        if plan_state == "planned":
            server.rpc("tv.link.run", "action_apply", [run_id])
            apply_state = _wait(watch, run_id, ("done", "failed", "cancelled"), timeout)
        finished = time.monotonic()
    counts = watch.all("SELECT status, count(*) FROM tv_link_run_line WHERE run_id = %s "
                       "GROUP BY status", (run_id,))
    # queue_job counts the first run as a retry
    jobs = watch.one("SELECT count(*), count(*) FILTER (WHERE state = 'failed'), "
                     "coalesce(sum(greatest(retry - 1, 0)), 0) FROM queue_job WHERE method_name IN "
                     "('_tv_link_chunk_job', '_tv_link_finish_job')")
    total_s = finished - started
    result = {
        "lines": len(numbers), "state": apply_state, "start_request_s": round(start_request_s, 1),
        "dry_run_s": round(planned - started, 1), "link_s": round(finished - planned, 1),
        "total_s": round(total_s, 1), "outcomes": dict(counts),
        "platform_requests": {"dry_run": plan_requests,
                              "link": sandbox.stats()["total_requests"] - requests_before
                              - plan_requests},
        "jobs": jobs[0], "jobs_failed": jobs[1], "job_retries": jobs[2],
        "memory": memory.result(), "target_s": TARGET_S, "target_rss_mib": TARGET_RSS_MIB,
    }
    # the target is for 50,000 lines: a smaller run is extrapolated linearly
    result["extrapolated_50000_s"] = round(total_s * 50000.0 / len(numbers), 1)
    return result
