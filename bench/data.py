"""Bench data: N contracts, each with a TV/Streaming line and a TV user that
exists on the platform (active, in sync), built fast.

One prototype customer is made through the ORM (partner, contract with its
TV line, TV user created with ``tv_no_platform_sync``, followers as the ORM
sets them); the others are cloned from it in SQL, column by column, so they
look exactly like ORM-made records (same defaults, same followers). The
platform side is written straight into the sandbox's SQLite file with the
same logins, account numbers and packages, so a sync job finds every TV
user in sync except for the access the contract asks for.
"""
import json
import time

from odoo import SUPERUSER_ID, api

from . import access_rules, sync_plan

PACKAGE = "BASIC"


def login_for(k):
    return "bench%06d@example.com" % k


def account_for(k):
    return "OLE-%06d" % k


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = %s ORDER BY ordinal_position", (table,))
    return [row[0] for row in cr.fetchall()]


def _reserve_ids(cr, table, count):
    """Reserve `count` consecutive ids of table's sequence; return the first."""
    seq = "%s_id_seq" % table
    cr.execute("LOCK TABLE %s IN EXCLUSIVE MODE" % table)
    cr.execute("SELECT greatest((SELECT coalesce(max(id), 0) FROM %s), "
               "(SELECT last_value FROM %s)) + 1" % (table, seq))
    first = cr.fetchone()[0]
    cr.execute("SELECT setval(%s, %s)", (seq, first + count - 1))
    return first


def _clone(cr, table, proto_id, ks, overrides):
    """Insert one copy of row proto_id per k in ks. overrides maps a column
    to an SQL expression over g.k (customer number), g.n (0-based position)
    and g.new_id (the copy's id). Returns {k: new id}."""
    first = _reserve_ids(cr, table, len(ks))
    cols = _columns(cr, table)
    exprs = []
    for col in cols:
        if col == "id":
            exprs.append("g.new_id")
        elif col in overrides:
            exprs.append(overrides[col])
        else:
            exprs.append('p."%s"' % col)
    cr.execute(
        'INSERT INTO %s (%s) SELECT %s FROM '
        '(SELECT k, n - 1 AS n, %%s + n - 1 AS new_id FROM unnest(%%s::int[]) '
        'WITH ORDINALITY AS u(k, n)) g, %s p WHERE p.id = %%s'
        % (table, ", ".join('"%s"' % c for c in cols), ", ".join(exprs), table),
        (first, list(ks), proto_id))
    return {k: first + n for n, k in enumerate(ks)}


def _clone_followers(cr, res_model, proto_id, new_ids):
    """Give each clone the prototype's followers (and their subtypes)."""
    cr.execute("SELECT id FROM mail_followers WHERE res_model = %s AND res_id = %s",
               (res_model, proto_id))
    for (follower_id,) in cr.fetchall():
        ids = sorted(new_ids)
        first = _reserve_ids(cr, "mail_followers", len(ids))
        cr.execute(
            "INSERT INTO mail_followers (id, res_model, res_id, partner_id, channel_id) "
            "SELECT %s + n - 1, f.res_model, u.res_id, f.partner_id, f.channel_id "
            "FROM unnest(%s::int[]) WITH ORDINALITY AS u(res_id, n), mail_followers f "
            "WHERE f.id = %s", (first, ids, follower_id))
        cr.execute(
            "INSERT INTO mail_followers_mail_message_subtype_rel "
            "(mail_followers_id, mail_message_subtype_id) "
            "SELECT %s + n - 1, r.mail_message_subtype_id "
            "FROM generate_series(1, %s) n, mail_followers_mail_message_subtype_rel r "
            "WHERE r.mail_followers_id = %s", (first, len(ids), follower_id))


class BenchData:
    """The bench's integration, TV product and customers in database `db`."""

    def __init__(self, registry):
        self.registry = registry

    def env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def setup(self, sandbox_url, sandbox):
        """Integration (catalog synced from the sandbox), TV product, prototype."""
        with api.Environment.manage(), self.registry.cursor() as cr:
            env = self.env(cr)
            env["ir.config_parameter"].set_param("oletv_integration.homologation_url", sandbox_url)
            integration = env["tv.integration"].create({
                "name": "Olé TV bench", "environment": "homologation",
                "access_token": sandbox.token, "api_login": sandbox.login,
                "api_password": sandbox.password, "max_concurrency": 4})
            integration.action_sync_catalog()
            main = env["tv.package"].search([("integration_id", "=", integration.id),
                                             ("code", "=", PACKAGE)])
            product = env["product.product"].create({
                "name": "TV bench", "type": "service", "list_price": 50.0,
                "is_tv_product": True, "tv_platform": "oletv",
                "tv_integration_id": integration.id, "tv_main_package_id": main.id})
            journal = env["account.journal"].search([("type", "=", "sale")], limit=1)
            partner = env["res.partner"].create({"name": "Bench customer 000001",
                                                 "email": login_for(1), "customer": True})
            contract = env["account.analytic.account"].create({
                "name": "Bench contract 000001", "partner_id": partner.id,
                "recurring_invoices": True, "journal_id": journal.id,
                "recurring_rule_type": "monthly", "recurring_interval": 1,
                "recurring_invoice_line_ids": [(0, 0, {
                    "line_type": "tv", "product_id": product.id, "name": product.name,
                    "quantity": 1, "uom_id": product.uom_id.id, "specific_price": 50.0})]})
            user = env["tv.user"].with_context(tv_no_platform_sync=True).create({
                "contract_id": contract.id, "product_id": product.id, "technology": "iptv"})
            self._set_on_platform(cr, [user.id], {user.id: 1})
            self.integration_id, self.product_id = integration.id, product.id
            self.proto = {"partner": partner.id, "contract": contract.id, "user": user.id,
                          "line": contract.recurring_invoice_line_ids.id}
            self.count = 1
            cr.commit()

    @staticmethod
    def _set_on_platform(cr, user_ids, k_by_user):
        cr.execute(
            "UPDATE tv_user u SET account_number = 'OLE-' || lpad(v.k::text, 6, '0'), "
            "platform_state = %s, online = true, desired_access = %s, "
            "sync_state = %s, last_sync_date = now() at time zone 'UTC', "
            "last_check_date = now() at time zone 'UTC' "
            "FROM unnest(%s::int[], %s::int[]) AS v(id, k) WHERE u.id = v.id",
            (access_rules.PLATFORM_ACTIVE, access_rules.ACCESS_ALLOWED, sync_plan.SYNC_SYNCED,
             list(user_ids), [k_by_user[i] for i in user_ids]))

    def grow_to(self, total):
        """Clone the prototype customer until there are `total` customers."""
        if total <= self.count:
            return 0.0
        started = time.monotonic()
        ks = list(range(self.count + 1, total + 1))
        p = self.proto
        with api.Environment.manage(), self.registry.cursor() as cr:
            name = "'Bench customer ' || lpad(g.k::text, 6, '0')"
            email = "'bench' || lpad(g.k::text, 6, '0') || '@example.com'"
            partners = _clone(cr, "res_partner", p["partner"], ks, {
                "name": name, "display_name": name, "email": email,
                "commercial_partner_id": "g.new_id"})
            contracts = _clone(cr, "account_analytic_account", p["contract"], ks, {
                "name": "'Bench contract ' || lpad(g.k::text, 6, '0')",
                "partner_id": "(%d + g.n)" % partners[ks[0]]})
            _clone(cr, "account_analytic_invoice_line", p["line"], ks, {
                "analytic_account_id": "(%d + g.n)" % contracts[ks[0]]})
            users = _clone(cr, "tv_user", p["user"], ks, {
                "contract_id": "(%d + g.n)" % contracts[ks[0]],
                "partner_id": "(%d + g.n)" % partners[ks[0]],
                "login": email, "account_number": "'OLE-' || lpad(g.k::text, 6, '0')"})
            _clone_followers(cr, "res.partner", p["partner"], partners.values())
            _clone_followers(cr, "account.analytic.account", p["contract"], contracts.values())
            _clone_followers(cr, "tv.user", p["user"], users.values())
            cr.commit()
            # VACUUM as well as ANALYZE: rows inserted in bulk are otherwise
            # vacuumed (and their hint bits set) by autovacuum and the first
            # reads while part 1 measures at the larger size, which made the
            # single click look as if it grew with the number of contracts
            cr.autocommit(True)
            for table in ("res_partner", "account_analytic_account",
                          "account_analytic_invoice_line", "tv_user", "mail_followers"):
                cr.execute("VACUUM ANALYZE %s" % table)
            cr.autocommit(False)
        self.count = total
        return time.monotonic() - started

    def contract_ids(self, cr):
        cr.execute("SELECT contract_id FROM tv_user WHERE login LIKE 'bench%%@example.com' "
                   "ORDER BY contract_id")
        return [row[0] for row in cr.fetchall()]

    def seed_sandbox(self, sqlite_path, status=access_rules.PLATFORM_ACTIVE):
        """Write the `count` subscribers into the sandbox's SQLite file (the
        sandbox must not be running on it)."""
        from oletv_sandbox.store import utc_now
        now = utc_now()
        write_sandbox_subscribers(sqlite_path, [
            (k, account_for(k), login_for(k), login_for(k), status, PACKAGE, "[]", "[]",
             None, "iptv", None, now, now, now) for k in range(1, self.count + 1)])
        return json.dumps({"subscribers": self.count})


def write_sandbox_subscribers(sqlite_path, rows):
    """Replace the sandbox's subscribers with `rows` (id, account number,
    login, login key, status, main package, additional packages and MACs as
    JSON, equipment, technology, external ref, created, updated and first
    access times), straight into its SQLite file (the sandbox stopped)."""
    from oletv_sandbox.store import Store
    store = Store(sqlite_path)
    try:
        with store._lock:
            conn = store._conn
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM subscribers")
            conn.executemany(
                "INSERT INTO subscribers (id, account_number, login, login_key, status,"
                " main_package, additional_packages, mac_devices, equipment, technology,"
                " external_ref, created_at, updated_at, first_access_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
    finally:
        store.close()
