# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""auditlog beside the addon: a bulk Block of several contracts, from the
contract list's Block (TV) action by a TV operator, is in the auditor's log
as one log per contract with its status change, and the TV users' changes
that the sync job stores (their platform state) as one log per TV user."""
from odoo.addons.oletv_integration.tests.common import OleTVCase
from odoo.addons.oletv_integration.tests.security_common import make_role_users


class TestAuditlogBulkBlock(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = make_role_users(cls.env, cls.env.user.company_id, "crowd")["operator"]
        cls.contracts, cls.users = cls.make_active_tv_contracts(3, name="Crowd")

    def logs(self, records):
        return self.env["auditlog.log"].search([
            ("model_id.model", "=", records._name), ("res_id", "in", records.ids),
            ("method", "=", "write")])

    def changes(self, logs, field):
        """{res_id: [(old, new)]} of `field` in `logs`."""
        found = {}
        for log in logs:
            for line in log.line_ids.filtered(lambda line: line.field_id.name == field):
                found.setdefault(log.res_id, []).append((line.old_value, line.new_value))
        return found

    def test_rules_are_subscribed(self):
        rules = self.env["auditlog.rule"].search([("state", "=", "subscribed")])
        self.assertEqual(set(rules.mapped("model_id.model")),
                         {"account.analytic.account", "tv.user"})

    def test_bulk_block_is_logged_per_contract_and_per_tv_user(self):
        contract_logs, user_logs = self.logs(self.contracts), self.logs(self.users)
        action = self.env.ref("oletv_integration.action_server_contract_bulk_block")
        with self.mock() as mock:
            action.sudo(self.operator).with_context(
                active_model="account.analytic.account", active_ids=self.contracts.ids).run()
            for k in range(1, 4):
                self.expect_access(mock, "block", account="OLE-00000%d" % k)
            self.run_jobs(rounds=3)
        self.assertEqual(set(self.contracts.mapped("contract_status")), {"blocked"})
        self.assertEqual(set(self.users.mapped("platform_state")), {"blocked"})

        contract_logs = self.logs(self.contracts) - contract_logs
        self.assertEqual(self.changes(contract_logs, "contract_status"),
                         {contract.id: [("active", "blocked")] for contract in self.contracts},
                         "one status change per contract")
        self.assertEqual(self.changes(contract_logs, "block_reason"),
                         {contract.id: [(False, "manual")] for contract in self.contracts})
        # the TV users: the sync job's outcome, stored through the ORM (the
        # pending mark is one SQL UPDATE; the desired access a recomputed
        # stored field, written by Odoo past write())
        user_logs = self.logs(self.users) - user_logs
        self.assertEqual(self.changes(user_logs, "platform_state"),
                         {user.id: [("active", "blocked")] for user in self.users},
                         "one platform change per TV user")
        # auditlog names the uid that wrote: the system (Odoo 11's superuser,
        # the Administrator), since the operator may not write the status
        # himself; who asked is in the status history
        root = self.env.ref("base.user_root")
        self.assertEqual(contract_logs.mapped("user_id"), root)
        self.assertEqual(user_logs.mapped("user_id"), root)
        for contract in self.contracts:
            self.assertEqual(contract.tv_status_change_ids.mapped("user_id"), self.operator)
