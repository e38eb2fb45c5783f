"""oletv_integration/core/access_rules.py (no Odoo import): docs/operate.md's table of
contract statuses and TV access, the operator's transitions, and the platform
call that brings a subscriber to the wanted access."""
import pytest

from pure_addon import load

rules = load("access_rules")

# docs/operate.md, "Contract status and TV access".
README_TABLE = {
    "awaiting_signature": "allowed",
    "active": "allowed",
    "late_notice": "blocked",
    "reduced": "reduced",
    "blocked": "blocked",
    "suspended": "blocked",
    "deactivated": "blocked",
}


@pytest.mark.parametrize("status, access", sorted(README_TABLE.items()))
def test_desired_access_follows_the_readme_table(status, access):
    assert rules.desired_access(status) == access


def test_blocking_statuses_are_exactly_the_blocked_rows():
    assert rules.BLOCKING_STATUSES == {s for s, a in README_TABLE.items() if a == "blocked"}


@pytest.mark.parametrize("from_status, to_status, allowed", [
    ("awaiting_signature", "active", True),
    ("active", "awaiting_signature", True),
    ("active", "late_notice", True),
    ("late_notice", "blocked", True),
    ("blocked", "active", True),
    ("deactivated", "active", True),
    ("awaiting_signature", "blocked", False),
    ("blocked", "late_notice", False),
    ("deactivated", "blocked", False),
    ("active", "active", False),
    ("unknown", "active", False),
])
def test_transitions(from_status, to_status, allowed):
    assert rules.can_transition(from_status, to_status) is allowed


@pytest.mark.parametrize("wanted, platform_status, action", [
    ("blocked", "active", "block"),
    ("allowed", "blocked", "release"),
    ("allowed", "active", None),
    ("blocked", "blocked", None),
    # awaiting the first access: the platform refuses both; the wish is kept
    ("blocked", "awaiting_activation", None),
    ("allowed", "awaiting_activation", None),
])
def test_platform_action(wanted, platform_status, action):
    assert rules.platform_action(wanted, platform_status) == action


def test_online_only_when_active_on_the_platform():
    assert rules.is_online("active")
    assert not any(rules.is_online(s) for s in ("awaiting_activation", "blocked", None))


# The form's status buttons before they were derived from TRANSITIONS
# (views/contract_views.xml of 11.0.1.5.0): the derivation must show the same.
BUTTONS_SHOWN = {
    "awaiting_signature": {"activate", "deactivate"},
    "active": {"late_notice", "block", "awaiting_signature", "deactivate"},
    "late_notice": {"release", "block", "deactivate"},
    "reduced": {"release", "block", "deactivate"},
    "blocked": {"release", "deactivate"},
    "suspended": {"deactivate"},
    "deactivated": {"activate"},
}


@pytest.mark.parametrize("status", sorted(BUTTONS_SHOWN))
def test_operator_buttons_follow_the_transitions(status):
    assert rules.operator_actions(status) == BUTTONS_SHOWN[status]
    assert rules.operator_actions(status) <= set(rules.OPERATOR_ACTIONS)


def test_releasable_statuses_can_be_released():
    for status in rules.RELEASABLE_STATUSES:
        assert rules.can_transition(status, rules.ACTIVE)
        assert "release" in rules.operator_actions(status)
