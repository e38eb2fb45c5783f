"""oletv_integration/core/customer_requests.py (no Odoo import): the rules of a
suspension on request, the share of an invoicing period it covers, the day
a plan change from the next period takes effect."""
from datetime import date, timedelta

import pytest

from pure_addon import load

cr = load("customer_requests")

TODAY = date(2026, 3, 10)


def d(offset):
    return TODAY + timedelta(days=offset)


def check(date_from, date_to, max_days=120, others=()):
    rule = cr.FORMER_SUSPENSION._replace(max_days=max_days)
    return cr.check_suspension(date_from, date_to, TODAY, rule, list(others))


def anatel(date_from, date_to, others=(), overdue=False):
    return cr.check_suspension(date_from, date_to, TODAY, cr.ANATEL_SUSPENSION, list(others),
                               overdue=overdue)


def test_a_suspension_within_the_limit_is_allowed():
    assert check(d(0), d(29)) == (None, {})
    assert check(d(1), d(120)) == (None, {}), "exactly 120 days"


@pytest.mark.parametrize("date_from, date_to, max_days, code", [
    (d(0), d(10), 0, cr.DISABLED),
    (d(5), d(4), 120, cr.END_BEFORE_START),
    (d(-1), d(10), 120, cr.IN_THE_PAST),
    (d(0), d(120), 120, cr.OVER_LIMIT),
])
def test_refusals(date_from, date_to, max_days, code):
    assert check(date_from, date_to, max_days)[0] == code


def test_overlap_names_the_other_suspension():
    code, details = check(d(10), d(20), others=[(d(20), d(30))])
    assert code == cr.OVERLAP
    assert details == {"date_from": d(20), "date_to": d(30)}
    assert check(d(10), d(19), others=[(d(20), d(30))]) == (None, {}), "adjacent is fine"


def test_days_taken_in_the_twelve_months_before_count():
    taken = [(d(-200), d(-111))]  # 90 days, 111 days ago
    code, details = check(d(0), d(30), others=taken)
    assert code == cr.OVER_LIMIT
    assert details == {"max_days": 120, "taken": 90, "left": 30, "days": 31}
    assert check(d(0), d(29), others=taken) == (None, {})


def test_days_older_than_twelve_months_do_not_count():
    old = [(d(-500), d(-381))]  # 120 days, ended more than a year before
    assert check(d(0), d(119), others=old) == (None, {})


def test_only_the_part_inside_the_window_counts():
    # 109 days ending at d(-295): a window of 365 days that meets the new
    # period holds at most 71 days of the two together (e.g. the one ending
    # at d(60) starts at d(-304): 10 taken days plus the 61 new ones)
    taken = [(d(-403), d(-295))]
    assert cr.days_of(*taken[0]) == 109
    assert check(d(0), d(60), max_days=71, others=taken) == (None, {})
    assert check(d(0), d(60), max_days=70, others=taken)[0] == cr.OVER_LIMIT


def test_a_later_scheduled_suspension_counts_for_windows_after_the_new_one():
    later = [(d(200), d(289))]  # 90 days, scheduled
    assert check(d(0), d(30), others=later)[0] == cr.OVER_LIMIT
    assert check(d(0), d(29), others=later) == (None, {})


def test_suspended_share_of_a_period():
    period = (date(2026, 4, 1), date(2026, 4, 30))
    assert cr.suspended_share(period, [(date(2026, 3, 20), date(2026, 4, 10))]) == (10, 30)
    assert cr.suspended_share(period, [(date(2026, 3, 1), date(2026, 6, 1))]) == (30, 30)
    assert cr.suspended_share(period, []) == (0, 30)


@pytest.mark.parametrize("discount, suspended, total, expected", [
    (0, 0, 30, 0),
    (0, 15, 30, 50.0),
    (0, 30, 30, 100.0),
    (10, 15, 30, 55.0),
])
def test_discount_with_suspension(discount, suspended, total, expected):
    assert cr.discount_with_suspension(discount, suspended, total) == expected


def test_plan_change_date_is_the_first_day_of_the_next_period():
    assert cr.plan_change_date(date(2026, 4, 1), "pre-paid") == date(2026, 4, 1)
    assert cr.plan_change_date(date(2026, 4, 30), "post-paid") == date(2026, 5, 1)


def test_the_anatel_preset_allows_30_to_120_days():
    assert anatel(d(0), d(29)) == (None, {}), "30 days"
    assert anatel(d(1), d(120)) == (None, {}), "120 days"
    assert anatel(d(0), d(28)) == (cr.TOO_SHORT, {"min_days": 30, "days": 29})
    assert anatel(d(0), d(120))[0] == cr.OVER_LIMIT


def test_the_anatel_preset_allows_one_suspension_in_12_months():
    taken = [(d(-300), d(-271))]  # 30 days, started 300 days ago
    assert anatel(d(0), d(29), others=taken) == (
        cr.TOO_MANY, {"max_count": 1, "date_from": d(-300), "date_to": d(-271)})
    assert anatel(d(65), d(94), others=taken) == (None, {}), "365 days after the other's start"
    scheduled = [(d(200), d(229))]
    assert anatel(d(0), d(29), others=scheduled)[0] == cr.TOO_MANY, "one already ahead"


def test_the_anatel_preset_wants_the_customer_up_to_date():
    assert anatel(d(0), d(29), overdue=True) == (cr.NOT_UP_TO_DATE, {})
    assert check(d(0), d(29)) == (None, {}), "the former rule does not ask"
    assert cr.check_suspension(d(0), d(29), TODAY, cr.FORMER_SUSPENSION, [], overdue=True) == (
        None, {})


def test_days_within_counts_each_day_once():
    period = (d(0), d(29))
    assert cr.days_within(period, []) == 0
    assert cr.days_within(period, [(d(-5), d(4))]) == 5, "clipped to the period"
    assert cr.days_within(period, [(d(2), d(6)), (d(5), d(9)), (d(20), d(40))]) == 18
    assert cr.days_within(period, [(d(3), d(3)), (d(3), d(3))]) == 1


def test_share_discount_charges_the_share_on_top_of_the_discount():
    assert cr.share_discount(0, 10, 30) == pytest.approx(66.6667)
    assert cr.share_discount(10, 15, 30) == pytest.approx(55.0)
    assert cr.share_discount(10, 30, 30) == 10, "all days charged: unchanged"
    assert cr.discount_with_suspension(0, 10, 30) == pytest.approx(33.3333)


# -- the customer's own requests on the portal ----------------------------------------


def test_days_left_are_the_wizards_figures():
    assert cr.suspension_days_left(120, [], d(0)) == (0, 120)
    taken = [(d(-100), d(-71))]  # 30 days, within 12 months of today
    assert cr.suspension_days_left(120, taken, d(0)) == (30, 90)
    assert cr.suspension_days_left(20, taken, d(0)) == (30, 0), "never negative"
    assert cr.suspension_days_left(120, [(d(-400), d(-371))], d(0)) == (0, 120)


@pytest.mark.parametrize("token, valid", [
    ("0123456789abcdef0123456789abcdef", True),
    ("0123456789ABCDEF0123456789ABCDEF", False),
    ("0123456789abcdef", False),
    ("", False),
    (None, False),
    ("0123456789abcdef0123456789abcdeg", False),
])
def test_portal_token(token, valid):
    assert cr.portal_token_valid(token) is valid


def test_rate_limit():
    assert not cr.over_rate_limit(9, 10)
    assert cr.over_rate_limit(10, 10)
    assert cr.over_rate_limit(0, 0), "0 per hour: the portal takes no request"


def test_portal_trust_release_once_per_debt():
    due = d(-20)
    assert cr.check_portal_trust_release(True, True, due, []) is None
    assert cr.check_portal_trust_release(True, True, due, [d(-60)]) is None, \
        "a trust release of an earlier, paid debt does not count"
    assert cr.check_portal_trust_release(True, True, due, [d(-5)]) == cr.TRUST_ALREADY_USED
    assert cr.check_portal_trust_release(True, True, due, [due]) == cr.TRUST_ALREADY_USED
    assert cr.check_portal_trust_release(False, True, due, []) == cr.TRUST_NOT_OFFERED
    assert cr.check_portal_trust_release(True, False, due, []) == cr.TRUST_NOT_DELINQUENT
    assert cr.check_portal_trust_release(True, True, None, []) == cr.TRUST_NOT_DELINQUENT


def test_a_customer_adds_addons_on_the_portal_only_when_up_to_date():
    rules = load("access_rules")
    assert cr.portal_may_add_addons(rules.ACTIVE)
    for status in (rules.LATE_NOTICE, rules.REDUCED, rules.BLOCKED, rules.SUSPENDED,
                   rules.DEACTIVATED, rules.AWAITING_SIGNATURE):
        assert not cr.portal_may_add_addons(status), status
