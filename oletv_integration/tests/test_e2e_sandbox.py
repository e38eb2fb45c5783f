# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""End to end against the real sandbox over HTTP: contract -> TV user on
the platform -> first access -> block -> release -> deleted on the panel."""
from odoo.exceptions import UserError

from .common import SandboxCase


class TestEndToEndSandbox(SandboxCase):

    def test_saving_with_sandbox_credentials_connects(self):
        self.assertEqual(self.integration.connection_state, "ok")
        self.assertEqual(self.integration.client_ip, "127.0.0.1")
        self.assertIn("PREMIUM", self.integration.package_ids.mapped("code"))

    def test_wrong_password_is_refused_on_save(self):
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            self.integration.write({"api_password": "wrong"})
        self.assertIn("refused the credentials", raised.exception.name)

    def test_ip_allowlist_names_the_ip(self):
        self.sandbox.set_ip_allowlist(True, ["192.0.2.1"])
        with self.assertRaises(UserError) as raised:
            self.integration.action_test_connection()
        self.assertIn("127.0.0.1", raised.exception.name)

    def new_user(self, **values):
        vals = {"contract_id": self.contract.id, "product_id": self.tv_product.id}
        vals.update(values)
        user = self.env["tv.user"].create(vals)
        self.run_jobs()
        return user

    def test_full_lifecycle(self):
        user = self.new_user(product_id=self.tv_product_box.id,
                             equipment_model_id=self.equipment.id, mac_devices="00:1a:2b:3c:4d:5e")
        account = user.account_number
        self.assertTrue(account.startswith("OLE-"))
        remote = self.platform(account)
        self.assertEqual(remote["status"], "awaiting_activation")
        self.assertEqual(remote["additional_packages"], ["HBO", "EXTRA_POINT"])
        self.assertEqual(remote["mac_devices"], ["00:1A:2B:3C:4D:5E"])

        self.contract.action_contract_block()  # kept as a wish: not yet activated
        self.run_jobs()
        self.assertEqual(self.platform(account)["status"], "awaiting_activation")

        self.sandbox.first_access(account)
        self.env["tv.user"]._cron_reconcile()  # detects the first access, queues the block
        self.run_jobs()
        self.assertEqual(self.platform(account)["status"], "blocked")
        self.assertEqual(user.platform_state, "blocked")
        self.assertFalse(user.online)

        self.contract.action_contract_release()
        self.run_jobs()
        self.assertEqual(self.platform(account)["status"], "active")
        self.assertTrue(user.online)

        self.sandbox.delete_from_panel(account)
        self.env["tv.user"]._cron_reconcile()
        self.assertEqual(user.platform_state, "deleted", "detected, not a silent failure")
        self.assertTrue(user.activity_ids)

        user.action_recreate_on_platform()
        self.run_jobs()
        self.assertNotEqual(user.account_number, account)
        self.assertEqual(self.platform(user.account_number)["status"], "awaiting_activation")

    def test_unlink_deletes_on_the_sandbox(self):
        user = self.new_user()
        account = user.account_number
        user.unlink()
        self.run_jobs()
        self.assertTrue(self.platform(account)["deleted"])
        self.assertEqual(user.platform_state, "deleted")

    def test_block_while_platform_down_applies_after_recovery(self):
        user = self.new_user()
        self.sandbox.first_access(user.account_number)
        self.sandbox.set_faults(down=True)
        self.contract.action_contract_block()  # returns at once: nothing is called here
        self.assertEqual(user.sync_state, "pending")
        self.assertEqual(self.run_jobs(rounds=3), 3)
        self.assertEqual(self.platform(user.account_number)["status"], "active")
        self.sandbox.set_faults(down=False)
        self.run_jobs()
        self.assertEqual(self.platform(user.account_number)["status"], "blocked")
        self.assertEqual((user.sync_state, user.online), ("synced", False))

    def test_timeout_on_create_never_duplicates(self):
        """The POST itself goes through on the platform and the client sees
        a timeout (the look-up before it answers normally): the retry adopts
        the subscriber instead of creating a second one."""
        self.integration.timeout_seconds = 1
        self.sandbox.set_faults(write_timeout_rate=1.0, timeout_seconds=2)
        user = self.env["tv.user"].create({"contract_id": self.contract.id,
                                           "product_id": self.tv_product.id})
        self.assertEqual(self.run_jobs(), 1, "the create timed out")
        stats = self.sandbox.stats()
        self.assertEqual((stats["creates"], stats["faults"]["write_timeouts"]), (1, 1),
                         "the POST was sent and applied although the client gave up")
        self.sandbox.set_faults()
        self.run_jobs(rounds=2)
        logins = [s["login"] for s in self.sandbox.state()["subscribers"] if not s["deleted"]]
        self.assertEqual(logins, [user.login], "one subscriber for one TV user")
        self.assertEqual(self.sandbox.stats()["creates"], 1)
        self.assertEqual(user.sync_state, "synced")
        self.assertTrue(user.account_number)
