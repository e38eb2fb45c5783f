"""`make lint`: pylint-odoo on the addon (.pylintrc, OCA's configuration
for 11.0) and flake8 on the repository (.flake8). Run by the lint venv's
Python (.local/lint, scripts/setup_lint.sh). Prints each tool's findings;
with --junitxml PATH also writes one testcase per tool (failed, with the
findings as its message, when it reports any) for `make test`'s closing
summary. Exits 1 when any tool reports a finding."""
import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
TOOLS = [
    ("pylint-odoo", [os.path.join(BIN, "pylint"), "--rcfile=.pylintrc", "oletv_integration"]),
    ("flake8", [os.path.join(BIN, "flake8"), "."]),
]


def run(name, command):
    started = time.time()
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    output = result.stdout.strip()
    findings = [line for line in output.splitlines()
                if line and not line.startswith("*************")]
    return {"name": name, "ok": result.returncode == 0 and not findings, "output": output,
            "findings": len(findings), "returncode": result.returncode,
            "seconds": time.time() - started}


def write_junit(path, results):
    suite = ET.Element("testsuite", name="lint", tests=str(len(results)),
                       failures=str(sum(not r["ok"] for r in results)), errors="0", skipped="0")
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="lint", name=result["name"],
                             time="%.3f" % result["seconds"])
        if not result["ok"]:
            failure = ET.SubElement(case, "failure", message="%d finding(s), exit code %d" % (
                result["findings"], result["returncode"]))
            failure.text = result["output"]
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--junitxml")
    args = parser.parse_args(argv)
    results = [run(name, command) for name, command in TOOLS]
    for result in results:
        if result["output"]:
            print(result["output"])
        print("%s: %d finding(s)" % (result["name"], result["findings"]))
    if args.junitxml:
        write_junit(args.junitxml, results)
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
