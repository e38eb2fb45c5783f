"""`make test-fast` runs the addon's Odoo tests in shards side by side, one
database each (scripts/test_fast.sh). This splits the test files into
shards of about equal time, from each file's time in the last runs (their
JUnit reports; a file never timed counts its size), and records those times.

    shard_tests.py split N TIMES_JSON FILE...   N lines, the files of each shard
    shard_tests.py record TIMES_JSON JUNIT_XML...   adds the reports' times per file
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

# a file never timed: its size in bytes times this (about what the addon's files take)
SECONDS_PER_BYTE = 0.0006


def read_times(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def split(count, times, files):
    """Longest first, each file to the shard with the least time so far."""
    weight = {name: times.get(name, os.path.getsize(name) * SECONDS_PER_BYTE) for name in files}
    shards = [[] for _ in range(count)]
    totals = [0.0] * count
    for name in sorted(files, key=lambda item: (-weight[item], item)):
        index = totals.index(min(totals))
        shards[index].append(name)
        totals[index] += weight[name]
    return shards


def file_of(classname):
    """pytest's JUnit classname (odoo.addons.oletv_integration.tests.test_x.TestY,
    or oletv_integration.tests.test_x.TestY) -> oletv_integration/tests/test_x.py."""
    parts = classname.split(".")
    if parts[:2] == ["odoo", "addons"]:
        parts = parts[2:]
    modules = [part for part in parts if not part[:1].isupper()]
    return "/".join(modules) + ".py"


def record(path, reports):
    times = read_times(path)
    found = {}
    for report in reports:
        for case in ET.parse(report).iter("testcase"):
            name = file_of(case.get("classname", ""))
            found[name] = found.get(name, 0.0) + float(case.get("time") or 0)
    times.update({name: round(seconds, 2) for name, seconds in found.items()})
    with open(path, "w") as handle:
        json.dump(times, handle, indent=1, sort_keys=True)


def main(argv):
    if len(argv) >= 3 and argv[0] == "split":
        for shard in split(int(argv[1]), read_times(argv[2]), argv[3:]):
            print(" ".join(shard))
    elif len(argv) >= 2 and argv[0] == "record":
        record(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
