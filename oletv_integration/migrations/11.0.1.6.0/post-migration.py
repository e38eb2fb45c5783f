# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.6.0: the platform credentials move from tv.integration's own
columns to tv.integration.credential (managers only by any ORM path), and
the old columns are dropped so no copy of a secret stays behind. The
customer notices sent before get their company (the TV roles read their
companies' notices only) and their chatter copy is reduced to a line (its
content stays in the mail, which only the TV roles read)."""
SECRET_COLUMNS = ("access_token", "api_login", "api_password")


def migrate(cr, version):
    if not version:
        return
    _move_credentials(cr)
    _close_old_notices(cr)


def _close_old_notices(cr):
    cr.execute("""UPDATE mail_mail mail SET tv_company_id = contract.company_id
                  FROM mail_message message, account_analytic_account contract
                  WHERE mail.mail_message_id = message.id AND mail.tv_notice IS NOT NULL
                    AND message.model = 'account.analytic.account'
                    AND contract.id = message.res_id""")
    cr.execute("""UPDATE mail_message message
                  SET body = '<p>Customer notice sent to ' || COALESCE(
                      (SELECT partner.name FROM res_partner partner
                       JOIN account_analytic_account contract
                         ON contract.partner_id = partner.id
                       WHERE contract.id = message.res_id), '') || '.</p>'
                  FROM mail_mail mail
                  WHERE mail.mail_message_id = message.id AND mail.tv_notice IS NOT NULL""")


def _move_credentials(cr):
    cr.execute("""SELECT column_name FROM information_schema.columns
                  WHERE table_name = 'tv_integration' AND column_name IN %s""",
               (SECRET_COLUMNS,))
    present = sorted(row[0] for row in cr.fetchall())
    if not present:
        return
    columns = ", ".join(present)
    cr.execute("""INSERT INTO tv_integration_credential
                      (integration_id, company_id, {columns},
                       create_uid, create_date, write_uid, write_date)
                  SELECT integration.id, integration.company_id, {selected},
                         1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
                  FROM tv_integration integration
                  WHERE NOT EXISTS (SELECT 1 FROM tv_integration_credential credential
                                    WHERE credential.integration_id = integration.id)
               """.format(columns=columns,
                          selected=", ".join("integration.%s" % name for name in present)))
    cr.execute("ALTER TABLE tv_integration %s" % ", ".join(
        "DROP COLUMN %s" % name for name in present))
