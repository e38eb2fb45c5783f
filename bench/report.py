"""The bench's table (Markdown), with each target and whether it is met."""

QUERY_TARGET = 15
BULK_MS_TARGET = 10
TIME_RATIO_TARGET = 1.2
LIST_BLOCK_TARGET = 0.5
DUNNING_TARGET = 0.8
RECONCILE_TARGET = 2.0


def _met(ok):
    return "yes" if ok else "**no**"


def markdown(r):
    m = r["machine"]
    lines = [
        "# oletv_integration benchmark (%s)" % r["date"], "",
        "Machine: %s CPUs (%s), Python %s, Odoo %s, PostgreSQL %s, queue_job %s, "
        "load average at start %s. Whole bench: %.0f s."
        % (m["cpus"], m["cpu_model"] or "?", m["python"], m["odoo"], m["postgresql"],
           m["queue_job"], " ".join(str(x) for x in m["load_average_at_start"]), r["bench_s"]),
        "",
        "| # | Measure | Result | Target | Met |",
        "|---|---|---|---|---|",
    ]
    part1 = r.get("transition") or {}
    sizes = sorted(part1, key=int)
    for label in ("block", "release") if part1 else ():
        small, large = part1[sizes[0]], part1[sizes[-1]]
        figures = ", ".join("%s: %d queries, %.1f ms" % (
            size, part1[size][label]["queries"], part1[size][label]["median_ms"]) for size in sizes)
        ratio = large[label]["median_ms"] / small[label]["median_ms"]
        lines.append("| 1 | Contract %s, Odoo side (median; contracts: queries, time) | %s; "
                     "time %s/%s = %.2f | single click: time ratio <= %.1f | %s |"
                     % (label, figures, sizes[-1], sizes[0], ratio, TIME_RATIO_TARGET,
                        _met(ratio <= TIME_RATIO_TARGET)))
    b = r.get("bulk_block")
    if b:
        lines.append("| 1 | Bulk block of %d contracts in one request, amortized | %.1f queries, "
                     "%.2f ms per contract (%d queries, %.2f s) | <= %d queries, <= %d ms | %s |"
                     % (b["contracts"], b["queries_per_contract"], b["ms_per_contract"],
                        b["queries"], b["seconds"], QUERY_TARGET, BULK_MS_TARGET,
                        _met(b["queries_per_contract"] <= QUERY_TARGET
                             and b["ms_per_contract"] <= BULK_MS_TARGET)))
    d = r.get("dunning")
    if d:
        lines.append("| 2 | Bulk dunning: %d contracts blocked, %d ms latency, channel %d | "
                     "%.1f s, %.1f contracts/s; ideal %.0f/s; ratio %.2f%s | ratio >= %.1f | %s |"
                     % (d["contracts"], d["latency_ms"], d["concurrency"], d["wall_s"],
                        d["throughput_per_s"], d["ideal_per_s"], d["ratio_to_ideal"],
                        " (TIMED OUT, %d left)" % d["left_pending"] if d["timed_out"] else "",
                        DUNNING_TARGET, _met(d["ratio_to_ideal"] >= DUNNING_TARGET
                                             and not d["timed_out"])))
    lb = r.get("list_block")
    if lb:
        block = lb["block"]
        lines.append("| 2 | make run (threaded server): bulk Block of %d contracts from the "
                     "contract list, until the platform has them all | %.2f s (request %.2f s); "
                     "ideal %.2f s; ratio %.2f; %d blocked on the platform; the bulk Release "
                     "before: "
                     "%.2f s, ratio %.2f | ratio >= %.1f | %s |"
                     % (block["contracts"], block["wall_s"], block["request_s"], block["ideal_s"],
                        block["ratio_to_ideal"], lb["platform_blocked"],
                        lb["release"]["wall_s"], lb["release"]["ratio_to_ideal"],
                        LIST_BLOCK_TARGET, _met(block["ratio_to_ideal"] >= LIST_BLOCK_TARGET
                                                and lb["platform_blocked"] == block["contracts"])))
    c = r.get("reconciliation")
    if c:
        lines.append("| 3 | Reconciliation: %d TV users checked, %d ms latency, channel %d | "
                     "%.2f s (%d checked, %d batch reads, %d jobs); ideal (reads x latency / "
                     "capacity) %.2f s; ratio %.2f | <= %.1f x ideal | %s |"
                     % (c["tv_users"], c["latency_ms"], c.get("concurrency", 1), c["wall_s"],
                        c["checked"], c["batch_calls"], c.get("jobs", 0), c["ideal_s"],
                        c["ratio_to_ideal"], RECONCILE_TARGET,
                        _met(c["ratio_to_ideal"] <= RECONCILE_TARGET
                             and c["checked"] >= c["tv_users"] and not c.get("jobs_not_done"))))
    k = r.get("link")
    if k:
        lines.append(_link_row(k))
    h = r.get("history")
    if h:
        lines.append(_history_row(h))
    if r.get("revenue"):
        lines.append(_revenue_row(r["revenue"]))
    if d and c:
        lines.append("| 4 | Peak RSS of the Odoo server (all %d processes; largest one) | "
                     "dunning %.0f MiB (%.0f); reconciliation %.0f MiB (%.0f) | report | - |"
                     % (max(d["memory"]["processes"], c["memory"]["processes"]),
                        d["memory"]["peak_total_mib"], d["memory"]["peak_process_mib"],
                        c["memory"]["peak_total_mib"], c["memory"]["peak_process_mib"]))
    lines.append("")
    if d:
        p = d["profile"]
        calls = ", ".join("%s %d x %.0f ms" % (name, v["count"], v["avg_ms"])
                          for name, v in sorted(p["platform_calls"].items()))
        lines += [
            "Where the dunning time goes: block requests (Odoo, enqueueing included) %.1f s in "
            "total (%.2f ms per contract, batches of %d); %d jobs (%.1f TV users each, %d "
            "retries), first job done %.1f s after the first request, jobs running for %.1f s "
            "with %.1f slot-seconds available: platform calls %.1f s (%.3f round trips per "
            "contract: %s), Odoo work inside the jobs %.1f s (%.1f ms per contract), idle or "
            "dispatching %.1f s. Settings: %s, %d workers."
            % (d["enqueue_s_total"], d["enqueue_ms_per_contract"], d["batch"], p["jobs"] or 0,
               p["tv_users_per_job"] or 0, p["job_retries"], p["first_job_after_s"] or 0,
               p["job_span_s"], p["slot_seconds"], p["in_jobs_http_s"],
               p["round_trips_per_contract"], calls, p["in_jobs_odoo_s"],
               p["odoo_ms_per_contract_in_jobs"], p["idle_slot_s"],
               r["settings"].get("channels"), r["settings"]["workers"]),
            "",
        ]
    if c:
        lines += ["Reconciliation (started once part 2's last jobs, its customer notices "
                  "included, were done: %.1f s after the last TV user was synced): %.2f s of "
                  "platform calls and %.2f s of Odoo work inside the jobs (summed over the %d "
                  "jobs running in parallel; job times are stored to the second)." % (
                      (d or {}).get("queue_quiet_after_s", 0), c["http_s"], c.get("odoo_s", 0),
                      c["jobs"]), ""]
    for label in ("block", "release") if part1 else ():
        origins = part1[sizes[-1]][label]["query_origins"]
        lines.append("Queries of one %s at %s contracts, by origin: %s." % (
            label, sizes[-1], "; ".join("%s x%d" % (origin, count) for origin, count in origins)))
        lines.append("")
    return "\n".join(lines)


def _link_row(k):
    """Part 5: the link run (bench/link.py); a run smaller than 50,000 lines
    is held to the target by linear extrapolation, said so."""
    outcomes = ", ".join("%s %d" % item for item in sorted(k["outcomes"].items()))
    seconds = k["total_s"] if k["lines"] >= 50000 else k["extrapolated_50000_s"]
    scale = "" if k["lines"] >= 50000 else " (extrapolated from %d lines: %.0f s)" % (
        k["lines"], seconds)
    ok = (k["state"] == "done" and seconds <= k["target_s"]
          and k["memory"]["peak_total_mib"] <= k["target_rss_mib"])
    return ("| 5 | Link of %d existing subscribers (half without account number), %d ms "
            "latency, capacity %d: dry run + link through the jobs | %s: dry run %.1f s + link "
            "%.1f s = %.1f s%s; %s; platform requests %d + %d; %d jobs, %d retries, %d failed; "
            "peak RSS %.0f MiB (largest process %.0f) | 50,000 lines <= %d min, <= %d MiB | %s |"
            % (k["lines"], k["latency_ms"], k["concurrency"], k["state"], k["dry_run_s"],
               k["link_s"], k["total_s"], scale, outcomes, k["platform_requests"]["dry_run"],
               k["platform_requests"]["link"], k["jobs"], k["job_retries"], k["jobs_failed"],
               k["memory"]["peak_total_mib"], k["memory"]["peak_process_mib"],
               k["target_s"] // 60, k["target_rss_mib"], _met(ok)))


def _history_row(h):
    """Part 6: the platform history (bench/history.py)."""
    year, observe = h["year"], h["observe"]
    slowest = max(figures["seconds"] for figures in h["month_counts"].values())
    months = ", ".join("%s %.0f ms" % (name, figures["seconds"] * 1000)
                       for name, figures in sorted(h["month_counts"].items()))
    targets = h["targets"]
    ok = year["total_mib"] <= targets["size_mib"] and slowest <= targets["report_s"]
    return ("| 6 | Platform history: %d subscribers for a year, %.1f%% of them changing a "
            "day (%d spans) | the table %.1f MiB (rows %.1f, indexes %.1f); a month's "
            "report (month_counts, median of 5): %s; month_subscribers %.0f ms (%d rows); "
            "a day's observation of the sandbox's %d subscribers (%d pages, %d ms latency) "
            "%.1f s: %d spans closed, %d opened; the same day again %.3f s "
            "| year <= %d MB, report <= %.0f s | %s |"
            % (h["subscribers"], h["changes_per_day_pct"], h["generated_rows"],
               year["total_mib"], year["table_mib"], year["indexes_mib"], months,
               h["month_subscribers"]["seconds"] * 1000, h["month_subscribers"]["rows"],
               h["snapshot_subscribers"], observe["pages"], h["latency_ms"],
               observe["seconds"], observe["closed"], observe["opened"], observe["again_s"],
               targets["size_mib"], targets["report_s"], _met(ok)))


def _revenue_row(v):
    """Part 7: a month's revenue assurance (bench/revenue.py)."""
    targets = v["targets"]
    ok = v["compute_s"] <= targets["compute_s"] and max(
        v["read_s"], v["export_s"]) <= targets["read_s"]
    kinds = ", ".join("%s %d" % item for item in sorted(v["leak_kinds"].items()))
    return ("| 7 | A month's revenue assurance: %d customers, %d TV invoice lines, the "
            "platform history of the year (%d spans) | computing the month %.1f s (%d rows, "
            "%d leaks: %s); the report's read (rows, leaks' first page, pivot; median of 3) "
            "%.3f s; the dispute export %.3f s (%d bytes) | compute <= %.0f s, read <= %.0f s "
            "| %s |"
            % (v["customers"], v["invoice_lines"], v["history_spans"], v["compute_s"],
               v["rows"], v["leaks"], kinds, v["read_s"], v["export_s"], v["export_bytes"],
               targets["compute_s"], targets["read_s"], _met(ok)))
