"""What the customer portal says about a TV user (oletv_integration/
portal_status.py, no Odoo import), with plain pytest."""

import ast
import os

import pytest

from pure_addon import CORE, load

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


def _status_words():
    """{word: [constant, ...]} of the status constants the access rules and
    the sync plan define."""
    words = {}
    for name in ("access_rules", "sync_plan"):
        module = load(name)
        for constant, value in vars(module).items():
            if constant.isupper() and isinstance(value, str):
                words.setdefault(value, []).append("%s.%s" % (name, constant))
    return words


def _string_literals(path):
    """(line, text) of the string literals in `path`, docstrings left out."""
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read(), path)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [(node.lineno, node.s) for node in ast.walk(tree)
            if isinstance(node, ast.Str) and id(node) not in docstrings]


def test_no_status_word_of_its_own():
    """The contract's and the platform's states are imported from the core
    modules that define them, never written again here."""
    words = _status_words()
    written = [(line, text, words[text])
               for line, text in _string_literals(os.path.join(CORE, "portal_status.py"))
               if text in words]
    assert not written
