# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's status history (models/tv_contract_status_change.py):
every status change leaves a row; a contract changed alone is also tracked
in its chatter by Odoo; a bulk change (the contract list's actions) is not,
but for a contract a follower of internal notes watches; the rows are the
system's and each company's."""
from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError

from ..services.wake_ups import WakeUps, quiet_jobs
from .security_common import RolesCase

NOTICES_OFF = {"notify_welcome": False, "notify_late_notice": False, "notify_reduced": False,
               "notify_blocked": False, "notify_released": False}


class TestStatusHistory(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["tv.delinquency.policy"].search([]).write(NOTICES_OFF)
        cls.operator = cls.users_a["operator"]
        cls.contracts = cls.env["account.analytic.account"]
        for index in range(3):
            cls.contracts |= cls.make_contract(cls.env["res.partner"].create(
                {"name": "History %d" % index, "email": "h%d@example.com" % index}),
                [cls.tv_product])

    def history(self, contract):
        return self.env["tv.contract.status.change"].search(
            [("contract_id", "=", contract.id)], order="id")

    def status_messages(self, contract, new_value="Blocked"):
        """The chatter's tracking messages of the contract's status becoming `new_value`."""
        return contract.message_ids.filtered(lambda message: any(
            value.field == "contract_status" and value.new_value_char == new_value
            for value in message.tracking_value_ids))

    def test_the_contract_says_why_and_since_when_its_tv_is_blocked(self):
        contract = self.contracts[0]
        self.assertFalse(contract.tv_status_banner)
        self.rpc(self.operator, "account.analytic.account", "action_contract_block",
                 contract.ids)
        today = contract._tv_today().strftime("%m/%d/%Y")
        banner = self.rpc(self.operator, "account.analytic.account", "read", contract.ids,
                          ["tv_status_banner"])[0]["tv_status_banner"]
        self.assertEqual(banner, "Blocked by %s since %s." % (self.operator.name, today))
        contract._tv_write_owned({"block_reason": "automatic"})
        self.assertEqual(contract.tv_status_banner, "Blocked by the delinquency policy since "
                                                    "%s: invoices are overdue." % today)
        self.rpc(self.operator, "account.analytic.account", "action_contract_release",
                 contract.ids)
        contract.invalidate_cache()
        self.assertFalse(contract.tv_status_banner)

    def test_a_contract_changed_alone_is_tracked_and_logged(self):
        contract = self.contracts[0]
        self.as_user(self.operator, contract).action_contract_block()
        row = self.history(contract)
        self.assertEqual(len(row), 1)
        self.assertEqual((row.old_status, row.new_status, row.block_reason, row.bulk),
                         ("active", "blocked", "manual", False))
        self.assertEqual(row.user_id, self.operator)
        self.assertEqual(row.company_id, contract.company_id)
        message = self.status_messages(contract)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.operator.partner_id)

    def test_a_bulk_change_is_logged_with_each_contracts_own_old_status(self):
        self.contracts[0].action_contract_late_notice()
        self.as_user(self.operator, self.contracts).action_tv_bulk_block()
        old = [self.history(contract)[-1].old_status for contract in self.contracts]
        self.assertEqual(old, ["late_notice", "active", "active"])
        for contract in self.contracts:
            row = self.history(contract)[-1]
            self.assertEqual((row.new_status, row.bulk, row.user_id),
                             ("blocked", True, self.operator))
            self.assertFalse(self.status_messages(contract),
                             "a bulk change is not tracked in the chatter")
            self.assertEqual(contract.contract_status, "blocked")

    def test_a_follower_of_notes_still_gets_the_tracking(self):
        note = self.env.ref("mail.mt_note")
        watcher = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Watcher", "login": "history-watcher", "email": "w@example.com",
            "groups_id": [(6, 0, self.env.ref("base.group_user").ids)]}).partner_id
        watched, quiet = self.contracts[1], self.contracts[2]
        watched.message_subscribe(partner_ids=watcher.ids, subtype_ids=note.ids)
        (watched | quiet).action_tv_bulk_block()
        self.assertIn(watcher, self.status_messages(watched).mapped("needaction_partner_ids"))
        self.assertFalse(self.status_messages(quiet))
        self.assertEqual(self.history(watched).bulk, False)
        self.assertEqual(self.history(quiet).bulk, True)

    def test_the_tv_access_follows_a_bulk_change_once(self):
        """The automated actions mark the live TV users pending and wake
        their integration as they go: as many slots as all of them need
        (three TV users on a capacity of two: two wake-ups), no more."""
        self.integration.sudo().max_concurrency = 2
        users = self.env["tv.user"]
        for index, contract in enumerate(self.contracts):
            user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
                {"contract_id": contract.id, "product_id": self.tv_product.id})
            user.write({"account_number": "OLE-H-%d" % index, "platform_state": "active",
                        "sync_state": "synced"})
            users |= user
        self.env["queue.job"].search([]).unlink()
        self.as_user(self.operator, self.contracts).action_tv_bulk_block()
        self.assertEqual(set(users.mapped("sync_state")), {"pending"})
        self.assertEqual(set(users.mapped("desired_access")), {"blocked"})
        keys = sorted(self.jobs().mapped("identity_key"))
        self.assertEqual([key.rsplit("-", 2)[1] for key in keys], ["0", "1"], keys)

    def test_no_role_writes_the_history(self):
        self.contracts[0].action_contract_block()
        row = self.history(self.contracts[0])
        for role in ("manager", "operator", "viewer", "clerk", "salesperson", "employee", "portal"):
            user = self.users_a[role]
            with self.assertRaises(AccessError, msg=role):
                self.rpc(user, "tv.contract.status.change", "create", {
                    "contract_id": self.contracts[1].id, "new_status": "active"})
            with self.assertRaises(AccessError, msg=role):
                self.rpc(user, "tv.contract.status.change", "write", [row.id],
                         {"new_status": "active"})
            with self.assertRaises(AccessError, msg=role):
                self.rpc(user, "tv.contract.status.change", "unlink", [row.id])
        self.assertEqual((row.new_status, row.contract_id), ("blocked", self.contracts[0]))

    def test_each_company_reads_its_own(self):
        row_b = self.env["tv.contract.status.change"].search(
            [("contract_id", "=", self.contract_b.id)])
        self.assertTrue(row_b, "contract B was blocked and released in trust in the set-up")
        operator_b, operator_a = self.users_b["operator"], self.users_a["operator"]
        self.assertEqual(sorted(self.rpc(operator_b, "tv.contract.status.change", "search",
                                         [("id", "in", row_b.ids)])), sorted(row_b.ids))
        self.assertFalse(self.rpc(operator_a, "tv.contract.status.change", "search",
                                  [("id", "in", row_b.ids)]))
        with self.assertRaises(AccessError):
            self.rpc(self.users_a["salesperson"], "tv.contract.status.change", "search_read", [])

    def make_live_users(self):
        users = self.env["tv.user"]
        for index, contract in enumerate(self.contracts):
            user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
                {"contract_id": contract.id, "product_id": self.tv_product.id})
            user.write({"account_number": "OLE-W-%d" % index, "platform_state": "active",
                        "sync_state": "synced"})
            users |= user
        self.env["queue.job"].search([]).unlink()
        return users

    def test_the_hook_wakes_its_own_transaction_whatever_another_queued(self):
        """A wake-up queued by another transaction may start before this one
        commits: the automated actions' hook does not count on it."""
        users = self.make_live_users()
        other = quiet_jobs(self.env["tv.user"]).with_delay(
            channel="root.oletv.sync", identity_key="oletv-sync-%d-0-1" % self.integration.id,
            max_retries=0)._tv_sync_job(self.integration.id)
        self.assertTrue(other)
        self.env["tv.user"]._tv_follow_contract_access(self.contracts[0])  # as a recompute would
        self.assertEqual(users[0].sync_state, "pending")
        self.assertEqual(len(self.jobs()), 2, "its own wake-up beside the other's")

    def test_a_change_wakes_nothing_for_other_contracts_backlog(self):
        users = self.make_live_users()
        WakeUps(self.env(user=SUPERUSER_ID)).mark_pending("id IN %s", (tuple(users[1:].ids),))
        self.contracts[0].action_contract_block()
        users[0].sudo().write({"platform_state": "blocked", "sync_state": "synced"})  # its job ran
        self.env["queue.job"].search([]).unlink()
        self.contracts[0].action_contract_deactivate()  # no TV access change
        self.assertFalse(self.jobs())

    def test_a_status_change_wakes_on_the_platform_calls_channel(self):
        """The automated action queues the wake-ups while Odoo recomputes the
        contracts' TV access; they still run on the platform calls' channel,
        where the addon holds them to its Concurrent platform calls
        (the job function's channel, services/platform_slots.py)."""
        self.make_live_users()
        self.rpc(self.operator, "account.analytic.account", "action_contract_block",
                 self.contracts.ids)
        jobs = self.jobs()
        self.assertTrue(jobs)
        self.assertEqual(set(jobs.mapped("channel")), {"root.oletv.sync"})

    def test_the_ladder_filter_takes_every_operator(self):
        self.contracts[0].action_contract_block()
        model = self.env["account.analytic.account"]
        releasable = model.search([("id", "in", self.contracts.ids),
                                   ("tv_releasable", "=", True)])
        self.assertEqual(releasable, self.contracts[0])
        for domain in ([("tv_releasable", "in", [True])], [("tv_releasable", "!=", False)],
                       [("tv_releasable", "not in", [False])]):
            self.assertEqual(model.search([("id", "in", self.contracts.ids)] + domain),
                             releasable, domain)
        for domain in ([("tv_releasable", "=", False)], [("tv_releasable", "in", [False])]):
            self.assertEqual(model.search([("id", "in", self.contracts.ids)] + domain),
                             self.contracts[1:], domain)
        self.assertEqual(model.search([("id", "in", self.contracts.ids),
                                       ("tv_releasable", "in", [True, False])]), self.contracts)
