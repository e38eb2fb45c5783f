"""What the customer portal says about a TV user (oletv_integration/
portal_status.py, no Odoo import), with plain pytest."""

import pytest

from pure_addon import load

portal = load("portal_status")

CASES = [
    # contract status, its TV access, block reason, platform state -> status
    ("active", "allowed", False, "draft", portal.SETTING_UP),
    ("active", "allowed", False, "awaiting_activation", portal.AWAITING_FIRST_ACCESS),
    ("active", "allowed", False, "active", portal.ACTIVE),
    ("active", "allowed", False, "blocked", portal.ACTIVE),  # the release is on its way
    ("active", "allowed", False, "deleted", portal.UNAVAILABLE),
    ("awaiting_signature", "allowed", False, "active", portal.ACTIVE),
    ("late_notice", "allowed", "automatic", "active", portal.LATE_NOTICE),
    ("late_notice", "blocked", "automatic", "active", portal.SUSPENDED_PAYMENT),
    ("late_notice", "blocked", False, "blocked", portal.SUSPENDED_PAYMENT),
    ("late_notice", "reduced", "automatic", "active", portal.REDUCED),
    ("reduced", "reduced", "automatic", "active", portal.REDUCED),
    ("blocked", "blocked", "automatic", "blocked", portal.SUSPENDED_PAYMENT),
    ("blocked", "blocked", "manual", "blocked", portal.BLOCKED_ISP),
    ("blocked", "blocked", False, "blocked", portal.BLOCKED_ISP),
    ("suspended", "blocked", False, "blocked", portal.SUSPENDED_REQUEST),
    ("deactivated", "blocked", False, "blocked", portal.CANCELLED),
    # the contract's status wins over a first access not made yet
    ("blocked", "blocked", "automatic", "awaiting_activation", portal.SUSPENDED_PAYMENT),
    ("suspended", "blocked", False, "awaiting_activation", portal.SUSPENDED_REQUEST),
]


@pytest.mark.parametrize("contract_status, access, reason, platform_state, expected", CASES)
def test_status_in_plain_words(contract_status, access, reason, platform_state, expected):
    assert portal.tv_status(contract_status, access, reason, platform_state) == expected


def test_every_status_has_a_label_class():
    statuses = {case[-1] for case in CASES}
    assert statuses == set(portal.LABEL_CLASSES)


def test_instructions_only_before_the_first_access():
    assert portal.shows_instructions(portal.AWAITING_FIRST_ACCESS)
    assert portal.shows_instructions(portal.SETTING_UP)
    assert not portal.shows_instructions(portal.ACTIVE)
    assert not portal.shows_instructions(portal.SUSPENDED_PAYMENT)


def test_reduced_access_keeps_only_the_main_package():
    assert not portal.additional_packages_available(portal.REDUCED)
    assert portal.additional_packages_available(portal.ACTIVE)
    assert portal.additional_packages_available(portal.SUSPENDED_PAYMENT)
