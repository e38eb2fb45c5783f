# -*- coding: utf-8 -*-
"""Which customer notice a contract status change sends, and which mail
failures are worth retrying, free of Odoo imports (tests/test_notice_rules.py).

Notices (docs/operate.md, Customer notices): *late notice*, *reduced*, *blocked*
(the TV blocked by the policy or an operator: the status `blocked`, not the
suspension on request) and *released* follow the contract's status;
*welcome* follows the TV user's creation on the platform; *access
instructions* is the operator's resend (or the customer's, on the portal);
*request* confirms a customer's own request on the portal. A suspension on the
customer's own request and a deactivation send none: the customer asked
for the first, the second ends the contract (its own process)."""
import re
from datetime import timedelta

from . import access_rules as rules

WELCOME = "welcome"
ACCESS_INSTRUCTIONS = "access_instructions"
# the notices of the ladder's steps are named after the statuses they follow
LATE_NOTICE = rules.LATE_NOTICE
REDUCED = rules.REDUCED
BLOCKED = rules.BLOCKED
RELEASED = "released"
# the confirmation of a customer's own request on the portal (its summary
# in the customer's language is the notice's figure `request`)
REQUEST = "request"

# Kind -> the delinquency policy's switch (the resend has none: an operator
# asked for it).
SWITCHES = {
    WELCOME: "notify_welcome",
    LATE_NOTICE: "notify_late_notice",
    REDUCED: "notify_reduced",
    BLOCKED: "notify_blocked",
    RELEASED: "notify_released",
}


def status_notice(old_status, new_status, late_notice_blocks=True):
    """The notice a change of the contract's status from `old_status` to
    `new_status` sends, or None (no real change, or no notice for it)."""
    if old_status == new_status:
        return None
    if new_status == rules.LATE_NOTICE:
        return LATE_NOTICE
    if new_status == rules.REDUCED:
        return REDUCED
    if new_status == rules.BLOCKED:
        return BLOCKED
    if new_status == rules.ACTIVE and rules.desired_access(
            old_status, late_notice_blocks) != rules.ACCESS_ALLOWED:
        return RELEASED  # the TV comes back (after a block, a reduction, a request...)
    return None


def escalation_date(oldest_due, threshold_days):
    """The day the next step of the ladder comes: it comes once the oldest
    overdue invoice is more than `threshold_days` past its due date."""
    if oldest_due is None or threshold_days is None:
        return None
    return oldest_due + timedelta(days=threshold_days + 1)


# A mail failure worth retrying: the server could not be reached or dropped
# the connection, or answered a temporary (4xx) SMTP code. Odoo 11 stores the
# reason as text: the exception's class name and text, e.g.
#   "[Errno 111] Connection refused"
#   "Mail delivery failed via SMTP server 'None'.\nSMTPRecipientsRefused:
#    {'ana@example.com': (451, b'4.3.0 Try again later')}"
_TEMPORARY_CODE = re.compile(r"\(4\d\d,")
_PERMANENT_CODE = re.compile(r"\(5\d\d,")
_CONNECTION = re.compile(
    r"Errno|Connection (refused|reset|unexpectedly closed|timed out)|timed out|"
    r"SMTPServerDisconnected|SMTPConnectError|ConnectionError|Network is unreachable|"
    r"Temporary failure in name resolution", re.IGNORECASE)


def is_temporary_failure(reason):
    """True for a failure reason the mail queue should retry."""
    reason = reason or ""
    if _PERMANENT_CODE.search(reason):
        return False
    return bool(_TEMPORARY_CODE.search(reason) or _CONNECTION.search(reason))


class NoticeBatch(dict):
    """{(notice kind, status): [contract ids]} collected while a run changes
    many contracts one at a time (the daily policy), passed to each status
    change and queued once at the run's end. A change rolled back after it
    was collected is skipped by the notice job (the contract is no longer
    in that status)."""


# the template of each notice kind
NOTICE_TEMPLATES = {
    WELCOME: "oletv_integration.mail_template_tv_welcome",
    ACCESS_INSTRUCTIONS: "oletv_integration.mail_template_tv_access_instructions",
    LATE_NOTICE: "oletv_integration.mail_template_tv_late_notice",
    REDUCED: "oletv_integration.mail_template_tv_reduced",
    BLOCKED: "oletv_integration.mail_template_tv_blocked",
    RELEASED: "oletv_integration.mail_template_tv_released",
    REQUEST: "oletv_integration.mail_template_tv_request",
}
