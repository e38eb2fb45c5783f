"""oletv_integration/core/platform_leaks.py (no Odoo import): what a
platform leak costs, and how many days of a month a contract's status gave
no TV access."""
from datetime import date

from pure_addon import load

pl = load("platform_leaks")

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
PRICES = {"BASIC": 20.0, "FAMILY": 30.0, "HBO": 10.0, "NOPRICE": None}


def gives_access(status):
    return status not in ("blocked", "suspended", "deactivated")


def test_cost_is_billable_days_times_the_prices_over_the_months_days():
    assert pl.cost(25, ["BASIC"], PRICES, 30) == 16.67
    assert pl.cost(15, ["FAMILY", "HBO"], PRICES, 30) == 20.0
    assert pl.cost(30, ["NOPRICE", "UNKNOWN"], PRICES, 30) == 0.0
    assert pl.cost(0, ["BASIC"], PRICES, 30) == 0.0


def test_blocked_days_from_the_status_history():
    # no change: the status now, all month
    assert pl.blocked_days([], FIRST, LAST, "blocked", gives_access) == 30
    assert pl.blocked_days([], FIRST, LAST, "active", gives_access) == 0
    # blocked before the month
    assert pl.blocked_days([(date(2026, 10, 20), "active", "blocked")], FIRST, LAST, "blocked",
                           gives_access) == 30
    # blocked on the 11th, released on the 21st: 10 days
    changes = [(date(2026, 11, 11), "active", "blocked"),
               (date(2026, 11, 21), "blocked", "active")]
    assert pl.blocked_days(changes, FIRST, LAST, "active", gives_access) == 10
    # suspended on the 26th: the 26th to the 30th
    assert pl.blocked_days([(date(2026, 11, 26), "active", "suspended")], FIRST, LAST,
                           "suspended", gives_access) == 5
    # blocked in December: active all November (its status until then)
    assert pl.blocked_days([(date(2026, 12, 3), "active", "blocked")], FIRST, LAST, "blocked",
                           gives_access) == 0


def test_extra_and_missing_packages():
    assert pl.extra_and_missing(["FAMILY", "HBO"], ["BASIC"]) == (["FAMILY", "HBO"], ["BASIC"])
    assert pl.extra_and_missing(["BASIC"], ["BASIC", "HBO"]) == ([], ["HBO"])
    assert pl.extra_and_missing(["BASIC"], ["BASIC"]) == ([], [])
