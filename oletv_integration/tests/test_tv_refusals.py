# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who refused: a refusal the addon decides itself (services/errors.py, or
the client's refusal to send a call) is shown in the addon's own words,
never as if Olé TV had said it; what the platform answers (an HTTP error, a
redirect, a timeout) is still shown as Olé TV's. Neither names a secret."""
import base64

import requests
import responses

from .common import OleTVCase, error_payload, subscriber_payload

UNKNOWN_STATUS = ("Olé TV answered the unknown status suspended for subscriber OLE-000001; "
                  "nothing was changed. Check the subscriber on the Olé TV panel, then "
                  "Retry sync.")
UNKNOWN_STATUS_PT = ("A Olé TV respondeu o status desconhecido suspended para o assinante "
                     "OLE-000001; nada foi alterado. Verifique o assinante no painel da Olé TV "
                     "e depois use Repetir sincronização.")
UNKNOWN_STATUS_LINK = ("On Olé TV the login ana@example.com has a status the addon does not "
                       "know (suspended): check it on the Olé TV panel.")
UNKNOWN_STATUS_LINK_PT = ("No Olé TV o login ana@example.com tem um status que o addon não conhece "
                          "(suspended): verifique-o no painel da Olé TV.")
LOGIN_TAKEN = ("Olé TV subscriber OLE-000042 already uses the login ana@example.com and was "
               "not created by this TV user (its external reference is panel-7), so it is not "
               "linked. Use another login, or delete the TV user that holds it; a subscriber "
               "made outside Odoo is linked with Link existing subscribers.")
LOGIN_TAKEN_PT = ("O assinante Olé TV OLE-000042 já usa o login ana@example.com e não foi "
                  "criado por este usuário TV (sua referência externa é panel-7), por isso não "
                  "é vinculado. Use outro login ou exclua o usuário TV que o detém; um "
                  "assinante criado fora do Odoo é vinculado com Vincular assinantes "
                  "existentes.")
PLATFORM_PREFIXES = ("Olé TV error", "Erro da Olé TV", "Olé TV refused", "A Olé TV recusou")
SECRETS = ("tok-SECRET-1", "pw-SECRET-2")


class TestTvRefusals(OleTVCase):

    def new_user(self):
        return self.env["tv.user"].create({"contract_id": self.contract.id,
                                           "product_id": self.tv_product.id})

    def bodies(self, user):
        return "\n".join(user.message_ids.mapped("body"))

    def texts(self, user):
        return [user.sync_error, self.bodies(user)] + user.activity_ids.mapped("summary") \
            + user.activity_ids.mapped("note")

    def assert_no_secret(self, texts):
        for text in texts:
            for secret in SECRETS:
                self.assertNotIn(secret, text or "")

    def assert_odoos_refusal(self, user, message, stopped="Odoo stopped the sync: %s",
                             summary="Odoo stopped a TV user's sync"):
        """Stopped with `message` as the addon's own, nowhere as Olé TV's."""
        self.assertEqual(user.sync_state, "error")
        self.assertEqual(user.sync_error, message)
        self.assertIn(stopped % message, self.bodies(user))
        self.assertEqual(user.activity_ids.mapped("summary"), [summary])
        for text in self.texts(user):
            for prefix in PLATFORM_PREFIXES:
                self.assertNotIn(prefix, text or "")
        self.assert_no_secret(self.texts(user))

    def assert_platforms_refusal(self, user, message):
        self.assertEqual(user.sync_state, "error")
        self.assertEqual(user.sync_error, message)
        self.assertIn("Olé TV refused the change: %s" % message, self.bodies(user))
        self.assertNotIn("Odoo stopped the sync", self.bodies(user))
        self.assertEqual(user.activity_ids.mapped("summary"), ["Olé TV refused a TV user change"])
        self.assert_no_secret(self.texts(user))

    def foreign_subscriber(self, mock):
        """The login is on the platform, made by someone else (not linked)."""
        mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": [
            dict(subscriber_payload(account="OLE-000042", status="active"),
                 external_ref="panel-7")]})

    # -- the addon's own refusals ------------------------------------------------

    def test_login_taken_is_odoos_refusal(self):
        user = self.new_user()
        with self.mock() as mock:
            self.foreign_subscriber(mock)
            self.assertEqual(self.run_jobs(), 0)
        self.assert_odoos_refusal(user, LOGIN_TAKEN)
        self.assertFalse(user.account_number)

    def test_login_taken_is_odoos_refusal_in_portuguese(self):
        user = self.new_user()
        with self.mock() as mock:
            self.foreign_subscriber(mock)
            self.env.user.lang = "pt_BR"  # the job runs in the language of who queued it
            user._tv_sync_job()
        self.assert_odoos_refusal(
            user, LOGIN_TAKEN_PT, stopped="O Odoo interrompeu a sincronização: %s",
            summary="O Odoo interrompeu a sincronização de um usuário TV")

    def test_unknown_status_in_a_sync_is_odoos_refusal(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            self.expect_get(mock, status="suspended")
            user.action_sync_now()
            self.assertEqual(self.run_jobs(), 0)
        self.assert_odoos_refusal(user, UNKNOWN_STATUS)
        self.assertEqual(user.platform_state, "awaiting_activation", "nothing changed")

    def test_unsafe_url_is_odoos_refusal_before_any_call(self):
        """The client refuses to send a call over plain http in production:
        nothing reached Olé TV, so Olé TV refused nothing."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("oletv_integration.production_url", "https://127.0.0.1:9")
        self.integration.with_context(tv_skip_connection_check=True).write(
            {"environment": "production"})
        params.set_param("oletv_integration.production_url", "http://127.0.0.1:9")
        user = self.new_user()
        with self.mock() as mock:
            self.run_jobs()
            self.assertEqual(len(mock.calls), 0)
        self.assert_odoos_refusal(
            user, "The production environment must use an https:// API URL; the configured "
                  "URL is http://127.0.0.1:9. Fix the system parameter "
                  "oletv_integration.production_url.")

    def link_csv(self):
        self.contract.code = "CT-R1"
        self.tv_product.default_code = "TVB"
        return "contract;login;account_number;product\nCT-R1;ana@example.com;OLE-000001;TVB\n"

    def suspended_subscriber(self, mock):
        mock.add(responses.GET, self.url("/v1/subscribers"), json={
            "subscribers": [subscriber_payload(status="suspended")], "missing": []})

    def test_link_row_reason_is_odoos_own(self):
        """A subscriber of a status the addon does not know is the row's
        error from the dry run on (nothing is linked), in Odoo's words."""
        text = self.link_csv()
        for dry_run in (True, False):
            with self.mock() as mock:
                self.suspended_subscriber(mock)
                results = self.integration.link_existing_subscribers(text, dry_run=dry_run)
            self.assertEqual([(r["status"], r["reason"]) for r in results],
                             [("error", UNKNOWN_STATUS_LINK)])
        self.assertFalse(self.contract.tv_user_ids)

    def test_link_wizard_row_reason_is_odoos_own_in_portuguese(self):
        text = self.link_csv()
        wizard = self.env["tv.link.subscribers.wizard"].with_context(lang="pt_BR").create({
            "integration_id": self.integration.id,
            "csv_file": base64.b64encode(text.encode("utf-8")), "csv_filename": "old.csv"})
        with self.mock() as mock:
            self.suspended_subscriber(mock)
            wizard.action_preview()
        self.assertEqual([(line.status, line.reason) for line in wizard.line_ids],
                         [("error", UNKNOWN_STATUS_LINK_PT)])
        self.assertFalse(self.contract.tv_user_ids)

    # -- the platform's answers ----------------------------------------------------

    def test_platform_refusal_is_still_the_platforms(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=422, json=error_payload(
                "validation_error", "Invalid request", details={"login": "domain not accepted"}))
            self.run_jobs()
        self.assert_platforms_refusal(user, "Olé TV rejected the data: login: domain not accepted")

    def test_platform_login_taken_is_still_the_platforms(self):
        """The platform's 409 (its own subscriber, gone by the look-up)."""
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=409,
                     json=error_payload("login_taken", "Login already in use"))
            self.run_jobs()
        self.assert_platforms_refusal(
            user, "This login is already used by another Olé TV subscriber. "
                  "(Login already in use)")

    def test_platform_redirect_is_still_the_platforms(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), status=302,
                     headers={"Location": "http://127.0.0.1:10/v1/subscribers"})
            self.run_jobs()
        self.assert_platforms_refusal(
            user, "Olé TV answered with a redirect (HTTP 302), which is never followed: the "
                  "credentials must not leave for another address. Check the API URL.")

    def test_platform_refusal_is_still_the_platforms_in_portuguese(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), json={"subscribers": []})
            mock.add(responses.POST, self.url("/v1/subscribers"), status=422, json=error_payload(
                "validation_error", "Invalid request", details={"login": "domain not accepted"}))
            self.env.user.lang = "pt_BR"  # the job runs in the language of who queued it
            user._tv_sync_job()
        message = "A Olé TV rejeitou os dados: login: domain not accepted"
        self.assertEqual(user.sync_error, message)
        self.assertIn("A Olé TV recusou a alteração: %s" % message, self.bodies(user))
        self.assertEqual(user.activity_ids.mapped("summary"),
                         ["A Olé TV recusou uma alteração de usuário TV"])

    def test_platform_timeout_is_still_the_platforms(self):
        user = self.new_user()
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"),
                     body=requests.exceptions.ReadTimeout("read timed out"))
            self.assertEqual(self.run_jobs(), 1, "retried")
        self.assertEqual(user.sync_state, "pending")
        self.assertEqual(user.sync_error,
                         "Retrying automatically: Olé TV could not be reached (platform down "
                         "or network problem). Try again later. (no answer in time "
                         "(ReadTimeout: read timed out))")
        self.assertNotIn("Odoo stopped", self.bodies(user))
        self.assert_no_secret(self.texts(user))
