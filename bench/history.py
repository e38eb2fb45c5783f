"""Part 6: what the platform will bill, at scale (issue 25).

A year of one integration's platform history (tv.subscriber.span) for
`count` subscribers, generated in SQL: each subscriber changes status or
packages every `change_every` days on average (30 to 70 % of it either
way, from a day of its own): 2 % of the subscribers a day by default, so
about count x 365 / change_every spans besides the first ones. Then:

- the table's size (pg_total_relation_size: rows, indexes, TOAST);
- the time of a month's report (PlatformHistory.month_counts, one SQL
  query) for three months of the year, and of month_subscribers (the leaks'
  rows, one per subscriber);
- one real daily observation: the sandbox holds the `count` subscribers as
  the history left them on 31 December, 2 % of them changed, and the daily
  observation (PlatformHistory.observe) reads its listing page by page
  (with the sandbox's latency) and writes the changes; then the same day
  again (idempotent: nothing read).
"""
import statistics
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api

from .data import write_sandbox_subscribers

YEAR_START = date(2026, 1, 1)
DAYS = 365
# the states a subscriber goes through (codes sorted, as the history keeps them)
CODES = ["BASIC", "BASIC,HBO", "FAMILY", "FAMILY,HBO", "HBO,PREMIUM,TELECINE",
         "BASIC,EXTRA_POINT"]
MAIN_PACKAGES = ("BASIC", "FAMILY", "PREMIUM")
MONTHS = (date(2026, 1, 1), date(2026, 6, 1), date(2026, 12, 1))
REPEAT = 5
SIZE_TARGET_MB = 200
REPORT_TARGET_S = 2.0


def generate(cr, integration_id, company_id, count, change_every):
    """The year's spans of `count` subscribers, in one INSERT ... SELECT.
    Subscriber k changes every l days from day o (o in 1..l): its j-th span
    runs from its j-th change to the day before the next, the last one open."""
    cr.execute("DELETE FROM tv_subscriber_span WHERE integration_id = %s", (integration_id,))
    low = max(1, int(change_every * 0.6))
    spread = max(1, int(change_every * 0.8))
    cr.execute("""
        INSERT INTO tv_subscriber_span (integration_id, company_id, account_number, login,
                                        status, package_codes, date_from, date_to)
        SELECT %(integration)s, %(company)s, 'OLE-' || lpad(k::text, 6, '0'),
               'bench' || lpad(k::text, 6, '0') || '@example.com',
               CASE WHEN (k + j) %% 7 = 0 THEN 'blocked' ELSE 'active' END,
               (%(codes)s::varchar[])[1 + (k * 3 + j) %% %(ncodes)s],
               %(start)s::date + CASE WHEN j = 0 THEN 0 ELSE p.o + (j - 1) * p.l END,
               CASE WHEN p.o + j * p.l >= %(days)s THEN NULL
                    ELSE %(start)s::date + p.o + j * p.l - 1 END
        FROM generate_series(1::bigint, %(count)s) AS k,
             LATERAL (SELECT (%(low)s + (k * 7919) %% %(spread)s)::int AS l) AS q,
             LATERAL (SELECT q.l, (1 + (k * 104729) %% q.l)::int AS o) AS p,
             LATERAL generate_series(0, (%(days)s - 1 - p.o) / p.l + 1) AS j
        WHERE p.o + (j - 1) * p.l < %(days)s OR j = 0
        """, {"integration": integration_id, "company": company_id, "codes": CODES,
              "ncodes": len(CODES), "start": YEAR_START, "days": DAYS, "count": count,
              "low": low, "spread": spread})
    rows = cr.rowcount
    cr.execute("UPDATE tv_integration SET history_last_day = %s WHERE id = %s",
               (YEAR_START + timedelta(days=DAYS - 1), integration_id))
    cr.commit()
    # VACUUM: the size measured is the rows', without an earlier run's dead ones
    cr.autocommit(True)
    cr.execute("VACUUM ANALYZE tv_subscriber_span")
    cr.autocommit(False)
    return rows


def sizes(cr):
    cr.execute("SELECT count(*), pg_total_relation_size('tv_subscriber_span'), "
               "pg_relation_size('tv_subscriber_span'), "
               "pg_indexes_size('tv_subscriber_span') FROM tv_subscriber_span")
    rows, total, table, indexes = cr.fetchone()
    mib = 1024.0 * 1024.0
    return {"rows": rows, "total_mib": round(total / mib, 1), "table_mib": round(table / mib, 1),
            "indexes_mib": round(indexes / mib, 1)}


def _median_s(function):
    times = []
    for _run in range(REPEAT):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3), result


def reports(env, integration):
    """month_counts (both rules) and month_subscribers: median seconds."""
    from odoo.addons.oletv_integration.services.platform_history import PlatformHistory
    history = PlatformHistory(env)
    figures = {}
    for month in MONTHS:
        for rule in ("per_day", "any_day"):
            integration.platform_billing_rule = rule
            seconds, counts = _median_s(lambda: history.month_counts(integration, month))
            figures["%s %s" % (month.strftime("%Y-%m"), rule)] = {
                "seconds": seconds, "packages": len(counts),
                "basic": counts.get("BASIC")}
    seconds, rows = _median_s(lambda: history.month_subscribers(integration, MONTHS[1]))
    return figures, {"seconds": seconds, "rows": len(rows)}


def seed_snapshot(cr, integration_id, sqlite_path, changed_every=50):
    """The sandbox's subscribers as the history's open spans say, one in
    `changed_every` blocked or released since (the sandbox stopped)."""
    from oletv_sandbox.store import utc_now
    cr.execute("SELECT account_number, login, status, package_codes FROM tv_subscriber_span "
               "WHERE integration_id = %s AND date_to IS NULL ORDER BY account_number",
               (integration_id,))
    now = utc_now()
    rows = []
    for number, (account, login, status, codes) in enumerate(cr.fetchall(), 1):
        codes = codes.split(",")
        main = next(code for code in codes if code in MAIN_PACKAGES)
        additional = [code for code in codes if code != main]
        if number % changed_every == 0:
            status = "active" if status == "blocked" else "blocked"
        rows.append((number, account, login, login, status, main,
                     "[%s]" % ",".join('"%s"' % code for code in additional), "[]", None,
                     "iptv", None, now, now, now))
    write_sandbox_subscribers(sqlite_path, rows)
    return len(rows)


def measure(registry, integration_id, sandbox, count, change_every, latency_ms):
    from odoo.addons.oletv_integration.services.platform_history import PlatformHistory
    result = {"subscribers": count, "change_every_days": change_every,
              "changes_per_day_pct": round(100.0 / change_every, 1), "latency_ms": latency_ms}
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration = env["tv.integration"].browse(integration_id)
        started = time.perf_counter()
        result["generated_rows"] = generate(cr, integration.id, integration.company_id.id,
                                            count, change_every)
        result["generate_s"] = round(time.perf_counter() - started, 1)
        result["year"] = sizes(cr)
        integration.invalidate_cache()
        result["month_counts"], result["month_subscribers"] = reports(env, integration)
        cr.rollback()
    sandbox._stop_process()
    with api.Environment.manage(), registry.cursor() as cr:
        result["snapshot_subscribers"] = seed_snapshot(cr, integration_id, sandbox.db_path)
    sandbox.start()
    sandbox.set_faults(latency_ms=latency_ms)
    before = sandbox.stats()["requests"].get("list_subscribers_page", 0)
    day = YEAR_START + timedelta(days=DAYS)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration = env["tv.integration"].browse(integration_id)
        started = time.perf_counter()
        closed, opened = PlatformHistory(env).observe(integration, day)
        result["observe"] = {"seconds": round(time.perf_counter() - started, 1),
                             "closed": closed, "opened": opened,
                             "pages": sandbox.stats()["requests"]["list_subscribers_page"]
                             - before}
        cr.commit()
        started = time.perf_counter()
        again = PlatformHistory(env).observe(integration, day)
        result["observe"]["again_s"] = round(time.perf_counter() - started, 3)
        result["observe"]["again_changes"] = again
        result["after_observe"] = sizes(cr)
    sandbox.set_faults()
    result["targets"] = {"size_mib": SIZE_TARGET_MB, "report_s": REPORT_TARGET_S}
    return result
