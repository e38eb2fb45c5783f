# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The operator's Block and Release, traced: the files of the addon their
request enters, in order, are the ones docs/develop.md ("The walk of a
Block") names. A file that joins the path, or a new back-and-forth between
two files, fails here until the walk (and its doc) is looked at again."""
import os
import sys

from .test_status_history import NOTICES_OFF
from .security_common import RolesCase

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the status change's own way, in order (the guards below left out)
BLOCK = [
    "models/account_analytic_account.py",  # the button, _set_contract_status
    "core/access_rules.py",  # the transition
    "services/row_locks.py",  # the TV users' rows
    "models/account_analytic_account.py",  # Odoo writes the status, recomputes tv_access
    "core/access_rules.py",  # the access the status gives
    # the automated actions' hook, run for the status and again for the access
    # (the second run marks again here: a test runs in a savepoint)
    "models/tv_user.py", "services/wake_ups.py", "core/sync_plan.py",
    "models/tv_user.py", "services/wake_ups.py", "core/sync_plan.py",
    "models/account_analytic_account.py",  # Odoo's tracking message
    "models/tv_contract_status_change.py",  # the history row
    "models/account_analytic_account.py",  # back in _set_contract_status
    "services/customer_notices.py", "models/tv_delinquency_policy.py", "core/notice_rules.py"]
# a Release also withdraws a termination proposal (its open activities) and
# settles the days blocked (the policy's day, the invoices)
RELEASE_SETTLES = ["services/activities.py", "models/tv_delinquency_policy.py",
                   "services/company_day.py", "services/settlement.py", "services/invoiced_days.py",
                   "services/settlement.py", "models/account_analytic_account.py"]
# what every write or message on a TV record crosses: the roles' checks,
# the owned fields' guard, the chatter's guards and cost
# OCA addons the crowded stage installs beside (scripts/test_crowded.sh)
NEIGHBOURS = ["auditlog", "mail_tracking", "mail_activity_done", "mass_editing",
              "contract_variable_quantity", "contract_payment_mode"]
GUARDS = {"services/tv_roles.py", "models/tv_field_guard.py", "models/mail_message.py",
          "models/res_partner.py"}


class TestBlockWalk(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tv.delinquency.policy"].search([]).write(NOTICES_OFF)
        cls.operator = cls.users_a["operator"]

    def walk(self, call):
        """(the addon's files entered by `call` from another file, in order,
        the guards left out; the guards entered), consecutive repeats merged."""
        entered, guards = [], set()

        def profile(frame, event, _arg):
            path = frame.f_code.co_filename
            if event != "call" or not path.startswith(ADDON) or "/tests/" in path:
                return
            if frame.f_back and frame.f_back.f_code.co_filename == path:
                return
            name = os.path.relpath(path, ADDON)
            if name in GUARDS:
                guards.add(name)
            elif not entered or entered[-1] != name:
                entered.append(name)

        sys.setprofile(profile)
        try:
            call()
        finally:
            sys.setprofile(None)
        return entered, guards

    def setUp(self):
        super().setUp()
        self.contract = self.make_contract(self.env["res.partner"].create(
            {"name": "Walk", "email": "walk@example.com"}), [self.tv_product])
        self.user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        self.user.write({"account_number": "OLE-WALK", "platform_state": "active",
                         "sync_state": "synced"})

    def assertWalk(self, walk, expected):
        """The walk as expected; beside other addons that override what the
        walk calls (the crowded stage: auditlog, mail_activity_done...),
        they may add calls into the addon, never take a step away."""
        neighbours = self.env["ir.module.module"].search_count([
            ("name", "in", NEIGHBOURS), ("state", "=", "installed")])
        if not neighbours:
            self.assertEqual(walk, expected)
            return
        remaining = iter(walk)
        self.assertTrue(all(step in remaining for step in expected), (walk, expected))
        self.assertEqual(set(walk), set(expected))

    def test_the_block_enters_the_files_its_walk_names(self):
        walk, guards = self.walk(self.as_user(self.operator, self.contract).action_contract_block)
        self.assertEqual(self.user.sync_state, "pending")
        self.assertWalk(walk, BLOCK)
        self.assertEqual(guards, GUARDS)

    def test_the_release_adds_the_settlement_of_the_days_blocked(self):
        self.contract.action_contract_block()
        self.user.write({"platform_state": "blocked", "sync_state": "synced"})
        walk, guards = self.walk(
            self.as_user(self.operator, self.contract).action_contract_release)
        self.assertEqual(self.user.sync_state, "pending")
        self.assertWalk(walk, BLOCK[:-4] + RELEASE_SETTLES + BLOCK[-3:] + [
            "core/access_rules.py"])
        self.assertEqual(guards, GUARDS)
