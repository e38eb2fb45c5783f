# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The operator's Block, traced: the files of the addon its request enters
are the ones docs/develop.md ("The walk of a Block") names. A new file on
the path fails here until the walk (and its doc) is looked at again."""
import os
import sys

from .test_status_history import NOTICES_OFF
from .security_common import RolesCase

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the way of the status change (docs/develop.md lists them in this order)
STATUS_CHANGE = {
    "models/account_analytic_account.py", "core/access_rules.py", "services/row_locks.py",
    "models/tv_user.py", "services/wake_ups.py", "core/sync_plan.py",
    "models/tv_contract_status_change.py", "services/customer_notices.py",
    "models/tv_delinquency_policy.py", "core/notice_rules.py"}
# what every write or message on a TV record crosses: the roles' checks,
# the owned fields' guard, the chatter's guards and cost
GUARDS = {"services/tv_roles.py", "models/tv_field_guard.py", "models/mail_message.py",
          "models/res_partner.py"}


class TestBlockWalk(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tv.delinquency.policy"].search([]).write(NOTICES_OFF)
        cls.operator = cls.users_a["operator"]

    def walk(self, call):
        """The addon's files entered by `call` (called from another file),
        in order, consecutive repeats merged."""
        entered = []

        def profile(frame, event, _arg):
            path = frame.f_code.co_filename
            if event != "call" or not path.startswith(ADDON) or "/tests/" in path:
                return
            if frame.f_back and frame.f_back.f_code.co_filename == path:
                return
            name = os.path.relpath(path, ADDON)
            if not entered or entered[-1] != name:
                entered.append(name)

        sys.setprofile(profile)
        try:
            call()
        finally:
            sys.setprofile(None)
        return entered

    def test_the_block_enters_the_files_its_walk_names(self):
        contract = self.make_contract(self.env["res.partner"].create(
            {"name": "Walk", "email": "walk@example.com"}), [self.tv_product])
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": contract.id, "product_id": self.tv_product.id})
        user.write({"account_number": "OLE-WALK", "platform_state": "active",
                    "sync_state": "synced"})
        walk = self.walk(self.as_user(self.operator, contract).action_contract_block)
        self.assertEqual(user.sync_state, "pending")
        self.assertEqual(set(walk), STATUS_CHANGE | GUARDS, walk)
        self.assertEqual(walk[0], "models/account_analytic_account.py")
