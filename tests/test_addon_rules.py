"""oletv_integration/core/addon_rules.py and the add-ons' packages in
access_rules.desired_packages (no Odoo import): which add-ons a plan takes,
what a plan change keeps, and an add-on's pro rata, figures by hand."""
from datetime import date

import pytest

from pure_addon import load

addons = load("addon_rules")
rules = load("access_rules")

MARCH = (date(2027, 3, 1), date(2027, 3, 31))  # 31 days


def test_a_plan_without_a_list_accepts_any_addon():
    assert addons.accepts([], 7)
    assert addons.accepts([7, 8], 7)
    assert not addons.accepts([8], 7)


def test_a_plan_change_keeps_what_the_new_plan_accepts_in_order():
    assert addons.kept_and_dropped([3, 1, 2], [2, 3]) == ([3, 2], [1])
    assert addons.kept_and_dropped([3, 1], []) == ([3, 1], [])


@pytest.mark.parametrize("access, expected", [
    ("allowed", ("BASIC", ("EXTRA_POINT", "TELECINE", "SPORTS"))),
    ("blocked", ("BASIC", ("EXTRA_POINT", "TELECINE", "SPORTS"))),
    ("reduced", ("BASIC", ("EXTRA_POINT",))),  # the add-ons go, the box keeps its point
])
def test_the_addons_follow_the_plan_and_go_under_reduced_access(access, expected):
    assert rules.desired_packages(access, "BASIC", ["EXTRA_POINT"], ["EXTRA_POINT"],
                                  ["TELECINE", "SPORTS", "TELECINE", "EXTRA_POINT"]) == expected


def test_an_addon_added_mid_period_charges_its_days_only():
    # 30.00 a month, added on March 11: 21 of 31 days, 30 x 21 / 31 = 20.32
    assert addons.first_charge(30.0, MARCH, date(2027, 3, 11)) == (21, 31, 20.32)
    assert addons.first_charge(30.0, MARCH, date(2027, 2, 11)) == (31, 31, 30.0)
    assert addons.first_charge(30.0, MARCH, date(2027, 4, 1)) == (0, 31, 0.0)


def test_a_removal_credits_the_days_after_its_last_day():
    # removed on March 21 (last day charged March 20): 11 of 31 days, 30 x 11 / 31 = 10.65
    last = addons.removal_last_day(date(2027, 3, 21))
    assert last == date(2027, 3, 20)
    assert addons.removal_credit(30.0, MARCH, last) == (11, 31, 10.65)
    assert addons.window(MARCH, date(2027, 3, 11), last) == (date(2027, 3, 11), last)
    assert addons.window(MARCH, date(2027, 3, 21), last) is None
