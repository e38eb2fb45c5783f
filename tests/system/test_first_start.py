"""First start (issue 12, item 12): the first requests a server gets, all at
once and at the moment its port opens, on a database whose web assets were
never generated, all answer 200 and the server logs no ERROR, after the
project's first-start step (scripts/prepare_first_start.sh, the step
`make run` runs) and with the project's launcher (scripts/odoo-bin).

Without them Odoo 11 fails two ways: requests that arrive while the server
still loads its registry break the loading ("Failed to load registry", then
HTTP 500), and requests that generate the same asset bundle at once race on
the filestore folders ("[Errno 17] File exists", HTTP 500).
OLETV_FIRST_START_WITHOUT_FIX=1 runs the same test without them, to see it
fail."""
import configparser
import os
import re
import socket
import subprocess
import threading
import time

import psycopg2
import requests

from oletv_testing.odoo_server import REPO_ROOT

from .odoo_server import OdooServer, required_env

WITHOUT_FIX = os.environ.get("OLETV_FIRST_START_WITHOUT_FIX") == "1"
CLIENTS = 16  # concurrent first visitors
ASSET_URL = re.compile(r'(?:href|src)="(/web/content/[^"]*/[a-z_]+\.assets_[a-z_]+\.[^"]*)"')
BUNDLES = {"web.assets_common", "web.assets_frontend", "web.assets_backend",
           "web_editor.assets_editor"}
ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.M)


def odoo_options(conf):
    parser = configparser.ConfigParser()
    parser.read(conf)
    return parser["options"]


def asset_attachments(options, db):
    """The URLs of the bundles' attachments in the database."""
    with psycopg2.connect(host=options["db_host"], port=options["db_port"], user=options["db_user"],
                          password=options["db_password"], dbname=db) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT url FROM ir_attachment WHERE url LIKE '/web/content/%%assets%%'")
            return {row[0] for row in cursor.fetchall()}


def wait_for_port(server, timeout=90):
    """Until the port accepts a connection, without sending a request."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "Odoo exited early; see " + server.log_path
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise AssertionError("Odoo did not open its port within %ss" % timeout)


def visitor(url, db, kind, barrier, results, admin_session):
    """One first visitor: a page, then every asset bundle the page links.
    The web client's visitors share one login (concurrent logins of the
    admin race on web.base.url: another matter than a first start)."""
    session = requests.Session()

    def get(path):
        try:
            response = session.get(url + path, timeout=120)
        except requests.RequestException as error:  # a dropped connection is a failure too
            results.append((path, repr(error)))
            return ""
        results.append((path, response.status_code))
        return response.text

    barrier.wait()
    if kind == "login_backend":  # logs in, then opens the web client
        try:
            answer = session.post(url + "/web/session/authenticate", timeout=120, json={
                "jsonrpc": "2.0", "params": {"db": db, "login": "admin", "password": "admin"}})
            logged_in = answer.status_code == 200 and (answer.json().get("result") or {}).get("uid")
            results.append(("/web/session/authenticate", 200 if logged_in else answer.status_code))
        except (requests.RequestException, ValueError) as error:
            results.append(("/web/session/authenticate", repr(error)))
        admin_session["cookies"] = session.cookies
        admin_session["ready"].set()
        page = get("/web")
    elif kind == "backend":  # opens the web client with that login
        admin_session["ready"].wait(120)
        session.cookies.update(admin_session.get("cookies") or {})
        page = get("/web")
    else:
        page = get({"login": "/web/login", "redirect": "/web", "qweb": "/web/webclient/qweb"}[kind])
    for asset in sorted(set(ASSET_URL.findall(page))):
        get(asset)


def test_first_requests_on_fresh_database_all_answer():
    db, conf = required_env("OLETV_FIRST_START_DB"), required_env("OLETV_ODOO_CONF")
    options = odoo_options(conf)
    filestore = os.path.join(options["data_dir"], "filestore", db)
    # the situation of a first start: no bundle ever generated in this database
    assert not asset_attachments(options, db), "%s already has web assets: use a fresh copy" % db
    assert not os.path.exists(filestore), "%s already has a filestore: use a fresh copy" % db

    extra_env = {}
    if WITHOUT_FIX:
        extra_env["ODOO_PRELOAD_ADDONS"] = "yes"  # Odoo 11's default
    else:
        subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts", "prepare_first_start.sh"), db],
                       check=True)
    prepared = asset_attachments(options, db)
    server = OdooServer(db, conf, extra_env=extra_env, log_name="first-start-odoo.log",
                        fresh_log=True)
    # most render the login page (the bundles every first visitor needs)
    kinds = ["login_backend", "qweb"] + ["login", "redirect", "login", "backend"] * CLIENTS
    barrier, results, admin_session = threading.Barrier(CLIENTS), [], {"ready": threading.Event()}
    threads = [threading.Thread(target=visitor, args=(server.url, db, kinds[index], barrier,
                                                      results, admin_session))
               for index in range(CLIENTS)]
    server.launch()
    try:
        wait_for_port(server)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
    finally:
        server.stop()
    with open(server.log_path) as handle:
        log = handle.read()

    failed = [result for result in results if result[1] != 200]
    errors = [line for line in log.splitlines() if ERROR_LINE.match(line + "\n")]
    print("\nfirst start%s: %d requests from %d visitors in %.1f s, %d failed %s, %d ERROR lines %s"
          % (" WITHOUT the fix" if WITHOUT_FIX else "", len(results), CLIENTS, took, len(failed),
             failed, len(errors), errors[:3]))
    assert not failed, "requests that did not answer 200: %s" % failed
    assert not errors, "the server logged errors (see %s): %s" % (server.log_path, errors)
    fetched = {match for path, _ in results
               for match in re.findall(r"[a-z_]+\.assets_[a-z]+", path)}
    # not vacuous: the pages linked every bundle of the login page and the web client
    assert fetched == BUNDLES, fetched
    if not WITHOUT_FIX:  # the server served the prepared bundles, it generated none
        assert asset_attachments(options, db) == prepared
