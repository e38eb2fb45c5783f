# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""mail_activity_done beside the addon: an activity marked done is kept
(done=True) as history instead of deleted. The addon's activities are then
looked for among the open ones: a TV user's new refusal gets a new activity
after the first was done, and a withdrawn termination proposal leaves the
done ones in the history."""
from odoo import fields

from odoo.addons.oletv_integration.services.convergence import Outcomes
from odoo.addons.oletv_integration.services.delinquency_ladder import TERMINATION_ACTIVITY
from odoo.addons.oletv_integration.tests.common import OleTVCase

SUMMARY = "Olé TV refused a TV user change"


class TestMailActivityDone(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _contracts, cls.user = cls.make_active_tv_contracts(1, name="Done")

    def test_a_refusal_after_a_done_activity_gets_a_new_one(self):
        Outcomes(self.user).schedule_activity(SUMMARY, "first")
        first = self.user.activity_ids
        self.assertEqual(first.mapped("note"), ["<p>first</p>"])
        Outcomes(self.user).schedule_activity(SUMMARY, "the same, again")
        self.assertEqual(self.user.activity_ids, first, "one open activity per kind")
        first.action_feedback(feedback="Seen")
        self.assertTrue(first.exists() and first.done, "kept as history")
        Outcomes(self.user).schedule_activity(SUMMARY, "second")
        self.user.invalidate_cache()
        self.assertEqual(len(self.user.activity_ids.filtered(lambda act: not act.done)), 1)

    def test_a_withdrawn_proposal_keeps_the_done_ones(self):
        contract = self.user.contract_id
        activities = self.env["mail.activity"]
        for _k in range(2):
            activities |= activities.create({
                "res_model_id": self.env["ir.model"]._get(contract._name).id,
                "res_id": contract.id, "activity_type_id": self.env.ref(TERMINATION_ACTIVITY).id,
                "summary": "Propose the termination of the contract",
                "date_deadline": fields.Date.today(), "user_id": self.env.uid})
        done, proposal = activities
        done.action_feedback(feedback="Confirmed")
        self.assertEqual(contract._tv_termination_activities(), proposal)
        contract._tv_withdraw_termination()
        self.assertEqual(activities.exists(), done)
