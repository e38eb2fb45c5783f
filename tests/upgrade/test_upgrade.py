"""Upgrading the addon on a live database keeps every record.

A database is built with the first release (a git worktree of it, its demo
data off), filled through XML-RPC with a realistic mix while the platform
answers and then while it is down, and upgraded to the current code with
`-u oletv_integration`. Then: no ERROR in the upgrade log, every record
keeps its meaning, the schema equals a fresh install's, and the work left
pending converges on the sandbox once it is back.

The customer notices came later than the first release: a copy of the same
empty database gets the previous release (release.PREVIOUS_RELEASE), notices
an ISP has (an edited template, switches set, a notice sent, one waiting in
the queue), and is upgraded to the current code the same way."""
import collections
import json
import os

import pytest

from oletv_sandbox.testing import SandboxServer
from oletv_testing.odoo_server import wait_until
from system.odoo_server import OdooServer, required_env

from . import meaning, release, snapshot
from .fill import CUSTOMERS, Filler, NoticeFiller

LOCAL = os.path.join(release.REPO_ROOT, ".local")
PLATFORM_STATES = {"draft", "awaiting_activation", "active", "blocked", "deleted"}
SYNC_STATES = {"none", "synced", "pending", "error"}
CONTRACT_STATUSES = {"awaiting_signature", "active", "late_notice", "blocked", "deactivated"}


class Upgrade:
    """What the fixture did, for the tests to check."""


@pytest.fixture(scope="module")
def sandbox():
    with SandboxServer() as server:
        yield server


def install_and_fill(params, db, conf, install_log, server_log, fill):
    """Install the release `conf` runs on `db`, without demo data, then
    fill it through that release's server: returns what `fill(rpc)` does."""
    with snapshot.connect(params, db) as cr:
        # Like a production database: Odoo installs a module's demo data
        # whenever a dependency has it.
        cr.execute("UPDATE ir_module_module SET demo = false")
        cr.connection.commit()
    code, log = release.run_odoo(conf, db, os.path.join(LOCAL, install_log),
                                 "-i", release.ADDON, "--without-demo=all")
    assert code == 0 and not release.log_problems(log), "the release did not install: " + conf
    server = start_server(db, conf, server_log)
    try:
        return fill(server.rpc)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def upgrade(sandbox):
    done = Upgrade()
    done.conf, done.db = required_env("OLETV_ODOO_CONF"), required_env("OLETV_UPGRADE_DB")
    done.fresh_db = required_env("OLETV_FRESH_DB")
    done.params = release.db_params(done.conf)
    # the same empty database, for the upgrade from the previous release
    done.previous_db = done.db + "_previous"
    release.copy_database(done.params, done.db, done.previous_db)
    done.release_root = release.checkout()
    release_conf = release.write_conf(done.conf, done.release_root,
                                      os.path.join(LOCAL, "upgrade-release.conf"))
    done.filler = install_and_fill(done.params, done.db, release_conf, "upgrade-install.log",
                                   "upgrade-release-odoo.log", lambda rpc: Filler(rpc, sandbox)())
    with snapshot.connect(done.params, done.db) as cr:
        done.before = snapshot.records(cr)
        done.schema_before = snapshot.schema(cr)
        done.version_before = installed_version(cr)
    done.log_path = os.path.join(LOCAL, "upgrade.log")
    done.code, done.log = release.run_odoo(done.conf, done.db, done.log_path, "-u", release.ADDON)
    with snapshot.connect(done.params, done.db) as cr:
        done.after = snapshot.records(cr)
        done.schema = snapshot.schema(cr)
        done.version_after = installed_version(cr)
        cr.execute("SELECT channel FROM queue_job WHERE model_name = 'tv.user' "
                   "AND method_name = '_tv_sync_job' AND state IN ('pending', 'enqueued')")
        done.waiting_sync_channels = [row[0] for row in cr.fetchall()]
    with snapshot.connect(done.params, done.fresh_db) as cr:
        done.fresh_schema = snapshot.schema(cr)
    return done


def start_server(db, conf, log_name):
    return OdooServer(db, conf, log_name=log_name, fresh_log=True).start()


def installed_version(cr):
    cr.execute("SELECT latest_version FROM ir_module_module WHERE name = %s", (release.ADDON,))
    return cr.fetchone()[0]


def test_upgrades_from_the_first_release_to_the_current_version(upgrade):
    assert release.manifest_version(upgrade.release_root) == release.FIRST_RELEASE_VERSION
    assert upgrade.version_before == release.FIRST_RELEASE_VERSION
    assert upgrade.version_after == release.manifest_version(release.REPO_ROOT)


def test_a_changed_data_model_has_a_new_version(upgrade):
    """OCA's scheme: the manifest version goes up with the data model."""
    if upgrade.schema_before != upgrade.fresh_schema:
        current = release.manifest_version(release.REPO_ROOT)
        assert version_key(current) > version_key(release.FIRST_RELEASE_VERSION), (
            "the data model changed since %s: raise the manifest version"
            % release.FIRST_RELEASE_VERSION)


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def test_upgrade_log_has_no_error(upgrade):
    problems = release.log_problems(upgrade.log)
    assert upgrade.code == 0 and not problems, "see %s:\n%s" % (
        upgrade.log_path, "\n".join(problems[:5]))


def test_the_filled_database_covers_every_state(upgrade):
    """The mix is realistic only if it holds every state (guards the fill)."""
    users = upgrade.before["tv_user"].values()
    assert {user["platform_state"] for user in users} == PLATFORM_STATES
    assert {user["sync_state"] for user in users} == SYNC_STATES
    statuses = {row["contract_status"]
                for row in upgrade.before["account_analytic_account (addon columns)"].values()
                if row["contract_status"]}
    assert statuses == CONTRACT_STATUSES
    assert len(users) == len(CUSTOMERS)
    for table in ("tv_integration", "tv_package", "tv_equipment_model", "tv_delinquency_policy",
                  "tv_trust_release", "tv_api_call", "product_tv_package_line"):
        assert upgrade.before[table], "no %s record" % table
    assert any(user["to_delete"] and not user["active"] for user in users)


def test_every_record_keeps_its_meaning(upgrade):
    expected = meaning.expected_after_upgrade(upgrade.before, upgrade.filler)
    assert snapshot.differences(expected, upgrade.after) == []


def test_schema_equals_a_fresh_install(upgrade):
    assert upgrade.schema, "the addon's schema was read"
    assert snapshot.differences(upgrade.fresh_schema, upgrade.schema) == []


@pytest.fixture(scope="module")
def current(upgrade, sandbox):
    """The current code serving the upgraded database, with its job runner."""
    sandbox.set_faults()  # the platform is back
    server = start_server(upgrade.db, upgrade.conf, "upgrade-current-odoo.log")
    yield server
    server.stop()
    with open(server.log_path) as log:
        assert not release.log_problems(log.read())


def test_stored_values_mean_something_to_the_current_code(upgrade, current):
    """A selection recoded without its migration script keeps values the
    current code does not know: every stored selection value must be one of
    the current field's keys."""
    models = {model["model"].replace(".", "_"): model["model"]
              for model in current.rpc("ir.model", "search_read", [], fields=["model"])}
    unknown = []
    for name, rows in upgrade.after.items():
        model = models.get(name.split(" ")[0])
        if not model or not rows:
            continue
        described = current.rpc(model, "fields_get", attributes=["type", "selection"])
        for column in next(iter(rows.values())):
            field = described.get(column, {})
            if field.get("type") != "selection" or not isinstance(field.get("selection"), list):
                continue
            keys = {key for key, _label in field["selection"]}
            unknown += ["%s.%s = %r" % (model, column, row[column]) for row in rows.values()
                        if row[column] not in keys and row[column] is not None]
    assert unknown == []


def test_pending_work_converges_after_the_upgrade(upgrade, sandbox, current):
    """Last: it runs the current code's jobs on the upgraded database."""
    rpc, users = current.rpc, upgrade.filler.users
    wait_until(lambda: not rpc("tv.user", "search_count", [("sync_state", "=", "pending")],
                               context={"active_test": False}), 90, "pending work done")
    remote = {s["account_number"]: s for s in sandbox.state()["subscribers"]}
    read = lambda key: rpc("tv.user", "read", [users[key]], [  # noqa: E731
        "account_number", "sync_state", "platform_state", "active"],
        context={"active_test": False})[0]
    created = read("pending_create")
    assert created["sync_state"] == "synced" and created["account_number"] in remote
    packages = remote[created["account_number"]]
    assert (packages["main_package"], sorted(packages["additional_packages"])) == (
        "FAMILY", ["EXTRA_POINT", "SPORTS"])
    assert remote[read("pending_block")["account_number"]]["status"] == "blocked"
    deleted = upgrade.before["tv_user"][users["pending_delete"]]["account_number"]
    assert remote[deleted]["deleted"], "the removal requested before the upgrade was applied"
    live = collections.Counter(s["login"] for s in remote.values() if not s["deleted"])
    assert [login for login, count in live.items() if count > 1] == []
    bound = collections.Counter(user["account_number"] for user in rpc(
        "tv.user", "search_read", [("account_number", "!=", False)], fields=["account_number"],
        context={"active_test": False}))
    assert [account for account, count in bound.items() if count > 1] == [], \
        "one platform account per TV user"
    assert read("dup_second")["account_number"] == upgrade.filler.duplicate_account


def test_scheduled_actions_of_the_first_release_still_run(current):
    """Cron records are noupdate: their code is what the first release wrote,
    unless a migration script rewrote it."""
    crons = current.rpc("ir.model.data", "search_read", [
        ("module", "=", release.ADDON), ("model", "=", "ir.cron")], fields=["res_id", "name"])
    assert len(crons) >= 2
    for cron in crons:
        current.rpc("ir.cron", "method_direct_trigger", [cron["res_id"]])  # a fault fails


def test_the_platform_jobs_run_on_the_sync_channel(upgrade, current):
    """11.0.1.11.0: queue_job keeps a job function's first channel; the
    migration moves the TV users' platform jobs onto the sync channel, the
    jobs the first release left waiting too."""
    assert upgrade.waiting_sync_channels
    assert set(upgrade.waiting_sync_channels) == {"root.oletv.sync"}
    functions = current.rpc("queue.job.function", "search_read", [
        ("name", "in", ["<tv.user>._tv_sync_job", "<tv.user>._tv_reconcile_job"])],
        fields=["name", "channel"])
    assert sorted((function["name"], function["channel"]) for function in functions) == [
        ("<tv.user>._tv_reconcile_job", "root.oletv.sync"),
        ("<tv.user>._tv_sync_job", "root.oletv.sync")]

# -- from the previous release: the customer notices --------------------------


@pytest.fixture(scope="module")
def from_previous(upgrade):
    """The previous release installed on a copy of the empty database,
    filled with customer notices, upgraded to the current code."""
    done = Upgrade()
    done.conf, done.params, done.db = upgrade.conf, upgrade.params, upgrade.previous_db
    root = release.checkout(release.PREVIOUS_RELEASE, release.PREVIOUS_RELEASE_VERSION)
    conf = release.write_conf(done.conf, root, os.path.join(LOCAL, "upgrade-previous.conf"))
    done.filler = install_and_fill(done.params, done.db, conf, "upgrade-previous-install.log",
                                   "upgrade-previous-odoo.log", lambda rpc: NoticeFiller(rpc)())
    with snapshot.connect(done.params, done.db) as cr:
        done.before = snapshot.records(cr)
        done.version_before = installed_version(cr)
    done.log_path = os.path.join(LOCAL, "upgrade-previous.log")
    done.code, done.log = release.run_odoo(done.conf, done.db, done.log_path, "-u", release.ADDON)
    with snapshot.connect(done.params, done.db) as cr:
        done.after = snapshot.records(cr)
        done.version_after = installed_version(cr)
        cr.execute("SELECT id, args FROM queue_job WHERE id IN %s",
                   (tuple(done.filler.waiting_jobs),))
        done.waiting_jobs = {job: json.loads(args) for job, args in cr.fetchall()}
        cr.execute("""SELECT tr.type, tr.src, tr.value FROM ir_translation tr
                      WHERE tr.lang = 'pt_BR' AND (
                         (tr.type = 'selection' AND tr.name = 'mail.mail,tv_notice')
                         OR (tr.type = 'model' AND tr.name = 'ir.model.fields,field_description'
                             AND tr.res_id IN (SELECT id FROM ir_model_fields
                                               WHERE model = 'tv.delinquency.policy'
                                                 AND name LIKE 'notify_%%')))""")
        done.labels = sorted(cr.fetchall())
    return done


def test_upgrades_from_the_previous_release(from_previous):
    assert from_previous.version_before == release.PREVIOUS_RELEASE_VERSION
    assert from_previous.version_after == release.manifest_version(release.REPO_ROOT)
    problems = release.log_problems(from_previous.log)
    assert from_previous.code == 0 and not problems, "see %s:\n%s" % (
        from_previous.log_path, "\n".join(problems[:5]))


def test_the_notices_of_the_previous_release_keep_their_meaning(from_previous):
    before, after = from_previous.before, from_previous.after
    assert before["mail_mail (addon columns)"] and before["tv_delinquency_policy"]
    expected = meaning.expected_after_upgrade(before, from_previous.filler,
                                              since=release.PREVIOUS_RELEASE_VERSION)
    assert snapshot.differences(expected, after) == []


def test_the_blocked_notice_keeps_what_the_isp_had(from_previous):
    """What the meaning above implies, said plainly."""
    filler, before, after = from_previous.filler, from_previous.before, from_previous.after
    old = before["mail_template (addon templates)"]["mail_template_tv_suspended"]
    new = after["mail_template (addon templates)"]["mail_template_tv_blocked"]
    assert "mail_template_tv_suspended" not in after["mail_template (addon templates)"]
    assert new["id"] == filler.template == old["id"], "the same record"
    assert filler.EDIT in new["body_html"] and new["name"] == "TV: access blocked"
    body_pt = after["ir_translation (addon templates)"][
        ("mail_template_tv_blocked", "body_html", "pt_BR")]
    assert filler.EDIT_PT in body_pt["value"]
    assert [row["notify_blocked"] for row in after["tv_delinquency_policy"].values()] == [False]
    assert [after["mail_mail (addon columns)"][mail]["tv_notice"]
            for mail in filler.sent] == ["blocked"]
    assert [args[0] for args in from_previous.waiting_jobs.values()] == ["blocked"]
    labels = from_previous.labels
    assert ("selection", "Blocked", "Bloqueado") in labels
    assert ("model", "Blocked", "Bloqueado") in labels  # the switch's label
    assert not [label for label in labels if label[1] == "Suspended"]
