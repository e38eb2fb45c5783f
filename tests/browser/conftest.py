"""Fixtures shared by the browser tests: a live Olé TV sandbox, a real Odoo
server with its job runner pointed at it, and headless Chromium logged in as
admin (onboarding tours consumed). Each test module gets its own set
(module scope) and names, at module level:

- LOG_NAME: the Odoo server's log file in .local/ (e.g. "browser-test-odoo.log");
- SHOTS: the glob of its screenshots (e.g. "portal-*.png"), removed from
  .local/screenshots before it runs and the set it publishes to docs/screenshots.

The module's name gives its failure screenshot (.local/screenshots/failure-<name>.png)
and its browser console log (.local/browser-console-<name>.log).

Their screenshots are the operator's guide's: the database copy is made a
Brazilian company first (BRL, pt_BR: scripts/demo_company.py's browser
phase), and each step is done by the user who does it at an ISP, in pt_BR
and Brazil's time zone (back_office_user, log_in_as): the TV manager
(MANAGER) configures, the operator (OPERATOR, no e-mail address, as the
demo's `operador`) works on contracts and TV users, the customer uses the
portal; admin only grants portal access (it creates a login)."""
import glob
import os
import shutil
import subprocess
import sys
from datetime import datetime

import pytest
import pytz

from oletv_sandbox.testing import SandboxServer
from oletv_testing.odoo_server import REPO_ROOT
from system.odoo_server import OdooServer, required_env

from .odoo_browser import OdooBrowser

LOCAL_SHOTS = os.path.join(REPO_ROOT, ".local", "screenshots")
DOCS_SHOTS = os.path.join(REPO_ROOT, "docs", "screenshots")
LANG, TZ = "pt_BR", "America/Sao_Paulo"


def company_today():
    """The company's day (its time zone, TZ): what the addon dates by. The
    tests run in UTC, a day ahead of it from 00:00 to 03:00 UTC."""
    return datetime.now(pytz.timezone(TZ)).date()


# (name, login, password, e-mail, groups) of the back-office users
# The manager also makes contracts: an account.analytic.account (Analytic
# Accounting) whose lines only Invoicing advisers may write (OCA contract).
MANAGER = ("Marcos Gerente", "gerente.tv", "gerente-tv-1", "marcos.gerente@example.com",
           ("base.group_user", "account.group_account_manager",
            "analytic.group_analytic_accounting", "oletv_integration.group_tv_manager"))
OPERATOR = ("Olívia Operadora", "operadora.tv", "operadora-tv-1", False,
            ("base.group_user", "account.group_account_invoice",
             "oletv_integration.group_tv_user"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, for the failure screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def module_short_name(module):
    return module.__name__.rsplit(".", 1)[-1]


def failure_path(module):
    return os.path.join(LOCAL_SHOTS, "failure-%s.png" % module_short_name(module))


@pytest.fixture(scope="module")
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture(scope="module")
def odoo(request, sandbox):
    subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts", "setup_browser.sh")], check=True)
    # The web client's CSS needs lessc (installed by setup_venv.sh) on the server's PATH.
    node_bin = os.path.join(REPO_ROOT, ".local", "node", "node_modules", ".bin")
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = node_bin + os.pathsep + path
    assert shutil.which("lessc"), "lessc is missing: run scripts/setup_venv.sh"
    database, conf = required_env("OLETV_SYSTEM_DB"), required_env("OLETV_ODOO_CONF")
    subprocess.run([sys.executable, os.path.join(REPO_ROOT, "scripts", "demo_company.py"), conf,
                    database, "browser"], check=True, env=dict(os.environ, TZ="UTC"))
    server = OdooServer(database, conf, log_name=request.module.LOG_NAME)
    try:
        server.start()
        server.rpc("ir.config_parameter", "set_param", "oletv_integration.homologation_url",
                   sandbox.url)
        yield server
    finally:
        server.stop()
        os.environ["PATH"] = path


@pytest.fixture(scope="module")
def browser(request, odoo):
    os.makedirs(LOCAL_SHOTS, exist_ok=True)
    for old in glob.glob(os.path.join(LOCAL_SHOTS, request.module.SHOTS)) + glob.glob(
            failure_path(request.module)):
        os.remove(old)
    client = OdooBrowser(odoo.url, LOCAL_SHOTS)
    console_log = os.path.join(REPO_ROOT, ".local", "browser-console-%s.log"
                               % module_short_name(request.module))
    try:
        client.login()
        consume_tours(client, odoo.rpc)
        yield client
    finally:
        client.quit()
        with open(console_log, "w") as log:  # every console entry, for the curious
            for entry in client.console:
                log.write("%(level)s %(source)s %(message)s\n" % dict(
                    {"source": ""}, **entry))


def consume_tours(client, rpc, uid=None):
    """Mark every onboarding tour of the web client consumed for the user
    `uid` (default: rpc's, admin) so that no tip shows in the screenshots,
    then reload (the client must be logged in as that user)."""
    uid = uid or rpc.uid
    names = client.driver.execute_script(
        "var tours = odoo.__DEBUG__.services['web_tour.tour'];"
        "return tours && tours.tours ? Object.keys(tours.tours) : [];")
    consumed = {tour["name"] for tour in rpc("web_tour.tour", "search_read", [
        ("user_id", "=", uid)], fields=["name"])}
    for name in names:  # what web_tour.tour.consume does (which returns None: no XML-RPC)
        if name not in consumed:
            rpc("web_tour.tour", "create", {"name": name, "user_id": uid})
    client.reload()
    assert not client.find_all(".o_tooltip"), "onboarding tips are still shown"


@pytest.fixture(autouse=True)
def failure_screenshot(request, browser):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        try:
            browser.driver.save_screenshot(failure_path(request.module))
        except Exception:  # noqa: BLE001 - best effort after a failure
            pass


def back_office_user(rpc, spec):
    """The back-office user `spec` (MANAGER, OPERATOR), in pt_BR: its id
    (made once: the browser tests share their database copy)."""
    name, login, password, email, groups = spec
    existing = rpc("res.users", "search", [("login", "=", login)])
    if existing:
        return existing[0]
    return rpc("res.users", "create", {
        "name": name, "login": login, "password": password, "email": email,
        "lang": LANG, "tz": TZ, "groups_id": [(6, 0, [rpc.ref(group) for group in groups])]})


def log_in_as(b, rpc, spec, uid):
    """Log the browser in as the back-office user `spec` (id `uid`), tours consumed."""
    b.driver.delete_all_cookies()
    b.login(spec[1], spec[2])
    consume_tours(b, rpc, uid)
    lang = b.driver.execute_script("return odoo.session_info.user_context.lang;")
    assert lang == LANG, "%s's web client is in %s" % (spec[1], lang)


def synced_integration(rpc, sandbox, name):
    """A homologation TV integration with the sandbox's credentials and its
    synced catalog, over XML-RPC: (its id, {package code: package id}).
    Made in pt_BR: its access instructions (a translated default) too."""
    integration = rpc("tv.integration", "create", {
        "name": name, "environment": "homologation", "access_token": sandbox.token,
        "api_login": sandbox.login, "api_password": sandbox.password},
        context={"lang": LANG})
    rpc("tv.integration", "action_sync_catalog", [integration])
    packages = {package["code"]: package["id"] for package in rpc(
        "tv.package", "search_read", [("integration_id", "=", integration)], fields=["code"])}
    return integration, packages


def publish_screenshots(paths, pattern):
    """Replace docs/screenshots/<pattern> with this run's set, as 256-colour
    PNGs (about a third of the size, no visible difference on the web client).
    Each test publishes its own series (its module's SHOTS)."""
    from PIL import Image  # Pillow: a dependency of Odoo 11

    os.makedirs(DOCS_SHOTS, exist_ok=True)
    for old in glob.glob(os.path.join(DOCS_SHOTS, pattern)):
        os.remove(old)
    for path in paths:
        image = Image.open(path).convert("RGB").quantize(colors=256, method=2)
        image.save(os.path.join(DOCS_SHOTS, os.path.basename(path)), optimize=True)
