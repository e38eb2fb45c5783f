# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notice tests: a real SMTP server on 127.0.0.1 (smtp.py), an
outgoing mail server pointing at it, a pt_BR and an English customer, a
delinquency policy with every notice on, `run_notice_jobs()`, which runs
the jobs that render a status change's notices, and `deliver()`, which runs
Odoo's mail queue so that the mails really go over SMTP."""
import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from odoo import fields

from .common import OleTVCase
from .smtp import SmtpSink

POLICY = {"late_notice_days": 5, "reduce_days": 20, "block_days": 50, "termination_days": 0,
          "ladder_preset": "custom", "late_notice_blocks_tv": False, "notify_welcome": True,
          "notify_late_notice": True,
          "notify_reduced": True, "notify_blocked": True, "notify_released": True}


def en_amount(value):
    return "{:,.2f}".format(value)


def pt_amount(value):
    return en_amount(value).replace(",", "X").replace(".", ",").replace("X", ".")


@contextmanager
def real_smtp(cr):
    """Odoo 11 skips SMTP entirely while the current thread is `testing`
    (ir.mail_server.connect and send_email), a flag pytest-odoo and Odoo's
    runner both set. Clear it so the mail really goes over SMTP, and make
    the queue's per-mail commit (it commits when not testing) a no-op so the
    test still rolls everything back."""
    thread = threading.currentThread()
    testing = getattr(thread, "testing", False)
    thread.testing = False
    try:
        with mock.patch.object(cr, "commit", lambda: None):
            yield
    finally:
        thread.testing = testing


class NoticeCase(OleTVCase):

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink().start()
        super().setUpClass()
        cls.env["ir.mail_server"].search([]).write({"active": False})
        cls.env["ir.mail_server"].create({
            "name": "Test SMTP", "smtp_host": "127.0.0.1", "smtp_port": cls.smtp.port,
            "smtp_encryption": "none", "sequence": 1})
        cls.company = cls.env.user.company_id
        cls.company.partner_id.email = "tv@isp.example.com"
        policies = cls.env["tv.delinquency.policy"]
        cls.policy = policies._for_company(cls.company)
        if cls.policy:
            cls.policy.write(POLICY)
        else:
            cls.policy = policies.create(dict(POLICY, company_id=cls.company.id))
        cls.partner.write({"lang": "pt_BR", "email": "ana@example.com"})
        cls.john = cls.env["res.partner"].create(
            {"name": "John Smith", "email": "john@example.com", "lang": "en_US"})
        cls.contract_en = cls.make_contract(cls.john, [cls.tv_product],
                                            plain_products=[cls.plain_product])
        # the instructions as an ISP writes them, translated with the field's
        # language button (an Html field: one ir.translation per text term)
        cls.integration.with_context(lang="en_US").access_instructions = \
            "<p>Open the Ole app and sign in.</p>"
        cls.env["ir.translation"].create({
            "name": "tv.integration,access_instructions", "type": "model", "lang": "pt_BR",
            "res_id": cls.integration.id, "src": "Open the Ole app and sign in.",
            "value": "Abra o app Ole e entre.", "state": "translated"})
        cls.operator = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Operator", "login": "notice-operator", "email": "operator@isp.example.com",
            "groups_id": [(6, 0, [cls.env.ref("oletv_integration.group_tv_user").id,
                                  cls.env.ref("account.group_account_invoice").id])]})
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.env.user))
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.smtp.close()

    def setUp(self):
        super().setUp()
        self.smtp.start()
        self.smtp.refuse(None)
        self.deliver()  # whatever the database had queued before
        self.smtp.clear()

    # -- helpers ---------------------------------------------------------------

    def notice_jobs(self):
        """The pending jobs that render the notices of status changes, in the
        order they were queued."""
        return self.env["queue.job"].search([("state", "=", "pending"),
                                             ("method_name", "=", "_tv_send_status_notices")],
                                            order="id")

    def run_notice_jobs(self):
        """Run the pending notice jobs as queue_job's runner would, in the
        order they were queued (eta ignored: the test controls time).
        Returns their results."""
        return self.perform_jobs("_tv_send_status_notices")

    def deliver(self):
        """Run the mail queue as its scheduled action does; what arrived."""
        with real_smtp(self.env.cr):
            self.env["mail.mail"].process_email_queue()
        return self.smtp.messages()

    def received(self, address):
        return [m for m in self.smtp.messages() if address in m["X-Envelope-To"]]

    @staticmethod
    def text(message):
        return message.get_body(("html",)).get_content()

    def notices(self, contract, kind=None):
        domain = [("model", "=", contract._name), ("res_id", "=", contract.id),
                  ("tv_notice", "!=", False)]
        if kind:
            domain.append(("tv_notice", "=", kind))
        return self.env["mail.mail"].search(domain)

    def as_operator(self, records):
        return records.sudo(self.operator)

    def invoice(self, contract, days_overdue):
        """The contract's next invoice, validated, due `days_overdue` days ago."""
        invoice = contract.recurring_create_invoice()
        day = self.today - timedelta(days=days_overdue)
        invoice.write({"date_invoice": fields.Date.to_string(day - timedelta(days=10)),
                       "date_due": fields.Date.to_string(day)})
        invoice.action_invoice_open()
        return invoice
