# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: the delinquency scheduled action calls the private
`_cron_tv_delinquency` (the public `cron_tv_delinquency` is gone: it was
callable over XML-RPC). Its record is noupdate, so the update does not
rewrite its code: do it here."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE ir_act_server
           SET code = replace(code, 'model.cron_tv_delinquency(', 'model._cron_tv_delinquency(')
         WHERE id IN (SELECT c.ir_actions_server_id FROM ir_cron c
                        JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
                       WHERE d.module = 'oletv_integration' AND d.name = 'cron_tv_delinquency')
    """)
