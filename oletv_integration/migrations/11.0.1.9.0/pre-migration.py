# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.9.0: the suspension ladder follows a rule of the delinquency
policy, Anatel's by default (the late notice a notice only, the block at
least 15 days after it, no reduced access, the termination at least 60
days after the block). A policy that exists keeps its ladder as it is: its
new column is created here as custom, before Odoo would fill it with the
default (whose rule its ladder may break). Its days, its switch "Late
notice blocks the TV" and its late notice template are not touched. The
ISP switches to Anatel's rule on the policy's form.

The same policy keeps charging the days a contract is blocked, as before
(charge_blocked_days; a new policy does not, as Anatel asks)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE tv_delinquency_policy ADD COLUMN IF NOT EXISTS ladder_preset varchar")
    cr.execute("UPDATE tv_delinquency_policy SET ladder_preset = 'custom' "
               "WHERE ladder_preset IS NULL")
    cr.execute("ALTER TABLE tv_delinquency_policy "
               "ADD COLUMN IF NOT EXISTS charge_blocked_days boolean")
    cr.execute("UPDATE tv_delinquency_policy SET charge_blocked_days = TRUE "
               "WHERE charge_blocked_days IS NULL")
