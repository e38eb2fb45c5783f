# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suspension ladder end to end against the sandbox, driven by the
roles that do it (docs/operate.md, Delinquency control): the daily run (the system),
the billing clerk's payment, the operator's confirmation of a termination;
platform status and packages read on the sandbox."""
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .security_common import RolesCase
from .test_delinquency import DelinquencyCase

LADDER = {"late_notice_days": 5, "reduce_days": 20, "block_days": 50, "termination_days": 80}


class LadderCase(RolesCase, DelinquencyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the manager sets the ladder (and is its last editor: the fallback
        # responsible of a termination proposal)
        cls.policy.sudo(cls.users_a["manager"]).write(dict(LADDER, late_notice_blocks_tv=True))
        cls.clerk, cls.operator = cls.users_a["clerk"], cls.users_a["operator"]
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Carla Mendes", "email": "carla@example.com", "customer": True})
        cls.ladder_contract = cls.make_contract(cls.customer_c, [cls.tv_product_box])
        cls.ladder_contract.user_id = cls.users_a["operator"]

    def setUp(self):
        super().setUp()
        self.tv = self.sudo_env(self.operator)["tv.user"].create({
            "contract_id": self.ladder_contract.id, "product_id": self.tv_product_box.id})
        self.run_jobs()
        self.account = self.tv.account_number
        self.sandbox.first_access(self.account)
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        self.assertEqual(self.remote(), ("active", "FAMILY", ["HBO", "EXTRA_POINT"]))

    def sudo_env(self, user):
        return self.env(user=user.id)

    def remote(self):
        subscriber = self.platform(self.account)
        return subscriber["status"], subscriber["main_package"], subscriber["additional_packages"]

    def ladder_run(self, offset=0):
        """The daily run as the scheduled action does it, then its jobs."""
        self.run_policy(offset, contract=self.ladder_contract)
        self.run_jobs()
        self.tv.invalidate_cache()

    def pay_as_clerk(self, invoice):
        self.pay(invoice, self.clerk)
        self.run_jobs()
        self.ladder_contract.invalidate_cache()
        self.tv.invalidate_cache()

    def proposals(self):
        """The open termination proposals (beside OCA mail_activity_done, as
        in make test's crowded stage, an activity marked done is kept)."""
        activities = self.env["mail.activity"]
        return activities.search([
            ("res_model", "=", "account.analytic.account"),
            ("res_id", "=", self.ladder_contract.id),
            ("activity_type_id", "=",
             self.env.ref("oletv_integration.mail_activity_type_termination").id),
        ] + ([("done", "=", False)] if "done" in activities._fields else []))

    def status(self):
        return self.ladder_contract.contract_status

    def assertReducedThenReleasedInFull(self, full):
        """Thirty days overdue: reduced (the main package and the box's
        point, on the sandbox); the clerk's payment gives back `full` (the
        additional packages)."""
        invoice = self.invoice(30, contract=self.ladder_contract)
        self.ladder_run()
        self.assertEqual(self.status(), "reduced")
        self.assertEqual(self.remote(), ("active", "FAMILY", ["EXTRA_POINT"]))
        self.pay_as_clerk(invoice)
        self.assertEqual(self.status(), "active")
        self.assertEqual(self.remote(), ("active", "FAMILY", full))
        self.assertEqual(self.tv.sync_state, "synced")


class TestLadderOnThePlatform(LadderCase):

    def test_each_step_of_the_ladder_then_a_payment_releases_everything(self):
        invoice = self.invoice(6, contract=self.ladder_contract)
        self.ladder_run()  # 6 days overdue: late notice, the TV blocked (the seed's)
        self.assertEqual((self.status(), self.ladder_contract.block_reason),
                         ("late_notice", "automatic"))
        self.assertEqual(self.remote(), ("blocked", "FAMILY", ["HBO", "EXTRA_POINT"]))
        self.ladder_run(offset=14)  # 20 days: not yet reduced
        self.assertEqual(self.status(), "late_notice")
        self.ladder_run(offset=15)  # 21 days: reduced, Online with the main package only
        self.assertEqual((self.status(), self.tv.desired_access), ("reduced", "reduced"))
        self.assertEqual(self.remote(), ("active", "FAMILY", ["EXTRA_POINT"]))
        self.assertIn("main package only", self.ladder_contract.message_ids[0].body)
        self.ladder_run(offset=45)  # 51 days: blocked
        self.assertEqual(self.status(), "blocked")
        self.assertEqual(self.remote()[0], "blocked")
        self.assertFalse(self.proposals())
        self.ladder_run(offset=75)  # 81 days: termination proposed to the responsible
        self.assertEqual(self.proposals().user_id, self.operator)
        self.assertIn("81 days overdue", self.proposals().note)
        self.assertEqual(self.ladder_contract.tv_termination_proposed_on,
                         fields.Date.to_string(self.day(75)))
        self.ladder_run(offset=76)  # proposed once
        self.ladder_run(offset=90)
        self.assertEqual(len(self.proposals()), 1)
        self.assertEqual(self.ladder_contract.tv_termination_proposed_on,
                         fields.Date.to_string(self.day(75)))

        self.pay_as_clerk(invoice)  # the billing clerk, no TV right
        self.assertEqual((self.status(), self.ladder_contract.block_reason), ("active", False))
        self.assertEqual(self.remote(), ("active", "FAMILY", ["HBO", "EXTRA_POINT"]))
        self.assertFalse(self.proposals(), "a payment withdraws the proposal")
        self.assertFalse(self.ladder_contract.tv_termination_proposed_on)

    def test_clerk_payment_releases_reduced_access_in_full(self):
        self.assertReducedThenReleasedInFull(["HBO", "EXTRA_POINT"])

    def test_reconciliation_leaves_a_reduced_user_in_sync_alone(self):
        self.invoice(30, contract=self.ladder_contract)
        self.ladder_run()
        self.assertEqual((self.tv.sync_state, self.remote()[2]), ("synced", ["EXTRA_POINT"]))
        self.env["tv.user"]._cron_reconcile()
        self.assertEqual(self.tv.sync_state, "synced", "main package only is what Odoo wants")
        self.assertFalse(self.pending_jobs())

    def test_notice_only_policy_leaves_the_tv_untouched(self):
        manager_policy = self.policy.sudo(self.users_a["manager"])
        manager_policy.late_notice_blocks_tv = False
        self.invoice(6, contract=self.ladder_contract)
        self.ladder_run()
        self.assertEqual((self.status(), self.ladder_contract.tv_access, self.tv.desired_access),
                         ("late_notice", "allowed", "allowed"))
        self.assertEqual(self.remote()[0], "active")
        manager_policy.late_notice_blocks_tv = True  # the automated action blocks at once
        self.assertEqual(self.ladder_contract.tv_access, "blocked")
        self.run_jobs()
        self.assertEqual(self.remote()[0], "blocked")
        manager_policy.late_notice_blocks_tv = False
        self.run_jobs()
        self.assertEqual((self.tv.desired_access, self.remote()[0]), ("allowed", "active"))
        self.ladder_run(offset=15)  # the ladder goes on: reduced
        self.assertEqual(self.remote(), ("active", "FAMILY", ["EXTRA_POINT"]))


class TestLadderLimits(LadderCase):

    def test_manual_block_trust_release_and_suspension_are_left_alone(self):
        self.invoice(90, contract=self.ladder_contract)
        self.ladder_contract.sudo(self.operator).action_contract_block()
        self.ladder_run()
        self.assertEqual((self.status(), self.ladder_contract.block_reason), ("blocked", "manual"))
        self.assertFalse(self.proposals(), "a manual block is the operator's business")
        self.ladder_contract.sudo(self.operator).action_tv_trust_release(days=3)
        self.ladder_run(offset=2)
        self.assertEqual(self.status(), "active")
        self.ladder_run(offset=4)  # trust ended: straight to the block, and the proposal
        self.assertEqual((self.status(), self.ladder_contract.block_reason),
                         ("blocked", "automatic"))
        self.assertEqual(len(self.proposals()), 1)
        suspended = self.make_contract(self.customer, [self.tv_product])
        suspended._set_contract_status("suspended")
        self.invoice(90, contract=suspended)
        self.run_policy(contract=suspended)
        self.assertEqual(suspended.contract_status, "suspended")

    def test_trust_release_from_reduced_access(self):
        self.invoice(30, contract=self.ladder_contract)
        self.ladder_run()
        self.ladder_contract.sudo(self.operator).action_tv_trust_release()
        self.run_jobs()
        self.assertEqual(self.status(), "active")
        self.assertEqual(self.remote(), ("active", "FAMILY", ["HBO", "EXTRA_POINT"]))
        self.assertEqual(self.ladder_contract.trust_release_ids.previous_status, "reduced")

    def test_ladder_out_of_order_is_refused_and_nothing_changes(self):
        manager = self.users_a["manager"]
        for values in ({"reduce_days": 60}, {"reduce_days": 3},
                       {"termination_days": 40}, {"block_days": 4}, {"termination_days": -1}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.rpc(manager, "tv.delinquency.policy", "write", [self.policy.id], values)
        self.policy.invalidate_cache()
        self.assertEqual({name: self.policy[name] for name in LADDER}, LADDER)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.operator, "tv.delinquency.policy", "write", [self.policy.id],
                     {"reduce_days": 0})


class TestTermination(LadderCase):

    def propose(self):
        self.invoice(81, contract=self.ladder_contract)
        self.ladder_run()
        self.assertEqual(self.status(), "blocked")
        self.assertEqual(len(self.proposals()), 1)

    def test_operator_confirms_the_termination(self):
        self.propose()
        for role in ("clerk", "viewer"):  # they read the contract: the role check refuses
            with self.assertRaises(AccessError) as raised, self.env.cr.savepoint():
                self.rpc(self.users_a[role], "account.analytic.account",
                         "action_tv_confirm_termination", [self.ladder_contract.id])
            self.assertIn("TV operators", raised.exception.name)
        for role in ("salesperson", "portal"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "account.analytic.account",
                         "action_tv_confirm_termination", [self.ladder_contract.id])
        with self.assertRaises(AccessError), self.env.cr.savepoint():  # another company's
            self.rpc(self.users_b["operator"], "account.analytic.account",
                     "action_tv_confirm_termination", [self.ladder_contract.id])
        self.assertEqual(self.status(), "blocked")
        self.rpc(self.operator, "account.analytic.account", "action_tv_confirm_termination",
                 [self.ladder_contract.id])
        self.assertEqual(self.status(), "deactivated")
        self.assertEqual((self.tv.active, self.tv.to_delete), (False, True))
        self.assertFalse(self.proposals())
        self.assertFalse(self.ladder_contract.tv_termination_proposed_on)
        self.run_jobs()
        self.assertTrue(self.platform(self.account)["deleted"])
        self.assertEqual(self.ladder_contract.message_ids[0].author_id, self.operator.partner_id)
        self.assertIn("Termination confirmed", self.ladder_contract.message_ids[0].body)

    def test_confirmation_is_refused_without_a_running_proposal(self):
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            self.rpc(self.operator, "account.analytic.account",
                     "action_tv_confirm_termination", [self.ladder_contract.id])
        self.assertIn("No termination was proposed", raised.exception.name)
        self.propose()
        self.ladder_contract.sudo(self.operator).action_contract_release()
        self.assertFalse(self.proposals(), "released: the proposal is withdrawn")
        self.assertFalse(self.ladder_contract.tv_termination_proposed_on)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.operator, "account.analytic.account",
                     "action_tv_confirm_termination", [self.ladder_contract.id])
        self.assertEqual(self.status(), "active")
        self.assertTrue(self.tv.active)

    def test_proposal_goes_to_the_policy_editor_without_a_responsible(self):
        self.ladder_contract.user_id = False
        self.propose()
        self.assertEqual(self.proposals().user_id, self.users_a["manager"])

    def test_the_marker_is_the_system_s(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["manager"], "account.analytic.account", "write",
                     [self.ladder_contract.id],
                     {"tv_termination_proposed_on": fields.Date.to_string(self.today)})
