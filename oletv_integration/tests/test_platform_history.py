# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the platform will bill: a month built on the sandbox (known
subscribers, status and package changes on known days through the
sandbox's clock, one subscriber linked to no TV user), the daily job run for
each day, and the month's figures checked against hand counts and against
the sandbox's own statement, by both rules; who may read and who may not
write the history."""
from datetime import date, timedelta

from odoo.exceptions import AccessError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..core import channels
from ..services.platform_slots import PLATFORM_SLOT_NAMESPACE
from ..services.platform_history import PlatformHistory
from .security_common import RolesCase, make_role_users

NOVEMBER = date(2026, 11, 1)


def november():
    return [NOVEMBER + timedelta(days=offset) for offset in range(30)]


class PlatformMonthCase(RolesCase):
    """November 2026 built on the sandbox (build_month; also
    test_platform_leaks.py's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoicing_manager = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Invoicing manager a", "login": "invoicing-manager-a",
            "email": "invoicing-manager-a@example.com",
            "groups_id": [(6, 0, [cls.env.ref("account.group_account_manager").id])]})

    def setUp(self):
        super().setUp()
        self.client = self.integration._client()

    def tearDown(self):
        self.client.close()
        super().tearDown()

    # -- the month -----------------------------------------------------------

    def link_tv_user(self, account, login):
        """A TV user of contract A bound to the platform's `account`."""
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": self.contract.id, "product_id": self.tv_product.id,
            "use_main_email": False, "login": login})
        user.write({"account_number": account, "platform_state": "active",
                    "sync_state": "synced"})
        return user

    def build_month(self, skip=(), seed_more=None):
        """November 2026 on the sandbox, the job run each day but `skip`:
        ana BASIC all month; bia FAMILY+HBO, blocked on the 11th, released
        on the 21st; caio BASIC, FAMILY+HBO from the 16th; dora BASIC,
        first access on the 6th, linked to no TV user; edu BASIC, deleted
        on the panel on the 26th."""
        self.sandbox.set_clock(NOVEMBER - timedelta(days=1))
        seed = self.sandbox.seed_subscriber
        accounts = {}
        for name, main, additional, status in (
                ("ana", "BASIC", [], "active"), ("bia", "FAMILY", ["HBO"], "active"),
                ("caio", "BASIC", [], "active"), ("dora", "BASIC", [], "awaiting_activation"),
                ("edu", "BASIC", [], "active")):
            accounts[name] = seed(login=name + "@example.com", main_package=main,
                                  additional_packages=additional, status=status)["account_number"]
        self.tv_users = {name: self.link_tv_user(accounts[name], name + "@example.com")
                         for name in ("ana", "bia", "caio", "edu")}
        if seed_more:
            seed_more()
        changes = {
            date(2026, 11, 6): lambda: self.sandbox.first_access(accounts["dora"]),
            date(2026, 11, 11): lambda: self.client.block_subscriber(accounts["bia"]),
            date(2026, 11, 16): lambda: self.client.change_packages(
                accounts["caio"], "FAMILY", ["HBO"]),
            date(2026, 11, 21): lambda: self.client.release_subscriber(accounts["bia"]),
            date(2026, 11, 26): lambda: self.sandbox.delete_from_panel(accounts["edu"]),
        }
        for day in november():
            self.sandbox.set_clock(day)
            if day in changes:
                changes[day]()
            if day not in skip:
                self.observe(day)
        return accounts

    def register_bill(self, clerk, vendor):
        """The clerk registers November's bill of `vendor` (Olé TV), dated in
        December: BASIC 3 more than the 3.17 counted, FAMILY and HBO as counted."""
        expense = self.env["account.account"].search([
            ("user_type_id", "=", self.env.ref("account.data_account_type_expenses").id),
            ("company_id", "=", self.integration.company_id.id)], limit=1)
        bill = self.env["account.invoice"].sudo(clerk).with_context(type="in_invoice").create({
            "partner_id": vendor.id, "type": "in_invoice", "date_invoice": "2026-12-05",
            "invoice_line_ids": [(0, 0, {
                "name": name, "quantity": quantity, "price_unit": price,
                "account_id": expense.id}) for name, quantity, price in (
                    ("Pacote BASIC novembro", 6.17, 20.0), ("Pacote FAMILY novembro", 1.17, 30.0),
                    ("Pacote HBO novembro", 1.17, 10.0))]})
        bill.sudo(clerk).action_invoice_open()
        return bill

    def observe(self, day):
        return self.env["tv.integration"]._tv_history_job(self.integration.id, str(day))

    def spans(self, integration=None):
        return self.env["tv.subscriber.span"].search(
            [("integration_id", "=", (integration or self.integration).id)])

    def counts(self, rule):
        self.integration.sudo(self.users_a["manager"]).platform_billing_rule = rule
        self.integration.invalidate_cache()  # the service reads the rule itself
        return PlatformHistory(self.env).month_counts(self.integration, NOVEMBER)


class TestPlatformHistory(PlatformMonthCase):

    def test_the_bills_error_is_found_against_the_counted_month(self):
        """Issue 25's parts together, no stand-in: the month's counts come
        from the history the daily job built on the sandbox, set against
        Olé TV's own bill with a deliberate error that the month's rows find."""
        self.build_month()
        manager, clerk = self.users_a["manager"], self.users_a["clerk"]
        ole = self.env["res.partner"].create({"name": "Olé TV Ltda", "supplier": True,
                                              "is_company": True})
        self.integration.sudo(manager).write({"vendor_partner_id": ole.id})
        for package, price in ((self.pkg_basic, 20.0), (self.pkg_family, 30.0),
                               (self.pkg_hbo, 10.0)):
            package.sudo(manager).write({"platform_price": price})
        self.register_bill(clerk, ole)
        self.integration.sudo(manager).action_compute_revenue_month("2026-11-01")
        rows = {line.package_code: line for line in self.env["tv.revenue.line"].sudo(clerk).search(
            [("integration_id", "=", self.integration.id), ("month", "=", "2026-11-01")])}
        basic = rows["BASIC"]
        self.assertEqual((basic.counted_quantity, basic.bill_quantity, basic.status),
                         (3.17, 6.17, "differs"))
        self.assertAlmostEqual(basic.quantity_diff, 3.0)
        self.assertAlmostEqual(basic.amount_diff, 60.0)
        self.assertEqual((rows["FAMILY"].counted_quantity, rows["FAMILY"].status), (1.17, "match"))
        self.assertEqual(rows["HBO"].status, "match")

    def test_the_month_matches_the_hand_counts_and_the_platforms_statement(self):
        accounts = self.build_month()
        # by hand: BASIC ana 30, caio 1st-15th 15, dora 6th-30th 25, edu 1st-25th 25;
        # FAMILY and HBO bia 1st-10th and 21st-30th 20, caio 16th-30th 15
        per_day = self.counts("per_day")
        self.assertEqual(per_day, {
            "BASIC": {"subscriber_days": 95, "subscribers": 4, "quantity": 3.17},
            "FAMILY": {"subscriber_days": 35, "subscribers": 2, "quantity": 1.17},
            "HBO": {"subscriber_days": 35, "subscribers": 2, "quantity": 1.17}})
        self.assertEqual(per_day, self.client.billing_statement("2026-11", "per_day"))
        any_day = self.counts("any_day")
        self.assertEqual({code: figures["quantity"] for code, figures in any_day.items()},
                         {"BASIC": 4.0, "FAMILY": 2.0, "HBO": 2.0})
        self.assertEqual(any_day, self.client.billing_statement("2026-11", "any_day"))
        # compact: a span per state, not a row per day (5 first states, 4 changes; edu's
        # deletion only closes one)
        self.assertEqual(len(self.spans()), 9)
        self.assertEqual(self.integration.history_last_day, "2026-11-30")
        rows = {row["account_number"]: row for row in PlatformHistory(
            self.env).month_subscribers(self.integration, date(2026, 11, 17))}
        self.assertEqual(rows[accounts["dora"]], {
            "account_number": accounts["dora"], "login": "dora@example.com",
            "tv_user_id": None, "package_codes": ["BASIC"], "billable_days": 25})
        self.assertEqual(rows[accounts["caio"]]["tv_user_id"], self.tv_users["caio"].id)
        self.assertEqual(rows[accounts["caio"]]["package_codes"], ["FAMILY", "HBO"])
        self.assertEqual(rows[accounts["bia"]]["billable_days"], 20)
        self.assertEqual(rows[accounts["edu"]]["billable_days"], 25)
        bia_spans = self.spans().filtered(lambda span: span.account_number == accounts["bia"])
        self.assertEqual(len(bia_spans), 3)
        self.assertEqual(bia_spans.mapped("tv_user_id"), self.tv_users["bia"])
        # dora linked to a TV user in December: her open span gets it
        dora = self.link_tv_user(accounts["dora"], "dora@example.com")
        self.sandbox.set_clock(date(2026, 12, 1))
        self.observe(date(2026, 12, 1))
        dora_spans = self.spans().filtered(lambda span: span.account_number == accounts["dora"])
        self.assertEqual(dora_spans.filtered(lambda span: not span.date_to).tv_user_id, dora)

    def test_a_day_observed_again_changes_nothing_and_a_missed_day_is_carried_forward(self):
        # nothing changes on the 8th: missing it changes no figure
        self.build_month(skip=(date(2026, 11, 8),))
        before = self.spans().read(["account_number", "status", "date_from", "date_to"])
        self.assertIn("already observed", self.observe(date(2026, 11, 30)))
        self.assertIn("already observed", self.observe(date(2026, 11, 12)))
        self.assertEqual(self.spans().read(["account_number", "status", "date_from", "date_to"]),
                         before)
        self.assertEqual(self.counts("per_day"),
                         self.client.billing_statement("2026-11", "per_day"))

    def test_a_change_on_a_missed_day_is_seen_the_next_day_observed(self):
        # bia blocked on the 11th, not observed: her active span is carried to the 11th
        self.build_month(skip=(date(2026, 11, 11),))
        self.assertEqual(self.counts("per_day")["FAMILY"]["subscriber_days"], 36)
        self.assertEqual(self.client.billing_statement("2026-11", "per_day")["FAMILY"][
            "subscriber_days"], 35)

    def test_an_open_span_counts_up_to_the_last_day_observed(self):
        self.sandbox.set_clock(NOVEMBER)
        self.sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                     status="active")
        self.observe(NOVEMBER)
        self.observe(date(2026, 11, 10))
        self.assertEqual(self.counts("per_day"), {
            "BASIC": {"subscriber_days": 10, "subscribers": 1, "quantity": 0.33}})
        self.assertEqual(PlatformHistory(self.env).month_counts(self.integration,
                                                                date(2026, 12, 1)), {})

    # -- the daily job -------------------------------------------------------------

    def test_the_scheduled_action_queues_one_job_a_day_per_integration_on_the_platform_channel(
            self):
        jobs = self.env["queue.job"]
        self.env["tv.integration"]._cron_platform_history()
        self.env["tv.integration"]._cron_platform_history()  # the same day: no second job
        queued = jobs.search([("method_name", "=", "_tv_history_job"),
                              ("args", "like", "[%d," % self.integration.id)])
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.channel, channels.SYNC_CHANNEL)
        self.sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                     status="active")
        job = Job.load(self.env, queued.uuid)
        job.perform()
        self.assertEqual(self.spans().mapped("status"), ["active"])
        self.assertEqual(self.spans().tv_user_id, self.env["tv.user"])
        self.assertEqual(self.spans(self.integration_b), self.env["tv.subscriber.span"])

    def test_the_job_waits_for_a_platform_slot(self):
        """Another connection's jobs hold every platform slot of the
        integration: the day's job is postponed before any read."""
        self.integration.max_concurrency = 2
        cursor = self.registry.cursor()
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.execute, "SELECT pg_advisory_unlock_all()")
        cursor.execute("SELECT bool_and(pg_try_advisory_lock(%s, %s * 1000 + slot)) "
                       "FROM generate_series(0, 1) AS slot",
                       (PLATFORM_SLOT_NAMESPACE, self.integration.id))
        self.assertTrue(cursor.fetchone()[0], "the slots are free")
        with self.assertRaises(RetryableJobError):
            self.observe(NOVEMBER)
        self.assertNotIn("list_subscribers_page", self.sandbox.stats()["requests"])
        cursor.execute("SELECT pg_advisory_unlock_all()")
        self.observe(NOVEMBER)
        self.assertEqual(self.sandbox.stats()["requests"]["list_subscribers_page"], 1)

    # -- who may do what -------------------------------------------------------------

    def test_who_reads_the_history_and_nobody_writes_it(self):
        self.build_month(skip=tuple(november()[2:]))
        span = self.spans()[:1]
        for role in ("manager", "operator", "clerk", "viewer"):
            self.assertEqual(self.as_user(self.users_a[role], span).account_number,
                             span.account_number, role)
        self.assertTrue(span.sudo(self.invoicing_manager).login)
        for user in list(self.users_a.values()) + [self.invoicing_manager]:
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                span.sudo(user).write({"status": "blocked"})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                span.sudo(user).unlink()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "tv.subscriber.span", "create", {
                "integration_id": self.integration.id, "company_id": self.company_a.id,
                "account_number": "OLE-999999", "status": "active", "date_from": "2026-11-01"})
        # the other company sees none of it
        self.assertFalse(self.env["tv.subscriber.span"].sudo(self.users_b["manager"]).search([]))
        self.assertEqual(span.status, "active")

    def test_only_a_tv_manager_sets_the_billing_rule(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["clerk"], "tv.integration", "write", [self.integration.id],
                     {"platform_billing_rule": "any_day"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "tv.integration", "write",
                     [self.integration.id], {"platform_billing_rule": "any_day"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["manager"], "tv.integration", "write", [self.integration.id],
                     {"history_last_day": "2026-12-31"})
        self.rpc(self.users_a["manager"], "tv.integration", "write", [self.integration.id],
                 {"platform_billing_rule": "any_day"})
        self.assertEqual(self.integration.platform_billing_rule, "any_day")
        self.assertFalse(self.integration.history_last_day)

    def test_the_history_follows_its_integration_to_another_company(self):
        self.sandbox.set_clock(NOVEMBER)
        self.sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                     status="active")
        self.observe(NOVEMBER)
        company_c = self.env["res.company"].create({"name": "ISP C"})
        users_c = make_role_users(self.env, company_c, "c")
        self.integration.write({"company_id": company_c.id})
        self.assertEqual(self.spans().mapped("company_id"), company_c)
        self.assertEqual(len(self.env["tv.subscriber.span"].sudo(users_c["clerk"]).search([])),
                         len(self.spans()))
