"""The first release of the addon, checked out beside the current code, and
the Odoo commands that install it and upgrade it to the current code."""
import configparser
import os
import re
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ODOO_BIN = os.path.join(REPO_ROOT, "scripts", "odoo-bin")
ADDON = "oletv_integration"
# The first complete version (manifest 11.0.1.0.0): every database an ISP
# may hold was created with it or with a later version.
FIRST_RELEASE = "fc3f2f1"
FIRST_RELEASE_VERSION = "11.0.1.0.0"
# The last commit of the version before the current one: its data (customer
# notices, their templates) did not exist in the first release, and a
# migration that recodes them is tested from here.
PREVIOUS_RELEASE = "8661988"
PREVIOUS_RELEASE_VERSION = "11.0.1.6.0"
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)


def git(*args):
    return subprocess.run(["git", "-C", REPO_ROOT] + list(args), check=True,
                          stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()


def checkout(commit=FIRST_RELEASE, version=FIRST_RELEASE_VERSION):
    """A git worktree of the release under .local/releases/<version>."""
    path = os.path.join(REPO_ROOT, ".local", "releases", version)
    try:
        wanted = git("rev-parse", commit + "^{commit}")
    except subprocess.CalledProcessError:
        raise RuntimeError("commit %s (release %s) is not in this clone: the upgrade test needs "
                           "the project's history (git fetch --unshallow)" % (commit, version))
    if os.path.isdir(path) and git("-C", path, "rev-parse", "HEAD") == wanted:
        return path
    git("worktree", "prune")
    if os.path.isdir(path):
        git("worktree", "remove", "--force", path)
    git("worktree", "add", "--detach", path, wanted)
    return path


def copy_database(params, source, target):
    """target := a copy of source (dropped first if it exists)."""
    import psycopg2
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    try:
        with connection.cursor() as cr:
            cr.execute('DROP DATABASE IF EXISTS "%s"' % target)
            cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    finally:
        connection.close()


def manifest_version(addons_root):
    with open(os.path.join(addons_root, ADDON, "__manifest__.py")) as manifest:
        return eval(manifest.read())["version"]  # a literal dict, as Odoo reads it


def write_conf(base_conf, addons_root, path):
    """A copy of the project's Odoo configuration serving addons_root's addon."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(base_conf)
    parser["options"]["addons_path"] = addons_root
    with open(path, "w") as handle:
        parser.write(handle)
    return path


def db_params(conf):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    options = parser["options"]
    return dict(host=options["db_host"], port=int(options["db_port"]),
                user=options["db_user"], password=options["db_password"])


def run_odoo(conf, db, log_path, *args):
    """Run Odoo once on db (install/update, then stop); return its log text.
    Fails with the log's ERROR lines when Odoo fails or logs an error."""
    if os.path.exists(log_path):
        os.remove(log_path)
    command = [sys.executable, ODOO_BIN, "-c", conf, "-d", db, "--stop-after-init", "--no-http",
               "--logfile", log_path] + list(args)
    result = subprocess.run(command, cwd=REPO_ROOT, env=dict(os.environ, TZ="UTC"))
    with open(log_path) as handle:
        log = handle.read()
    return result.returncode, log


def log_problems(log):
    """The ERROR/CRITICAL lines of an Odoo log, each with what follows it."""
    lines = log.splitlines()
    return ["\n".join(lines[index:index + 8]) for index, line in enumerate(lines)
            if LOG_PROBLEM.match(line + "\n")]
