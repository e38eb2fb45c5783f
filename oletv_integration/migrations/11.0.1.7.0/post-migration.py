# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.7.0: the customer notice *suspended* is *blocked* (see
pre-migration.py). Here, what is stored in its former name:

- the notices already sent (mail.mail's tv_notice) say `blocked`;
- the notice jobs not yet done (queued before the upgrade, or failed and
  waiting for an operator to requeue them) send the `blocked` notice;
- the template's name becomes "TV: access blocked" unless the ISP renamed
  it. Its subject and body are the ISP's (noupdate) and are left alone: the
  shipped text tells the customer the access "has been suspended", as the
  portal does."""
from odoo import SUPERUSER_ID, api

OLD, NEW = "suspended", "blocked"
OLD_NAME, NEW_NAME = "TV: access suspended (blocked)", "TV: access blocked"
JOB_METHOD = "_tv_send_status_notices"


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE mail_mail SET tv_notice = %s WHERE tv_notice = %s", (NEW, OLD))
    cr.execute("""UPDATE mail_template SET name = %s WHERE name = %s AND id IN (
                      SELECT res_id FROM ir_model_data WHERE module = 'oletv_integration'
                         AND model = 'mail.template' AND name = 'mail_template_tv_blocked')""",
               (NEW_NAME, OLD_NAME))
    env = api.Environment(cr, SUPERUSER_ID, {})
    jobs = env["queue.job"].search([("method_name", "=", JOB_METHOD), ("state", "!=", "done"),
                                    ("model_name", "=", "account.analytic.account")])
    for job in jobs:
        args = list(job.args or ())
        if args and args[0] == OLD:
            job.write({"args": [NEW] + args[1:]})
