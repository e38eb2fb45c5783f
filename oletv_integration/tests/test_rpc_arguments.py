# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Malformed arguments of the public methods, tried as the role that calls
them over XML-RPC: each is refused with a readable reason (never a Python
error), and nothing is written."""
from odoo.exceptions import UserError

from .security_common import RolesCase

BAD_DATES = ("2026-02-30", "tomorrow", "", None, 5, ["2026-01-01"], {"date": 1}, True)
BAD_IDS = ("x", None, [1], -3, 0, 1.5, True, {"id": 1})
BAD_DAYS = ("abc", -1, 0, 10 ** 9, 2.5, [3], True)
BAD_TEXTS = (5, ["x"], "x" * 501, {"a": 1})


class TestMalformedArguments(RolesCase):

    def setUp(self):
        super().setUp()
        self.operator = self.users_a["operator"]

    def counts(self):
        return (self.env["tv.request.suspension"].search_count([]),
                self.env["tv.trust.release"].search_count([]),
                self.env["tv.plan.change"].search_count([]),
                self.env["tv.user"].search_count([]),
                self.env["mail.message"].search_count([]))

    def assertRefused(self, call, value, words="expected"):
        before = self.counts()
        with self.assertRaises(UserError, msg=repr(value)) as raised, self.env.cr.savepoint():
            call()
        self.assertIn(words, raised.exception.name)
        self.assertEqual(self.counts(), before)

    def test_suspension_dates(self):
        for bad in BAD_DATES:
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_suspend_on_request", self.contract.ids,
                                                bad, "2035-03-01"), bad)
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_suspend_on_request", self.contract.ids,
                                                "2035-01-01", bad), bad)
        for bad in BAD_TEXTS:
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_suspend_on_request", self.contract.ids,
                                                "2035-01-01", "2035-03-01", bad), bad)

    def test_trust_release_days(self):
        for bad in BAD_DAYS:
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_trust_release", self.contract.ids,
                                                bad), bad)

    def test_plan_change_arguments(self):
        user_id = self.env["tv.user"].search([("contract_id", "=", self.contract.id)], limit=1).id
        product_id = self.tv_product_box.id
        for bad in BAD_IDS:
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_plan_change", self.contract.ids,
                                                bad, product_id), bad)
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_plan_change", self.contract.ids,
                                                user_id or 1, bad), bad)
        for bad in (None, 1, ["now"], {"now": 1}):
            self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                                "action_tv_plan_change", self.contract.ids,
                                                user_id or 1, product_id, bad), bad)
        self.assertRefused(lambda: self.rpc(self.operator, "account.analytic.account",
                                            "action_tv_plan_change", self.contract.ids,
                                            user_id or 1, product_id, "later"), "later",
                           words="")  # the plan change's own reason

    def test_link_subscribers_arguments(self):
        manager = self.users_a["manager"]
        for csv_text, dry_run in ((5, True), (["a"], True), ("login\nx@y.z", "yes"),
                                  ("login\nx@y.z", None)):
            self.assertRefused(lambda: self.rpc(manager, "tv.integration",
                                                "link_existing_subscribers",
                                                self.integration.ids, csv_text,
                                                dry_run=dry_run), (csv_text, dry_run))
