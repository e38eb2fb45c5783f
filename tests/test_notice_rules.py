"""Which customer notice a status change sends, and which mail failures are
retried (oletv_integration/core/notice_rules.py, no Odoo import). The failure
texts are the ones Odoo 11's mail queue stores (seen in the SMTP tests of
oletv_integration/tests/test_notice_delivery.py)."""
from datetime import date

import pytest

from pure_addon import load

notices = load("notice_rules")

CHANGES = [
    # (old, new, late notice blocks the TV, notice)
    ("active", "late_notice", True, "late_notice"),
    ("active", "late_notice", False, "late_notice"),
    ("late_notice", "reduced", False, "reduced"),
    ("active", "blocked", True, "blocked"),
    ("reduced", "blocked", True, "blocked"),
    ("blocked", "active", True, "released"),
    ("reduced", "active", True, "released"),
    ("late_notice", "active", True, "released"),
    ("late_notice", "active", False, None),  # a notice only: the TV was never off
    ("suspended", "active", True, "released"),
    ("deactivated", "active", True, "released"),
    ("awaiting_signature", "active", True, None),
    ("active", "suspended", True, None),  # the customer's own request
    ("active", "deactivated", True, None),
    ("active", "awaiting_signature", True, None),
    ("blocked", "blocked", True, None),
    ("late_notice", "late_notice", True, None),
]


@pytest.mark.parametrize("old, new, blocks, notice", CHANGES)
def test_status_notice(old, new, blocks, notice):
    assert notices.status_notice(old, new, blocks) == notice


def test_every_switchable_notice_has_a_policy_field():
    assert set(notices.SWITCHES) == {"welcome", "late_notice", "reduced", "blocked",
                                     "released"}


def test_escalation_date():
    # 8 days overdue today, reduced once more than 20 days overdue
    assert notices.escalation_date(date(2026, 11, 18), 20) == date(2026, 12, 9)
    assert notices.escalation_date(None, 20) is None
    assert notices.escalation_date(date(2026, 11, 18), None) is None


TEMPORARY = [
    "[Errno 111] Connection refused",
    "Mail delivery failed via SMTP server 'None'.\nSMTPRecipientsRefused: "
    "{'john@example.com': (451, b'4.3.0 Mailbox busy, try again later')}",
    "Mail delivery failed via SMTP server 'None'.\nSMTPServerDisconnected: "
    "Connection unexpectedly closed",
    "Mail delivery failed via SMTP server 'None'.\nSMTPDataError: (421, b'4.7.0 Try later')",
    "timed out",
]
PERMANENT = [
    "Mail delivery failed via SMTP server 'None'.\nSMTPRecipientsRefused: "
    "{'john@example.com': (550, b'5.1.1 No such user')}",
    "Error without exception. Probably due do sending an email without computed recipients.",
    "",
    None,
]


@pytest.mark.parametrize("reason", TEMPORARY)
def test_temporary_failures_are_retried(reason):
    assert notices.is_temporary_failure(reason)


@pytest.mark.parametrize("reason", PERMANENT)
def test_permanent_failures_are_not(reason):
    assert not notices.is_temporary_failure(reason)
