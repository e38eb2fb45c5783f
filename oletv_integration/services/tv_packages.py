# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The packages TV users should have on the platform: their plan's under
the access their contract wants, and their add-ons' (dropped under reduced
access: core/access_rules.py). One helper for every caller that compares or
pushes them: the sync (convergence.py), the reconciliation's batches
(reconciliation.py), the link of existing subscribers (subscriber_links.py)
and the platform's leaks (platform_leaks.py).

A batch's TV users share a few (plan, access, add-ons) combinations: each
is computed once (`cache`), and the add-ons of many TV users are read in
one query (`load`). The reads are the system's: the callers were checked."""
from ..core import access_rules as rules

ADDONS_SQL = (
    "SELECT l.tv_user_id, p.product_tmpl_id FROM account_analytic_invoice_line l "
    "JOIN product_product p ON p.id = l.product_id "
    "WHERE l.tv_user_id = ANY(%s) AND l.tv_addon_to IS NULL ORDER BY l.tv_user_id, l.id")


class PlatformPackages:
    """(main, (additional, ...)) per TV user, with its add-ons."""

    def __init__(self, env):
        self.env = env
        self.cache = {}   # (plan product id, access, add-on template ids) -> packages
        self.addons = {}  # TV user id -> add-on template ids (live add-on lines)

    def load(self, user_ids):
        """Read the live add-ons of these TV users (one query)."""
        user_ids = [user_id for user_id in user_ids if user_id not in self.addons]
        if not user_ids:
            return
        for user_id in user_ids:
            self.addons[user_id] = ()
        self.env.cr.execute(ADDONS_SQL, (user_ids,))
        for user_id, template_id in self.env.cr.fetchall():
            self.addons[user_id] += (template_id,)

    def of(self, user_id, product_id, access):
        """The packages of TV user `user_id` of plan `product_id` (ids)
        under `access`."""
        self.load([user_id])
        key = (product_id, access or rules.ACCESS_ALLOWED, self.addons[user_id])
        if key not in self.cache:
            templates = self.env["product.template"].with_context(active_test=False)
            self.cache[key] = self.env["product.product"].with_context(
                active_test=False).browse(product_id).product_tmpl_id._tv_platform_packages(
                    key[1], templates.browse(key[2]))
        return self.cache[key]

    def of_user(self, user, access=None):
        """The packages of `user` (a tv.user) under its desired access, or
        under `access`."""
        return self.of(user.id, user.product_id.id, access or user.desired_access)

    def codes(self, user, access=None):
        """Every package code of `user` (main first), for a comparison."""
        main, additional = self.of_user(user, access)
        return [code for code in [main] + list(additional) if code]
