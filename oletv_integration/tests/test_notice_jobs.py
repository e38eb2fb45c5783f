# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The notices of a status change are rendered by a queue job: the request
queues one job per notice kind (the contracts with nothing to send left
out) and renders nothing, so its queries do not grow with the notices; the
job renders each customer language's mails in one call of the template,
skips a contract whose status changed again before it ran, and one
contract's failure does not stop the others. Plus the migration that
moves an upgraded database's templates to the per-record figures."""
import importlib.util
import os
from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.tools import mute_logger

from ..services.customer_notices import CustomerNotices
from .notice_common import NoticeCase, en_amount, pt_amount

NOTICE_LOGGERS = ("odoo.addons.oletv_integration.services.customer_notices",
                  "odoo.addons.mail.models.mail_template")
SWITCHES = ("notify_welcome", "notify_late_notice", "notify_reduced", "notify_blocked",
            "notify_released")
MIGRATION = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "migrations", "11.0.1.5.0", "post-migration.py")


class TestNoticeJobs(NoticeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bruno = cls.env["res.partner"].create(
            {"name": "Bruno Costa", "email": "bruno@example.com", "lang": "pt_BR"})
        cls.mary = cls.env["res.partner"].create(
            {"name": "Mary Jones", "email": "mary@example.com", "lang": "en_US"})
        cls.contract_bruno = cls.make_contract(cls.bruno, [cls.tv_product])
        cls.contract_mary = cls.make_contract(cls.mary, [cls.tv_product])
        # two customers in Portuguese (Ana, Bruno), two in English (John, Mary)
        cls.contracts = cls.contract | cls.contract_bruno | cls.contract_en | cls.contract_mary

    def pt(self, contract):
        return contract.partner_id.lang == "pt_BR"

    # -- the request queues, the job renders ------------------------------------

    def test_bulk_change_queues_one_job_and_the_job_one_mail_per_contract(self):
        invoices = {contract.id: self.invoice(contract, days)
                    for contract, days in zip(self.contracts, (6, 7, 8, 9))}
        mails = self.env["mail.mail"].search([])
        self.as_operator(self.contracts).action_contract_late_notice()
        [job] = self.notice_jobs()
        self.assertEqual((job.channel, job.model_name, job.args),
                         ("root.oletv.notices", self.contract._name,
                          ["late_notice", "late_notice"]))
        self.assertEqual(sorted(job.record_ids), sorted(self.contracts.ids))
        self.assertIn('"Late notice" for 4 contract(s)', job.name)
        self.assertFalse(job.message_ids, "a quiet job: no chatter")
        self.assertFalse(job.message_follower_ids, "a quiet job: no follower")
        self.assertEqual(self.env["mail.mail"].search([]), mails, "nothing rendered yet")

        [result] = self.run_notice_jobs()
        self.assertEqual(result, "4 notice(s) queued.")
        self.deliver()
        self.assertEqual(len(self.smtp.messages()), 4)
        for contract in self.contracts:
            [mail] = self.notices(contract)
            self.assertEqual((mail.tv_notice, mail.recipient_ids, mail.author_id),
                             ("late_notice", contract.partner_id, self.company.partner_id))
            self.assertIn(mail.mail_message_id, contract.message_ids, "in the chatter")
            [message] = self.received(contract.partner_id.email)
            body, invoice = self.text(message), invoices[contract.id]
            due = self.day(invoice.date_due)
            reduced_on = due + timedelta(days=21)  # reduced once more than 20 days overdue
            if self.pt(contract):
                self.assertIn("faturas em atraso", message["Subject"])
                self.assertIn(due.strftime("%d/%m/%Y"), body)
                self.assertIn(pt_amount(invoice.residual), body)
                self.assertIn("reduzido ao pacote principal em %s"
                              % reduced_on.strftime("%d/%m/%Y"), body)
            else:
                self.assertIn("overdue invoices on your contract", message["Subject"])
                self.assertIn(due.strftime("%m/%d/%Y"), body)
                self.assertIn(en_amount(invoice.residual), body)
                self.assertIn("reduced to the main package on %s"
                              % reduced_on.strftime("%m/%d/%Y"), body)
            self.assertIn(invoice.number, body)
            for other in set(invoices) - {contract.id}:  # its own figures only
                self.assertNotIn(invoices[other].number, body)

    def test_the_daily_policy_queues_one_job_per_notice_for_the_whole_run(self):
        """The policy changes contracts one at a time: one job per kind
        anyway, not one per contract."""
        for contract, days in zip(self.contracts, (6, 7, 8, 25)):
            self.invoice(contract, days)
        self.env["account.analytic.account"]._cron_tv_delinquency()
        jobs = self.notice_jobs()
        kinds = [job.args[0] for job in jobs]
        self.assertEqual(len(kinds), len(set(kinds)), "one job per kind (demo contracts too)")
        ours = {job.args[0]: len(set(job.record_ids) & set(self.contracts.ids)) for job in jobs}
        self.assertEqual((ours["late_notice"], ours["reduced"]), (3, 1))
        mails = self.env["mail.mail"].search([])
        self.run_notice_jobs()
        self.assertEqual(len((self.env["mail.mail"].search([]) - mails).filtered(
            lambda mail: mail.res_id in self.contracts.ids)), 4)

    def test_each_language_is_rendered_in_one_call(self):
        template_model = type(self.env["mail.template"])
        generate_email = template_model.generate_email
        calls = []

        def counted(template, res_ids, fields=None):
            calls.append((template.env.context.get("lang"), sorted(res_ids)))
            return generate_email(template, res_ids, fields)

        self.as_operator(self.contracts).action_contract_block()
        with mock.patch.object(template_model, "generate_email", counted):
            self.run_notice_jobs()
        self.assertEqual(sorted(calls), [
            ("en_US", sorted((self.contract_en | self.contract_mary).ids)),
            ("pt_BR", sorted((self.contract | self.contract_bruno).ids))])
        for contract in self.contracts:
            self.assertEqual(self.notices(contract).mapped("tv_notice"), ["blocked"])
        self.assertEqual(len(self.deliver()), 4)

    def test_only_the_contracts_with_a_notice_to_send_are_queued(self):
        self.as_operator(self.contract | self.contract_en).action_contract_block()
        # a late notice that only warns (the policy's): its end sends nothing
        self.as_operator(self.contract_bruno | self.contract_mary).action_contract_late_notice()
        self.run_notice_jobs()
        self.as_operator(self.contracts).action_contract_release()
        [job] = self.notice_jobs()
        self.assertEqual(job.args, ["released", "active"])
        self.assertEqual(sorted(job.record_ids), sorted((self.contract | self.contract_en).ids))
        self.run_notice_jobs()
        self.policy.notify_blocked = False
        self.as_operator(self.contracts).action_contract_block()
        self.assertFalse(self.notice_jobs(), "switched off: no job")
        self.policy.unlink()
        self.as_operator(self.contracts).action_contract_release()
        self.assertFalse(self.notice_jobs(), "no policy: no job")

    def test_the_job_skips_a_contract_whose_status_changed_again(self):
        self.as_operator(self.contracts).action_contract_block()
        self.as_operator(self.contract_en).action_contract_release()  # before the job ran
        blocked, released = self.run_notice_jobs()
        self.assertEqual(blocked, '3 notice(s) queued.\n1 skipped: the contract is no longer '
                                  '"Blocked" (contract ids %d).' % self.contract_en.id)
        self.assertEqual(released, "1 notice(s) queued.")
        self.assertEqual(self.notices(self.contract_en).mapped("tv_notice"), ["released"])
        for contract in self.contracts - self.contract_en:
            self.assertEqual(self.notices(contract).mapped("tv_notice"), ["blocked"])
        self.assertEqual(len(self.deliver()), 4)

    def test_the_job_speaks_the_language_of_who_changed_the_status(self):
        self.operator.lang = "pt_BR"
        self.as_operator(self.contracts).with_context(lang="pt_BR").action_contract_block()
        self.as_operator(self.contract_en).with_context(lang="pt_BR").action_contract_release()
        blocked = self.notice_jobs()[0]
        self.assertIn('aviso ao cliente "Bloqueado" para 4 contrato(s)', blocked.name)
        result = self.run_notice_jobs()[0]
        self.assertEqual(result, '3 aviso(s) enfileirado(s).\n1 ignorado(s): o contrato não '
                                 'está mais "Bloqueado" (ids dos contratos %d).'
                         % self.contract_en.id)

    # -- one contract's failure --------------------------------------------------

    @mute_logger(*NOTICE_LOGGERS)
    def test_one_contracts_failing_figures_do_not_stop_the_others(self):
        broken = self.contract_bruno
        notice_values = CustomerNotices.values

        def figures(service, contract, lang):
            if contract.id == broken.id:
                raise ValueError("these figures cannot be computed")
            return notice_values(service, contract, lang)

        self.as_operator(self.contracts).action_contract_late_notice()
        with mock.patch.object(CustomerNotices, "values", figures):
            [result] = self.run_notice_jobs()
        self.assertEqual(result, "3 notice(s) queued.\n1 could not be rendered or queued "
                                 "(contract ids %d; the server log says why)." % broken.id)
        self.assertFalse(self.notices(broken))
        for contract in self.contracts - broken:
            self.assertEqual(len(self.notices(contract, "late_notice")), 1)
        self.assertEqual(len(self.deliver()), 3)
        self.assertFalse(self.received("bruno@example.com"))

    @mute_logger(*NOTICE_LOGGERS)
    def test_one_record_failing_the_template_is_rendered_alone(self):
        """The batch of its language fails: that language is rendered one
        contract at a time, the failing one left out."""
        broken = self.contract_mary
        template = self.env.ref("oletv_integration.mail_template_tv_blocked")
        # (a name the notice does not have renders empty: a division by zero fails)
        template.email_from = ("${(object.company_id.partner_id.email_formatted "
                               "if object.id != %d else 1 // 0)|safe}" % broken.id)
        self.as_operator(self.contracts).action_contract_block()
        [result] = self.run_notice_jobs()
        self.assertEqual(result, "3 notice(s) queued.\n1 could not be rendered or queued "
                                 "(contract ids %d; the server log says why)." % broken.id)
        self.assertFalse(self.notices(broken))
        self.assertEqual(self.notices(self.contract_en).email_from,
                         self.company.partner_id.email_formatted)
        self.assertEqual(len(self.deliver()), 3)
        self.assertFalse(self.received("mary@example.com"))

    # -- the request's cost --------------------------------------------------------

    def test_the_request_pays_a_constant_for_the_notices(self):
        """A bulk block's queries with the notices on, less those with the
        notices off: one job whatever the number of contracts."""
        serial = iter(range(100))

        def queries(count, notices_on):
            self.policy.write({switch: notices_on for switch in SWITCHES})
            contracts = self.env["account.analytic.account"]
            for _index in range(count):
                number = next(serial)
                partner = self.env["res.partner"].create({
                    "name": "Bulk %d" % number, "email": "bulk%d@example.com" % number,
                    "lang": "pt_BR" if number % 2 else "en_US"})
                contracts |= self.make_contract(partner, [self.tv_product])
            self.env.cache.invalidate()
            before = self.env.cr.sql_log_count
            self.as_operator(contracts).action_contract_block()
            return self.env.cr.sql_log_count - before

        queries(2, True), queries(2, False)  # warm the registry's caches
        extra = {count: queries(count, True) - queries(count, False) for count in (2, 6)}
        self.assertEqual(extra[2], extra[6], "notices on costs the same for 2 and 6 contracts")
        self.assertGreater(extra[2], 0, "the job")
        self.assertEqual(len(self.notice_jobs()), 3, "one job per bulk change")

    # -- an upgraded database's templates ------------------------------------------

    def test_migration_moves_the_templates_to_the_per_record_figures(self):
        spec = importlib.util.spec_from_file_location("oletv_post_migration_11_0_1_5_0",
                                                      MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        template = self.env.ref("oletv_integration.mail_template_tv_late_notice")
        current = template.with_context(lang="en_US").body_html
        self.assertIn(migration.NEW, current)
        # as an 11.0.1.4.0 database holds it, with an ISP's edit
        old = current.replace(migration.NEW, migration.OLD).replace("Hello", "Hi")
        self.env.cr.execute("UPDATE mail_template SET body_html = %s WHERE id = %s",
                            (old, template.id))
        self.env.cr.execute(
            "UPDATE ir_translation SET src = replace(src, %s, %s), value = replace(value, %s, %s) "
            "WHERE name = 'mail.template,body_html' AND res_id = %s AND lang = 'pt_BR' "
            "RETURNING value", (migration.NEW, migration.OLD, migration.NEW, migration.OLD,
                                template.id))
        self.assertIn(migration.OLD, self.env.cr.fetchone()[0])
        migration.migrate(self.env.cr, "11.0.1.4.0")
        template.invalidate_cache()
        self.assertEqual(template.with_context(lang="en_US").body_html,
                         current.replace("Hello", "Hi"), "the line rewritten, the edit kept")
        translated = template.with_context(lang="pt_BR").body_html
        self.assertIn(migration.NEW, translated)
        self.assertNotIn(migration.OLD, translated)
        invoice = self.invoice(self.contract, 8)
        self.as_operator(self.contract).action_contract_late_notice()
        self.run_notice_jobs()
        [message] = self.deliver()
        self.assertIn(invoice.number, self.text(message))

    @staticmethod
    def day(value):
        return fields.Date.from_string(value)
