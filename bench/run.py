"""`make bench`: the ERP must never be the bottleneck (issue 7).

    python -m bench.run --db oletv_bench --conf .local/odoo.conf

Builds its own data in `--db` (a fresh database with the addon installed),
runs the four measurements and writes bench-results/bench-<stamp>.json and
.md (plus latest.json / latest.md), then prints the table.
"""
import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--db", default="oletv_bench")
    parser.add_argument("--conf", default=os.path.join(REPO_ROOT, ".local", "odoo.conf"))
    parser.add_argument("--pg-port", type=int, default=int(os.environ.get("OLETV_PG_PORT", 54329)))
    parser.add_argument("--small", type=int, default=1000, help="contracts, part 1 (first size)")
    parser.add_argument("--large", type=int, default=10000,
                        help="contracts, part 1 (second size) and parts 2-3")
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--concurrency", type=int, default=4,
                        help="capacity of the integration's job channel")
    parser.add_argument("--workers", type=int, default=None,
                        help="Odoo HTTP workers (default: concurrency + 2)")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--batch", type=int, default=500,
                        help="contracts per bulk Block request in part 2")
    parser.add_argument("--timeout", type=int, default=540, help="part 2 time limit (s)")
    parser.add_argument("--list-block", type=int, default=150,
                        help="contracts of part 2's bulk block from the contract list on "
                             "make run's server (threaded)")
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "bench-results"))
    parser.add_argument("--skip-e2e", action="store_true", help="part 1 only")
    parser.add_argument("--link", type=int, default=50000,
                        help="lines of part 5's link of existing subscribers (0: no part 5)")
    parser.add_argument("--link-only", action="store_true",
                        help="part 5 only (its own data)")
    parser.add_argument("--link-timeout", type=int, default=3600,
                        help="part 5's time limit for each phase (s)")
    parser.add_argument("--history", type=int, default=100000,
                        help="subscribers of part 6's year of platform history (0: no part 6)")
    parser.add_argument("--history-change-every", type=int, default=50,
                        help="part 6: days between a subscriber's changes, on average "
                             "(50: 2%% of the subscribers change a day)")
    parser.add_argument("--revenue", type=int, default=100000,
                        help="customers of part 7's month of revenue assurance (0: no part 7)")
    parser.add_argument("--revenue-only", action="store_true",
                        help="part 7 only (its own data)")
    parser.add_argument("--history-only", action="store_true",
                        help="part 6 only (its own data)")
    return parser.parse_args(argv)


def machine_info(registry):
    import odoo
    from odoo.modules.module import load_information_from_description_file as get_manifest
    with registry.cursor() as cr:
        cr.execute("SHOW server_version")
        pg_version = cr.fetchone()[0]
    cpu_model = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu_model = next((line.split(":", 1)[1].strip() for line in info
                              if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(), "cpu_model": cpu_model,
        "python": platform.python_version(), "odoo": odoo.release.version,
        "postgresql": pg_version,
        "queue_job": get_manifest("queue_job").get("version"),
        "contract": get_manifest("contract").get("version"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
    }


def main(argv=None):
    args = parse_args(argv)
    import odoo
    odoo.tools.config.parse_config(["-c", args.conf, "--log-level=warn"])
    from odoo import api
    from oletv_sandbox.testing import SandboxServer

    from . import channels, e2e, transition
    from .data import BenchData
    from .server import OdooServer

    started = time.monotonic()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    registry = odoo.registry(args.db)
    results = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "machine": machine_info(registry),
               "settings": {k: v for k, v in vars(args).items() if k not in ("out", "conf")}}
    workers = args.workers if args.workers is not None else args.concurrency + 2
    results["settings"]["workers"] = workers
    tmpdir = tempfile.mkdtemp(prefix="oletv-bench-")
    sandbox = SandboxServer(db_path=os.path.join(tmpdir, "sandbox.sqlite"))
    sandbox.start()
    try:
        if args.link_only:
            data = BenchData(registry)
            data.setup(sandbox.url, sandbox)
            results["link"] = link_part(args, registry, data, sandbox, workers)
            return finish(args, results, started, stamp)
        if args.revenue_only:
            data = BenchData(registry)
            data.setup(sandbox.url, sandbox)
            results["revenue"] = revenue_part(args, registry, data)
            return finish(args, results, started, stamp)
        if args.history_only:
            data = BenchData(registry)
            data.setup(sandbox.url, sandbox)
            results["history"] = history_part(args, registry, data, sandbox)
            return finish(args, results, started, stamp)
        say("Building data: integration, TV product, %d contracts with TV users" % args.small)
        data = BenchData(registry)
        data.setup(sandbox.url, sandbox)
        build_s = data.grow_to(args.small)
        part1 = {}
        for size in (args.small, args.large):
            if size != args.small:
                say("Growing to %d contracts" % size)
                build_s += data.grow_to(size)
            with api.Environment.manage(), registry.cursor() as cr:
                contract_ids = data.contract_ids(cr)
            say("Part 1: transition cost at %d contracts (%d samples each)" % (size, args.samples))
            part1[str(size)] = transition.measure(registry, contract_ids, args.samples)
            if size == args.small:
                say("Part 1: bulk block of %d contracts in one request" % size)
                results["bulk_block"] = transition.measure_bulk(registry, contract_ids)
        results["data_build_s"] = round(build_s, 1)
        results["transition"] = part1
        if not args.skip_e2e:
            say("Seeding the sandbox with %d subscribers; latency %d ms"
                % (data.count, args.latency_ms))
            sandbox._stop_process()
            data.seed_sandbox(sandbox.db_path)
            sandbox.start()
            sandbox.set_faults(latency_ms=args.latency_ms)
            # the platform calls' channel with the integration's capacity, and one
            # more slot on root for the customer notices' channel (as make run)
            job_channels = channels.server_channels(args.concurrency)
            results["settings"]["channels"] = job_channels
            log_path = os.path.join(REPO_ROOT, ".local", "bench-odoo.log")
            say("Starting Odoo (%d workers, channels %s)" % (workers, job_channels))
            watch = e2e.Watch(args.db, args.pg_port)
            try:
                with OdooServer(args.db, args.conf, job_channels, workers, log_path) as server:
                    say("Part 2: bulk dunning of %d contracts through the job queue" % data.count)
                    results["dunning"] = e2e.bulk_dunning(
                        server, watch, contract_ids, args.concurrency,
                        args.latency_ms / 1000.0, args.batch, args.timeout)
                    results["dunning"]["queue_quiet_after_s"] = e2e.wait_for_quiet_queue(watch)
                    say("Part 3: scheduled reconciliation of %d TV users" % data.count)
                    results["reconciliation"] = e2e.reconciliation(
                        server, watch, data.count, args.latency_ms / 1000.0, args.concurrency)
                say("Part 2, make run: bulk block of %d contracts from the contract list on a "
                    "threaded server" % args.list_block)
                with OdooServer(args.db, args.conf, job_channels, 0,
                                log_path + ".threaded") as server:
                    results["list_block"] = e2e.list_block(
                        server, watch, contract_ids[:args.list_block], args.concurrency,
                        args.latency_ms / 1000.0)
                results["sandbox_stats"] = sandbox.stats()
            finally:
                watch.close()
            if args.link:
                results["link"] = link_part(args, registry, data, sandbox, workers)
        if args.history:
            results["history"] = history_part(args, registry, data, sandbox)
        if args.revenue:
            results["revenue"] = revenue_part(args, registry, data)
    finally:
        sandbox.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return finish(args, results, started, stamp)


def link_part(args, registry, data, sandbox, workers):
    """Part 5: a link run of `args.link` lines (bench/link.py) on its own
    server, the sandbox holding every subscriber (its latency as parts 2-3)."""
    from . import channels, e2e, link
    from .server import OdooServer
    say("Part 5: %d customers without TV user, their subscribers on the sandbox" % args.link)
    numbers = link.prepare(registry, data, args.link)
    sandbox._stop_process()
    data.seed_sandbox(sandbox.db_path)
    sandbox.start()
    sandbox.set_faults(latency_ms=args.latency_ms)
    job_channels = channels.server_channels(args.concurrency)
    log_path = os.path.join(REPO_ROOT, ".local", "bench-odoo.log.link")
    watch = e2e.Watch(args.db, args.pg_port)
    try:
        with OdooServer(args.db, args.conf, job_channels, workers, log_path) as server:
            say("Part 5: link run of %d lines (dry run, then link) through the job queue"
                % args.link)
            result = link.run(server, watch, sandbox, data.integration_id, numbers,
                              args.link_timeout)
    finally:
        watch.close()
    result.update(latency_ms=args.latency_ms, concurrency=args.concurrency,
                  channels=job_channels)
    return result


def history_part(args, registry, data, sandbox):
    """Part 6: a year of platform history (bench/history.py), the month's
    report, and one day's observation of the sandbox's listing."""
    from . import history
    say("Part 6: a year of platform history of %d subscribers, a month's report, a day's "
        "observation from the sandbox listing" % args.history)
    return history.measure(registry, data.integration_id, sandbox, args.history,
                           args.history_change_every, args.latency_ms)


def revenue_part(args, registry, data):
    """Part 7: a month's revenue assurance (bench/revenue.py): its
    computation and its report's read at `args.revenue` customers."""
    from . import revenue
    say("Part 7: a month's revenue assurance of %d customers (invoices, platform history): "
        "its computation, its report's read" % args.revenue)
    return revenue.measure(registry, data, args.revenue, args.history_change_every)


def finish(args, results, started, stamp):
    from . import report
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_s"] = round(time.monotonic() - started, 1)
    os.makedirs(args.out, exist_ok=True)
    markdown = report.markdown(results)
    for name in ("bench-%s" % stamp, "latest"):
        with open(os.path.join(args.out, name + ".json"), "w") as out:
            json.dump(results, out, indent=2, sort_keys=True)
        with open(os.path.join(args.out, name + ".md"), "w") as out:
            out.write(markdown)
    print()
    print(markdown)
    print("Written to %s/bench-%s.{json,md} (and latest.*)" % (os.path.relpath(args.out), stamp))
    return 0


def say(message):
    print("\033[1m==> %s\033[0m" % message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
