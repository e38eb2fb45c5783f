# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Anatel's suspension ladder (docs/configure.md, "Which rules
this follows"), by the roles that do it: the TV manager sets the policy
(refused with the reason, nothing written, when it breaks the rule), the
daily run notifies first and suspends 15 days after the notice, and the
late notice says what Resolução 765/2023 art. 71 asks, in the customer's
language."""
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError

from ..core.delinquency_rules import ANATEL_LADDER
from ..services.delinquency_ladder import DelinquencyLadder
from .notice_common import NoticeCase, en_amount, pt_amount
from .security_common import RolesCase
from .test_delinquency import DelinquencyCase

ANATEL = dict(ANATEL_LADDER._asdict(), ladder_preset="anatel")
PT_MONTHS = ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
             "setembro", "outubro", "novembro", "dezembro")
FORMER = {"ladder_preset": "custom", "late_notice_days": 5, "late_notice_blocks_tv": True,
          "reduce_days": 20, "block_days": 50, "termination_days": 80}


class TestAnatelLadderPolicy(RolesCase, DelinquencyCase):
    """The TV manager's policy form, over XML-RPC."""

    def setUp(self):
        super().setUp()
        self.policy.write(ANATEL)
        self.manager = self.users_a["manager"]

    def manager_writes(self, values, user=None):
        self.rpc(user or self.manager, "tv.delinquency.policy", "write", self.policy.ids, values)
        self.policy.invalidate_cache()

    def test_the_policy_s_chatter_records_each_change_of_the_ladder(self):
        self.manager.partner_id.sudo().email = False  # no address of their own: still saved
        self.manager_writes({"block_days": ANATEL["block_days"] + 5,
                             "termination_days": ANATEL["termination_days"] + 5})
        tracking = self.policy.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "block_days").sorted("id")[-1]
        self.assertEqual((tracking.old_value_integer, tracking.new_value_integer),
                         (ANATEL["block_days"], ANATEL["block_days"] + 5))
        self.assertEqual(tracking.mail_message_id.author_id, self.manager.partner_id)

    def test_a_new_policy_follows_anatel(self):
        names = list(ANATEL)
        defaults = self.env["tv.delinquency.policy"].sudo(self.manager).default_get(names)
        self.assertEqual(defaults, ANATEL)

    def test_what_the_regulation_forbids_is_refused_and_nothing_is_written(self):
        refusals = [
            ({"late_notice_blocks_tv": True}, "late notice is a notice only"),
            ({"reduce_days": 10, "block_days": 30}, "has no reduced access"),
            ({"block_days": 19}, "at least 15 days after the late notice"),
            ({"late_notice_days": 6}, "at least 15 days after the late notice"),
            ({"termination_days": 79}, "60 days of suspension"),
        ]
        for values, reason in refusals:
            with self.assertRaisesRegex(ValidationError, reason), self.env.cr.savepoint():
                self.manager_writes(values)
            self.env.clear()
            self.assertEqual(self.policy._tv_ladder(), ANATEL_LADDER, values)

    def test_the_refusal_is_in_the_managers_language(self):
        self.manager.lang = "pt_BR"
        with self.assertRaisesRegex(ValidationError, "aviso de atraso é só um aviso"), \
                self.env.cr.savepoint():
            self.manager_writes({"late_notice_blocks_tv": True})

    def test_later_steps_stay_allowed_and_custom_frees_the_ladder(self):
        self.manager_writes({"block_days": 30, "termination_days": 0})
        self.assertEqual((self.policy.block_days, self.policy.termination_days), (30, 0))
        self.manager_writes({"termination_days": 95})
        self.manager_writes(FORMER)  # the former RGC's ladder: only under the custom rule
        self.assertEqual(self.policy._tv_ladder(), (5, True, 20, 50, 80))

    def test_choosing_anatel_on_the_form_sets_its_ladder(self):
        self.manager_writes(dict(FORMER, notify_late_notice=False))
        form = self.env["tv.delinquency.policy"].sudo(self.manager).new(
            dict(FORMER, ladder_preset="anatel", notify_late_notice=False))
        form._onchange_ladder_preset()
        self.assertEqual((form._tv_ladder(), form.notify_late_notice), (ANATEL_LADDER, True))


class TestAnatelLadderRun(DelinquencyCase):
    """The daily run (the system) under Anatel's ladder: the notice first,
    the block 15 days after it, the termination 60 days after the block."""

    def setUp(self):
        super().setUp()
        self.policy.write(ANATEL)

    def dated_history(self, status, offset):
        """The status history's entry into `status` dated on the test's day
        `offset` (the run of a later day is simulated: the history records
        the real time)."""
        self.env.cr.execute(
            "UPDATE tv_contract_status_change SET date = %s WHERE contract_id = %s "
            "AND new_status = %s", (fields.Date.to_string(self.day(offset)), self.delinquent.id,
                                    status))
        self.env["tv.contract.status.change"].invalidate_cache()

    def test_the_history_is_read_by_the_company_day(self):
        """The history stores UTC: a notice at 20:00 UTC on the 4th is the
        5th in Tokyo, and the step after it counts from the 5th (it came a
        day early when the run fell between the two midnights)."""
        self.invoice(40)
        self.run_policy()
        self.delinquent.company_id.partner_id.tz = "Asia/Tokyo"
        self.env.cr.execute(
            "UPDATE tv_contract_status_change SET date = '2026-12-04 20:00:00' "
            "WHERE contract_id = %s AND new_status = 'late_notice'", (self.delinquent.id,))
        self.env["tv.contract.status.change"].invalidate_cache()
        ladder = DelinquencyLadder(self.env, date(2026, 12, 20))
        self.assertEqual(ladder._entered(self.delinquent, "late_notice", date(2026, 12, 5)),
                         [date(2026, 12, 5)])
        self.assertEqual(ladder._entered(self.delinquent, "late_notice", date(2026, 12, 6)), [])

    def test_a_long_debt_gets_the_notice_first_then_the_block_15_days_later(self):
        self.invoice(40)  # past the block's 20 days, never notified
        self.run_policy()
        self.assertStatus("late_notice", "automatic")
        self.assertAccess("allowed")  # a notice only
        self.run_policy(offset=14)
        self.assertStatus("late_notice")
        self.run_policy(offset=15)
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")

    def test_the_termination_is_proposed_60_days_after_the_block(self):
        self.invoice(40)
        self.run_policy()  # the notice
        self.run_policy(offset=15)  # blocked 55 days overdue, 15 after the notice
        self.assertStatus("blocked", "automatic")
        self.dated_history("blocked", 15)
        self.run_policy(offset=41)  # 81 days overdue, 26 days after the block
        self.run_policy(offset=74)  # 59 days after the block
        self.assertFalse(self.delinquent.tv_termination_proposed_on)
        self.run_policy(offset=75)  # 60 days after the block
        self.assertEqual(self.delinquent.tv_termination_proposed_on,
                         fields.Date.to_string(self.day(75)))

    def test_the_custom_ladder_keeps_climbing_at_once(self):
        self.policy.write(FORMER)
        self.invoice(60)
        self.run_policy()
        self.assertStatus("blocked", "automatic")


class TestAnatelLateNotice(NoticeCase):
    """The late notice under Anatel's ladder (art. 71 I-V), as the daily run
    sends it, in English and in Portuguese; the dates of a custom ladder."""

    def setUp(self):
        super().setUp()
        self.policy.write(ANATEL)

    def daily_run(self):
        self.env["account.analytic.account"]._cron_tv_delinquency(today=self.today)
        self.run_notice_jobs()
        self.deliver()

    def test_the_late_notice_says_what_art_71_asks_in_english(self):
        invoice = self.invoice(self.contract_en, 8)
        self.daily_run()
        [message] = self.received("john@example.com")
        body = self.text(message)
        self.assertIn("notice of the suspension of your TV service for non-payment", body)
        self.assertIn(invoice.number, body)
        month = fields.Date.from_string(invoice.date_invoice)
        self.assertIn(month.strftime("%B %Y"), body)  # the month it refers to
        self.assertIn(en_amount(invoice.residual), body)
        blocked_on = self.today + timedelta(days=15)  # 15 days after this notice
        self.assertIn("will be suspended on %s" % blocked_on.strftime("%m/%d/%Y"), body)
        terminated = blocked_on + timedelta(days=60)
        self.assertIn("terminated from %s" % terminated.strftime("%m/%d/%Y"), body)
        self.assertIn("credit protection services only after the termination", body)
        self.assertIn("restored within 1 day, with no reconnection fee", body)
        self.assertNotIn("reduced", body)

    def test_the_late_notice_in_portuguese(self):
        invoice = self.invoice(self.contract, 8)
        self.daily_run()
        [message] = self.received("ana@example.com")
        body = self.text(message)
        self.assertIn("aviso de suspensão do seu serviço de TV por falta de pagamento", body)
        self.assertIn(pt_amount(invoice.residual), body)
        blocked_on = self.today + timedelta(days=15)
        self.assertIn("será suspenso em %s" % blocked_on.strftime("%d/%m/%Y"), body)
        terminated = (blocked_on + timedelta(days=60)).strftime("%d/%m/%Y")
        self.assertIn("rescindido a partir de %s" % terminated, body)
        month = fields.Date.from_string(invoice.date_invoice)
        self.assertIn("%s de %d" % (PT_MONTHS[month.month - 1], month.year), body)
        self.assertIn("proteção ao crédito após a rescisão do contrato", body)
        self.assertIn("em até 1 dia, sem taxa de religação", body)

    def test_a_custom_ladder_gives_its_reduced_step_block_and_termination(self):
        self.policy.write(dict(FORMER, late_notice_blocks_tv=False))
        invoice = self.invoice(self.contract_en, 8)
        self.daily_run()
        body = self.text(self.received("john@example.com")[0])
        due = fields.Date.from_string(invoice.date_due)
        for text, days in (("reduced to the main package on", 21), ("suspended on", 51),
                           ("terminated from", 81)):
            self.assertIn("%s %s" % (text, (due + timedelta(days=days)).strftime("%m/%d/%Y")),
                          body)
