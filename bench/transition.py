"""Part 1: the Odoo-side cost of one contract block and one release.

Each sample is one 'request': a new cursor and environment (empty record
cache, warm registry caches), the button method called on one contract, the
SQL queries counted by the cursor (`sql_log_count`) and the wall time taken.
The platform call is only queued (a queue_job job), never run, and every
sample is rolled back, so the database is left as it was.
"""
import collections
import statistics
import time
import traceback

from odoo import SUPERUSER_ID, api

from . import access_rules, sync_plan

BLOCK, RELEASE = "action_contract_block", "action_contract_release"


def _call(registry, contract_id, method, prepare=None, trace=False):
    """Run one transition in its own rolled-back transaction; return
    (queries, seconds, query origins or None)."""
    with api.Environment.manage(), registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            contract = env["account.analytic.account"].browse(contract_id)
            if prepare:
                getattr(contract, prepare)()
                # as if the block's job had run: the access is blocked on the platform
                cr.execute("UPDATE queue_job SET state = 'done' WHERE state = 'pending'")
                cr.execute("UPDATE tv_user SET platform_state = %s, online = false, "
                           "sync_state = %s WHERE contract_id = %s",
                           (access_rules.PLATFORM_BLOCKED, sync_plan.SYNC_SYNCED, contract_id))
                env.clear()
                env = api.Environment(cr, SUPERUSER_ID, {})  # a new request
                contract = env["account.analytic.account"].browse(contract_id)
            origins = None
            if trace:
                origins = collections.Counter()
                execute = cr.execute

                def traced(query, params=None, log_exceptions=None):
                    origins[_origin(query)] += 1
                    return execute(query, params, log_exceptions)
                cr.execute = traced
            before = cr.sql_log_count
            started = time.perf_counter()
            getattr(contract, method)()
            elapsed = time.perf_counter() - started
            queries = cr.sql_log_count - before
            if trace:
                del cr.execute
            return queries, elapsed, origins
        finally:
            cr.rollback()


def _origin(query):
    """The innermost addon frame that issued a query, and its statement kind."""
    frames = traceback.extract_stack()[:-3]
    place = "?"
    for frame in reversed(frames):
        name = frame.filename
        if "/odoo/addons/" in name or "oletv_integration" in name:
            addon = name.split("/addons/")[-1] if "/addons/" in name else name.split("/")[-3]
            place = "%s:%s" % (addon.replace(".py", ""), frame.name)
            break
    words = query.strip().split()
    kind = words[0].upper() if words else "?"
    if kind in ("SELECT", "DELETE") and "FROM" in query.upper():
        table = query.upper().split("FROM", 1)[1].split()[0].strip('"').lower()
        kind += " " + table
    elif kind in ("INSERT",):
        kind += " " + words[2].strip('"').lower()
    elif kind == "UPDATE":
        kind += " " + words[1].strip('"').lower()
    return "%s  [%s]" % (place, kind)


def measure(registry, contract_ids, samples=25, warmup=3):
    """Median queries and wall time of a block and a release, over `samples`
    distinct contracts (after `warmup` unmeasured ones)."""
    chosen = contract_ids[::max(1, len(contract_ids) // (samples + warmup))][:samples + warmup]
    results = {}
    for label, method, prepare in (("block", BLOCK, None), ("release", RELEASE, BLOCK)):
        queries, times = [], []
        for index, contract_id in enumerate(chosen):
            q, t, _ = _call(registry, contract_id, method, prepare)
            if index >= warmup:
                queries.append(q)
                times.append(t)
        _, _, origins = _call(registry, chosen[-1], method, prepare, trace=True)
        results[label] = {
            "queries": int(statistics.median(queries)), "queries_max": max(queries),
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1] * 1000, 2),
            "samples": len(times),
            "query_origins": [[origin, count] for origin, count in origins.most_common()],
        }
    return results


def measure_bulk(registry, contract_ids):
    """P1 amortized: one bulk Block of all `contract_ids` in one request
    (the contract list's action), rolled back; queries and Odoo time per
    contract."""
    with api.Environment.manage(), registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            contracts = env["account.analytic.account"].browse(contract_ids)
            before = cr.sql_log_count
            started = time.perf_counter()
            contracts.action_contract_block()
            elapsed = time.perf_counter() - started
            queries = cr.sql_log_count - before
        finally:
            cr.rollback()
    count = len(contract_ids)
    return {"contracts": count, "queries": queries, "seconds": round(elapsed, 2),
            "queries_per_contract": round(queries / count, 2),
            "ms_per_contract": round(elapsed * 1000 / count, 2)}
