# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One platform account never belongs to two TV users: the sync adopts only
a subscriber this TV user created (its external reference), Re-create
checks the login, and the database refuses a second binding."""
import psycopg2

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import SandboxCase


class TestTvUserBinding(SandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner = cls.env["res.partner"].create({"name": "Bia Souza", "email": "bia@example.com"})
        cls.other_contract = cls.make_contract(partner, [cls.tv_product])

    def new_user(self, contract=None, **values):
        vals = {"contract_id": (contract or self.contract).id, "product_id": self.tv_product.id}
        vals.update(values)
        user = self.env["tv.user"].create(vals)
        self.run_jobs()
        return user

    def live_subscribers(self):
        return [s for s in self.sandbox.state()["subscribers"] if not s["deleted"]]

    def test_recreate_never_adopts_another_users_subscriber(self):
        first = self.new_user()
        self.sandbox.delete_from_panel(first.account_number)
        self.env["tv.user"]._cron_reconcile()
        self.assertEqual(first.platform_state, "deleted")
        second = self.new_user(self.other_contract, use_main_email=False, login=first.login)
        self.assertEqual(second.sync_state, "synced")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            first.action_recreate_on_platform()
        self.assertEqual((first.platform_state, second.platform_state),
                         ("deleted", "awaiting_activation"))

    def test_subscriber_of_someone_else_is_not_adopted(self):
        foreign = self.sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                               status="active", external_ref="panel-7")
        user = self.new_user()
        self.assertFalse(user.account_number, "not bound to a subscriber it did not create")
        self.assertEqual(user.sync_state, "error")
        self.assertIn(foreign["account_number"], user.sync_error)
        self.assertIn("panel-7", user.sync_error)
        self.assertEqual(len(self.live_subscribers()), 1)

    def test_refused_login_is_the_addons_own_refusal_in_its_own_words(self):
        """The refusal is the addon's decision (no platform call answered
        409): its message says so in the addon's words, never as Olé TV's,
        and the audit trail holds only the calls really made."""
        foreign = self.sandbox.seed_subscriber(login="ana@example.com", main_package="BASIC",
                                               status="active", external_ref="panel-7")
        user = self.new_user()
        detail = ("Olé TV subscriber %s already uses the login ana@example.com and was not "
                  "created by this TV user (its external reference is panel-7), so it is not "
                  "linked. Use another login, or delete the TV user that holds it; a "
                  "subscriber made outside Odoo is linked with Link existing subscribers."
                  % foreign["account_number"])
        self.assertEqual(user.sync_error, detail)
        bodies = "\n".join(user.message_ids.mapped("body"))
        self.assertIn("Odoo stopped the sync: %s" % detail, bodies)
        self.assertNotIn("Olé TV refused the change", bodies)
        self.assertEqual(user.activity_ids.mapped("summary"), ["Odoo stopped a TV user's sync"])
        self.assertEqual(user.api_call_ids.mapped("operation"), ["find_subscriber_by_login"],
                         "only the lookup reached the platform")
        self.assertNotIn(409, user.api_call_ids.mapped("status_code"))

    def test_own_subscriber_from_a_lost_answer_is_adopted(self):
        """The POST goes through on the platform, the client sees a timeout:
        the retry finds the subscriber by its external reference."""
        self.integration.timeout_seconds = 1
        self.sandbox.set_faults(write_timeout_rate=1.0, timeout_seconds=2)
        user = self.env["tv.user"].create({"contract_id": self.contract.id,
                                           "product_id": self.tv_product.id})
        self.assertEqual(self.run_jobs(), 1, "the create timed out: retried")
        self.assertFalse(user.account_number)
        created = self.live_subscribers()
        self.assertEqual(len(created), 1, "the create went through although it timed out")
        self.assertEqual(created[0]["external_ref"], "odoo-tv-user-%d" % user.id)
        self.sandbox.set_faults()
        self.run_jobs(rounds=2)
        self.assertEqual(user.account_number, created[0]["account_number"])
        self.assertEqual(user.sync_state, "synced")
        self.assertEqual(len(self.live_subscribers()), 1, "one subscriber for one TV user")
        self.assertEqual(self.sandbox.stats()["creates"], 1)

    def test_database_refuses_one_account_on_two_tv_users(self):
        first = self.new_user()
        second = self.new_user(self.other_contract)
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint(), \
                mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE tv_user SET account_number = %s WHERE id = %s",
                                (first.account_number, second.id))

    def test_database_refuses_one_live_login_on_two_tv_users(self):
        first = self.new_user()
        second = self.new_user(self.other_contract)
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint(), \
                mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE tv_user SET login = %s WHERE id = %s",
                                (first.login.upper(), second.id))
        # a TV user deleted on the platform no longer holds its login
        self.env.cr.execute("UPDATE tv_user SET platform_state = 'deleted' WHERE id = %s",
                            (first.id,))
        self.env.cr.execute("UPDATE tv_user SET login = %s WHERE id = %s",
                            (first.login, second.id))
