"""scripts/shard_tests.py: make test-fast's shards of the addon's Odoo test
files, of about equal time by their last times, and those times read back
from pytest's JUnit reports."""
import json
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARD_TESTS = os.path.join(REPO_ROOT, "scripts", "shard_tests.py")

REPORT = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="odoo.addons.oletv_integration.tests.test_a.TestA" name="t1" time="30.5"/>
<testcase classname="odoo.addons.oletv_integration.tests.test_a.TestA2" name="t2" time="9.5"/>
<testcase classname="oletv_integration.tests.test_b.TestB" name="t1" time="12"/>
</testsuite></testsuites>"""


def run(*args, cwd):
    return subprocess.run([sys.executable, SHARD_TESTS] + list(args), cwd=cwd, check=True,
                          stdout=subprocess.PIPE, universal_newlines=True).stdout


def test_the_reports_times_per_file_then_shards_of_about_equal_time(tmp_path):
    tests = tmp_path / "oletv_integration" / "tests"
    tests.mkdir(parents=True)
    for name, size in (("test_a.py", 10), ("test_b.py", 10), ("test_c.py", 10), ("test_d.py",
                                                                                 50000)):
        (tests / name).write_text("#" * size)
    report, times = tmp_path / "odoo_1.xml", tmp_path / "times.json"
    report.write_text(REPORT)
    times.write_text(json.dumps({"oletv_integration/tests/test_c.py": 11.0}))
    run("record", str(times), str(report), cwd=str(tmp_path))
    assert json.loads(times.read_text()) == {
        "oletv_integration/tests/test_a.py": 40.0, "oletv_integration/tests/test_b.py": 12.0,
        "oletv_integration/tests/test_c.py": 11.0}
    files = ["oletv_integration/tests/%s" % name
             for name in ("test_a.py", "test_b.py", "test_c.py", "test_d.py")]
    shards = run("split", "2", str(times), *files, cwd=str(tmp_path)).splitlines()
    # longest first to the lighter shard: a (40 s), d (never timed: 50,000 bytes, 30 s),
    # b (12 s) beside d, c (11 s) beside a: 51 s and 42 s
    assert shards == ["oletv_integration/tests/test_a.py oletv_integration/tests/test_c.py",
                      "oletv_integration/tests/test_d.py oletv_integration/tests/test_b.py"]
