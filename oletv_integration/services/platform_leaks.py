# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform side's leaks of a month (core/platform_leaks.py), read from
the platform's daily history (platform_history.py) and Odoo's TV users,
contracts and their status history; stored with the month's other leaks
by revenue_month.py (RevenueMonth.leaks). The caller was checked: the
reads are the system's, within the integration's company.

- a subscriber on the platform in the month linked to no TV user, at its
  billable days (0: it never was billable in the month);
- a TV user billable on the platform in the month whose contract's status
  gave no TV access on some of its days (the status history), at the
  fewer of the two day counts (the history keeps no day-by-day overlap);
- a TV user whose packages on the platform differ from its product's
  and add-ons' (tv_packages.py) under the access its contract wants now (a blocked one is the leak
  above), at the days it had packages the product does not give, for
  those packages (packages it lacks cost the platform nothing)."""
from collections import namedtuple

from ..core import bill_check
from ..core import platform_leaks as leaks
from .platform_history import PlatformHistory
from .tv_packages import PlatformPackages


# a linked TV user's fields the leaks need, read in one query
LinkedUser = namedtuple("LinkedUser", "id contract_id product_id login desired_access")


class PlatformLeaks:
    """The platform side's leaks of `month` (a RevenueMonth)."""

    def __init__(self, month):
        self.month = month
        self.env = month.env
        self.integration = month.integration
        self.days = (month.last - month.first).days + 1

    def rows(self):
        """bill_check.LeakRow rows (ids, codes joined by commas)."""
        history = PlatformHistory(self.env)
        subscribers = history.month_subscribers(self.integration, self.month.first)
        if not subscribers:
            return []
        prices = self.month.prices()
        rows = [self._unlinked(subscriber, prices) for subscriber in subscribers
                if subscriber["tv_user_id"] is None]
        linked = {subscriber["tv_user_id"]: subscriber for subscriber in subscribers
                  if subscriber["tv_user_id"] and subscriber["billable_days"]}
        users = self._linked_users(sorted(linked))
        blocked = self._blocked(users, linked, prices)
        rows += blocked
        blocked_users = {row.tv_user_id for row in blocked}
        rows += self._packages([user for user in users if user.id not in blocked_users],
                               linked, history.month_package_days(self.integration,
                                                                  self.month.first), prices)
        return rows

    def _linked_users(self, user_ids):
        """LinkedUser rows of `user_ids` (archived ones too), in one query:
        the ORM's prefetch of every TV user's and contract's fields took 13
        of the 17 s of a month at 20,000 subscribers (bench part 7)."""
        if not user_ids:
            return []
        self.env.cr.execute(
            "SELECT id, contract_id, product_id, login, desired_access FROM tv_user "
            "WHERE id = ANY(%s) ORDER BY id", (list(user_ids),))
        return [LinkedUser(*row) for row in self.env.cr.fetchall()]

    def _unlinked(self, subscriber, prices):
        return bill_check.LeakRow(
            leaks.UNLINKED, None, None, None,
            leaks.cost(subscriber["billable_days"], subscriber["package_codes"], prices,
                       self.days),
            account_number=subscriber["account_number"], login=subscriber["login"],
            billable_days=subscriber["billable_days"],
            platform_packages=",".join(subscriber["package_codes"]))

    def _blocked(self, users, linked, prices):
        contracts = self.env["account.analytic.account"].browse(
            sorted({user.contract_id for user in users}))
        changes, current, gives_access = self.month._status_history(contracts)
        rows = []
        for user in users:
            blocked_days = leaks.blocked_days(changes.get(user.contract_id, []),
                                              self.month.first, self.month.last,
                                              current[user.contract_id], gives_access)
            if not blocked_days:
                continue
            subscriber = linked[user.id]
            days = min(blocked_days, subscriber["billable_days"])
            rows.append(bill_check.LeakRow(
                leaks.BLOCKED_LIVE, user.contract_id, user.id, user.product_id,
                leaks.cost(days, subscriber["package_codes"], prices, self.days),
                account_number=subscriber["account_number"], login=user.login,
                billable_days=days, platform_packages=",".join(subscriber["package_codes"])))
        return rows

    def _packages(self, users, linked, package_days, prices):
        spans = {}
        for row in package_days:
            spans.setdefault(row["tv_user_id"], []).append(row)
        packages = PlatformPackages(self.env)  # the same few for everyone
        packages.load([user.id for user in users])
        rows = []
        for user in users:
            main, additional = packages.of(user.id, user.product_id, user.desired_access)
            wanted = [code for code in [main] + list(additional) if code]
            differing_days, amount = 0, 0.0
            for span in spans.get(user.id, []):
                extra, missing = leaks.extra_and_missing(span["package_codes"], wanted)
                if extra or missing:
                    differing_days += span["billable_days"]
                    amount += leaks.cost(span["billable_days"], extra, prices, self.days)
            if not differing_days:
                continue
            subscriber = linked[user.id]
            rows.append(bill_check.LeakRow(
                leaks.PACKAGES_DIFFER, user.contract_id, user.id, user.product_id,
                bill_check.money(amount), account_number=subscriber["account_number"],
                login=user.login, billable_days=differing_days,
                platform_packages=",".join(subscriber["package_codes"]),
                product_packages=",".join(wanted)))
        return rows
