# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.8.0: the suspension on request follows a rule of the delinquency
policy, Anatel's by default (30 to 120 days, once in 12 months, customer up
to date). A policy that exists keeps what it did (any length from one day,
its days per 12 months, no count, no debt check): its new columns are
created here with those values, before Odoo would fill them with the
defaults. The ISP switches to Anatel's rule on the policy's form."""
from odoo.addons.oletv_integration.core.customer_requests import FORMER_SUSPENSION

NEW_COLUMNS = (  # column, type, the value existing policies get
    ("suspension_preset", "varchar", "custom"),
    ("suspension_min_days", "integer", FORMER_SUSPENSION.min_days),
    ("suspension_max_count", "integer", FORMER_SUSPENSION.max_count),
    ("suspension_up_to_date", "boolean", FORMER_SUSPENSION.up_to_date),
)


def migrate(cr, version):
    if not version:
        return
    for column, sql_type, value in NEW_COLUMNS:
        cr.execute("ALTER TABLE tv_delinquency_policy ADD COLUMN IF NOT EXISTS %s %s"
                   % (column, sql_type))
        cr.execute("UPDATE tv_delinquency_policy SET %s = %%s WHERE %s IS NULL"
                   % (column, column), (value,))
