"""Prints one closing line for all pytest runs of `make test`, e.g.
"oletv: 120 passed, 0 failed, 0 skipped"; exits 1 if anything failed or
if no test ran at all."""
import sys
import xml.etree.ElementTree as ET


def count(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    for suite in suites:
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    return totals


def main(paths):
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    for path in paths:
        for key, value in count(path).items():
            totals[key] += value
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    print("oletv: %d passed, %d failed, %d skipped" % (passed, failed, totals["skipped"]))
    return 1 if failed or not totals["tests"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
