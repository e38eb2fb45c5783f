# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.4.0 brings the suspension ladder and the customer notices. A
policy of an earlier release keeps doing what it did: no reduced step, no
termination proposal, its late notice still blocks the TV, and no notice is
mailed to customers until the ISP switches them on (new policies have them
on). Creating the columns here keeps Odoo from filling them with the new
policies' defaults."""

NEW_COLUMNS = [
    ("late_notice_blocks_tv", "boolean", "true"),
    ("reduce_days", "integer", "0"),
    ("termination_days", "integer", "0"),
    ("notify_welcome", "boolean", "false"),
    ("notify_late_notice", "boolean", "false"),
    ("notify_reduced", "boolean", "false"),
    ("notify_suspended", "boolean", "false"),
    ("notify_released", "boolean", "false"),
]


def migrate(cr, version):
    if not version:
        return
    for column, sql_type, value in NEW_COLUMNS:
        cr.execute("ALTER TABLE tv_delinquency_policy ADD COLUMN IF NOT EXISTS %s %s"
                   % (column, sql_type))
        cr.execute("UPDATE tv_delinquency_policy SET %s = %s WHERE %s IS NULL"
                   % (column, value, column))
