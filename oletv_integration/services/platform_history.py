# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the platform will bill: a compact daily history of each
integration's subscribers on the platform, and a month's figures from it.

The history is spans (tv.subscriber.span), not a row per subscriber and
day (36.5 M rows a year at 100,000 subscribers): a span holds a
subscriber's status and packages from the day they were first seen to the
last day they were the same (empty while they still are). The integration's
`history_last_day` is the last day observed: an open span counts up to it.

`observe(integration, day)` reads the platform's whole listing page by page
and writes only the changes, in a few SQL statements into the addon's own
table: spans whose subscriber changed or disappeared end the day before,
new states open a span on the day. A day already observed (or an earlier
one) changes nothing; a missed day is carried forward: the states seen on
the last day observed are taken to hold until the day before the next
observation.

`month_counts`, `month_subscribers`, `month_package_subscribers` and
`month_package_days` read a month in one query each;
which statuses are billable and how a rule counts are core/platform_billing.py's."""
import calendar
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, fields
from odoo.addons.queue_job.exception import RetryableJobError

from .. import oletv_client as ole
from ..core import platform_billing as billing
from .call_recorder import CallRecorder
from .company_day import as_date, company_today
from .platform_slots import PlatformSlots
from .tv_roles import as_system
from .wake_ups import quiet_jobs

_logger = logging.getLogger(__name__)

CODES_SEPARATOR = ","
# a day's observation failed on the platform: tried again later the same day
HISTORY_RETRY_SECONDS = 30 * 60
# a span's days within the month (an open span: up to the last day observed),
# and a span overlapping the month, in the month's queries
SPAN_DAYS = ("LEAST(COALESCE(s.date_to, %(last)s), %(last)s) - GREATEST(s.date_from, "
             "%(first)s) + 1")
IN_MONTH = "s.date_from <= %(last)s AND COALESCE(s.date_to, %(last)s) >= %(first)s"


def month_bounds(month_first_day):
    """(first day, last day, days) of the month of `month_first_day`."""
    first = as_date(month_first_day).replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first + timedelta(days=days - 1), days


def load_listing(cr, client):
    """The platform's listing of every subscriber into the temporary table
    tv_span_listing (account_number, login, status, package_codes), a page
    at a time (500 subscribers a call: 200 calls for 100,000), dropped at
    the end of the transaction. The daily observation reads it; so does a
    large link run's dry run (services/link_runs.py)."""
    cr.execute("DROP TABLE IF EXISTS tv_span_listing")
    cr.execute("CREATE TEMPORARY TABLE tv_span_listing (account_number varchar PRIMARY KEY, "
               "login varchar, status varchar, package_codes varchar) ON COMMIT DROP")
    after = None
    while True:
        page, after = client.list_subscribers_page(after)
        if page:
            cr.execute(
                "INSERT INTO tv_span_listing SELECT * FROM unnest(%s::varchar[], "
                "%s::varchar[], %s::varchar[], %s::varchar[]) ON CONFLICT DO NOTHING",
                ([s.account_number for s in page], [s.login for s in page],
                 [s.status for s in page],
                 [CODES_SEPARATOR.join(billing.package_codes(
                     s.main_package, s.additional_packages)) for s in page]))
        if not after:
            return


class PlatformHistory:
    """The platform history of the integrations, in the transaction of `env`
    (the system's: the daily job, the reports' services)."""

    def __init__(self, env):
        self.env = env

    # -- the daily observation ------------------------------------------------

    def queue_days(self, integrations):
        """The daily cron (tv.integration._cron_platform_history): queue each
        integration's observation of its company's day, once per day."""
        root = self.env["res.users"].sudo().browse(SUPERUSER_ID)
        # a handful of integrations
        for integration in integrations.sudo().search([]):  # pylint: disable=no-search-all
            day = company_today(integration.company_id, root)
            quiet_jobs(integrations.sudo()).with_delay(
                identity_key="tv_history:%d:%s" % (integration.id, day),
                description=_("Olé TV: platform history of %(name)s on %(day)s") % {
                    "name": integration.name, "day": fields.Date.to_string(day)},
            )._tv_history_job(integration.id, fields.Date.to_string(day))

    def observe_job(self, integration_id, day):
        """The job's work (tv.integration._tv_history_job, as the system):
        a platform slot, the day observed; a platform failure is tried again
        later. Returns the job's result text."""
        integration = self.env["tv.integration"].browse(integration_id).exists()
        if not integration:
            return _("The TV integration no longer exists: nothing to do.")
        PlatformSlots(self.env).take_or_postpone(integration)
        try:
            changes = self.observe(integration, fields.Date.from_string(day))
        except ole.OleTVError as exc:
            raise RetryableJobError(integration._platform_error_message(exc),
                                    seconds=HISTORY_RETRY_SECONDS)
        if changes is None:
            return _("%(day)s already observed: nothing to do.") % {"day": day}
        return _("%(closed)d spans closed, %(opened)d opened.") % {
            "closed": changes[0], "opened": changes[1]}

    def observe(self, integration, day):
        """Record the platform's state of `integration` on `day` (a date);
        returns the spans (closed, opened), or None when the day was
        already observed. The caller holds a platform slot."""
        last = as_date(integration.history_last_day)
        if last and day <= last:
            return None
        calls = CallRecorder()
        try:
            with integration._client(calls) as client:
                load_listing(self.env.cr, client)
        finally:
            self.env["tv.api.call"]._record(integration, calls)
        changes = self._apply(integration, day)
        as_system(integration).write({"history_last_day": day})
        return changes

    def _apply(self, integration, day):
        """The listing against the open spans: (closed, opened)."""
        cr = self.env.cr
        params = {"integration": integration.id, "company": integration.company_id.id,
                  "day": day, "before": day - timedelta(days=1)}
        cr.execute(
            "UPDATE tv_subscriber_span s SET date_to = %(before)s "
            "WHERE s.integration_id = %(integration)s AND s.date_to IS NULL AND NOT EXISTS ("
            " SELECT 1 FROM tv_span_listing l WHERE l.account_number = s.account_number "
            " AND l.status = s.status AND l.package_codes = s.package_codes)", params)
        closed = cr.rowcount
        cr.execute(
            "INSERT INTO tv_subscriber_span (integration_id, company_id, account_number, "
            "tv_user_id, login, status, package_codes, date_from) "
            "SELECT %(integration)s, %(company)s, l.account_number, NULL, l.login, l.status, "
            "l.package_codes, %(day)s FROM tv_span_listing l "
            "WHERE NOT EXISTS (SELECT 1 FROM tv_subscriber_span s "
            " WHERE s.integration_id = %(integration)s AND s.date_to IS NULL "
            " AND s.account_number = l.account_number)", params)
        opened = cr.rowcount
        # the open spans' TV users: the new ones', and a subscriber linked since its span
        # opened (one TV user per integration and account number: tv_user's unique index)
        cr.execute(
            "UPDATE tv_subscriber_span s SET tv_user_id = u.id FROM tv_user u "
            "WHERE s.integration_id = %(integration)s AND s.date_to IS NULL "
            "AND s.tv_user_id IS NULL AND u.integration_id = %(integration)s "
            "AND u.account_number = s.account_number", params)
        self.env["tv.subscriber.span"].invalidate_cache()
        _logger.info("TV platform history of integration %s on %s: %d spans closed, %d opened.",
                     integration.id, day, closed, opened)
        return closed, opened

    # -- a month ------------------------------------------------------------------

    def _month_params(self, integration, month_first_day):
        """The query's bounds: the month, cut at the last day observed (an
        open span counts up to it); None when no day of it was observed."""
        first, last, days = month_bounds(month_first_day)
        observed = as_date(integration.history_last_day)
        if not observed or observed < first:
            return None, days
        return {"integration": integration.id, "first": first, "last": min(last, observed),
                "billable": list(billing.BILLABLE_STATUSES)}, days

    def month_counts(self, integration, month_first_day):
        """{package code: {"subscriber_days", "subscribers", "quantity"}} of
        the month (a date in it), the quantity by the integration's rule; in
        one SQL query over the spans overlapping the month."""
        params, days = self._month_params(integration, month_first_day)
        if params is None:
            return {}
        rule = integration.platform_billing_rule  # read before the query: it may read the record
        self.env.cr.execute(
            "SELECT code, SUM(" + SPAN_DAYS + "), COUNT(DISTINCT s.account_number) "
            "FROM tv_subscriber_span s, unnest(string_to_array(s.package_codes, ',')) AS code "
            "WHERE s.integration_id = %(integration)s AND s.status = ANY(%(billable)s) "
            "AND " + IN_MONTH + " "
            "GROUP BY code", params)
        return {code: {"subscriber_days": int(subscriber_days), "subscribers": subscribers,
                       "quantity": billing.quantity(rule, subscriber_days, subscribers, days)}
                for code, subscriber_days, subscribers in self.env.cr.fetchall()}

    def month_subscribers(self, integration, month_first_day):
        """One row per subscriber seen on the platform in the month (a date
        in it), in account order: account_number, login, tv_user_id (None:
        linked to no TV user), package_codes (a list: the last ones seen in
        the month) and billable_days (0: never billable in the month)."""
        params, _days = self._month_params(integration, month_first_day)
        if params is None:
            return []
        self.env.cr.execute(
            "SELECT s.account_number, (array_agg(s.login ORDER BY s.date_from DESC))[1], "
            "(array_agg(s.tv_user_id ORDER BY s.tv_user_id IS NULL, s.date_from DESC))[1], "
            "(array_agg(s.package_codes ORDER BY s.date_from DESC))[1], "
            "COALESCE(SUM(" + SPAN_DAYS + ") "
            "  FILTER (WHERE s.status = ANY(%(billable)s)), 0) "
            "FROM tv_subscriber_span s WHERE s.integration_id = %(integration)s "
            "AND " + IN_MONTH + " "
            "GROUP BY s.account_number ORDER BY s.account_number", params)
        return [{"account_number": account, "login": login, "tv_user_id": tv_user_id,
                 "package_codes": codes.split(CODES_SEPARATOR) if codes else [],
                 "billable_days": int(billable_days)}
                for account, login, tv_user_id, codes, billable_days in self.env.cr.fetchall()]

    def month_package_subscribers(self, integration, month_first_day):
        """The subscribers behind each package's count of the month (a date
        in it), in package and account order: one row per package code and
        subscriber billable with it on some day, with package_code,
        account_number, login (the last seen) and billable_days (the days
        billable with that package: a package's rows add up to its
        subscriber-days and count its subscribers, as month_counts does).
        The dispute export's list (services/dispute_export.py)."""
        params, _days = self._month_params(integration, month_first_day)
        if params is None:
            return []
        self.env.cr.execute(
            "SELECT code, s.account_number, (array_agg(s.login ORDER BY s.date_from DESC))[1], "
            "SUM(" + SPAN_DAYS + ") "
            "FROM tv_subscriber_span s, unnest(string_to_array(s.package_codes, ',')) AS code "
            "WHERE s.integration_id = %(integration)s AND s.status = ANY(%(billable)s) "
            "AND " + IN_MONTH + " "
            "GROUP BY code, s.account_number ORDER BY code, s.account_number", params)
        return [{"package_code": code, "account_number": account, "login": login,
                 "billable_days": int(billable_days)}
                for code, account, login, billable_days in self.env.cr.fetchall()]

    def month_package_days(self, integration, month_first_day):
        """The billable days of the month (a date in it) of each linked
        subscriber's packages, one row per account, TV user and packages:
        account_number, tv_user_id, package_codes (a list) and billable_days
        (the revenue assurance's package leaks, services/platform_leaks.py)."""
        params, _days = self._month_params(integration, month_first_day)
        if params is None:
            return []
        self.env.cr.execute(
            "SELECT s.account_number, s.tv_user_id, s.package_codes, SUM(" + SPAN_DAYS + ") "
            "FROM tv_subscriber_span s WHERE s.integration_id = %(integration)s "
            "AND s.tv_user_id IS NOT NULL AND s.status = ANY(%(billable)s) "
            "AND " + IN_MONTH + " "
            "GROUP BY s.account_number, s.tv_user_id, s.package_codes "
            "ORDER BY s.account_number, s.tv_user_id, s.package_codes", params)
        return [{"account_number": account, "tv_user_id": tv_user_id,
                 "package_codes": codes.split(CODES_SEPARATOR) if codes else [],
                 "billable_days": int(billable_days)}
                for account, tv_user_id, codes, billable_days in self.env.cr.fetchall()]
