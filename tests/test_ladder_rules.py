"""Anatel's ladder (oletv_integration/core/delinquency_rules.py), with plain
pytest: docs/operate.md, "Delinquency control"; docs/configure.md, "Which rules
this follows"."""
from datetime import date

import pytest

from pure_addon import load

ladder = load("delinquency_rules")
rules = load("access_rules")

Ladder = ladder.Ladder
ANATEL = ladder.ANATEL_LADDER
DUE = date(2026, 3, 1)


def test_the_anatel_preset_notices_at_5_blocks_15_days_later_and_terminates_60_after():
    assert ANATEL == Ladder(5, False, 0, 20, 80)
    assert ladder.check_anatel_ladder(ANATEL) is None


def test_the_former_ladder_is_the_addons_defaults_up_to_11_0_1_8_0():
    assert ladder.FORMER_LADDER == Ladder(5, True, 20, 50, 80)
    assert ladder.check_ladder(5, 20, 50, 80) is None


@pytest.mark.parametrize("changes, refused", [
    ({"late_notice_blocks_tv": True}, "anatel_notice_blocks"),
    ({"reduce_days": 10}, "anatel_reduced"),
    ({"block_days": 19}, "anatel_block_early"),
    ({"late_notice_days": 6}, "anatel_block_early"),
    ({"termination_days": 79}, "anatel_termination_early"),
    ({"block_days": 30}, "anatel_termination_early"),
])
def test_anatel_refuses_what_the_regulation_forbids(changes, refused):
    assert ladder.check_anatel_ladder(ANATEL._replace(**changes)) == refused


@pytest.mark.parametrize("changes", [
    {"block_days": 30, "termination_days": 90},  # later than the minimums
    {"late_notice_days": 0, "block_days": 15, "termination_days": 75},
    {"termination_days": 0},  # never proposed
    {"late_notice_days": 10, "block_days": 40, "termination_days": 0},
])
def test_anatel_allows_later_steps_the_regulation_sets_minimums(changes):
    assert ladder.check_anatel_ladder(ANATEL._replace(**changes)) is None


@pytest.mark.parametrize("step, status, notified_on, today, expected", [
    # an active contract past the block's days: the late notice first
    ("blocked", "active", None, date(2026, 4, 1), "late_notice"),
    # notified 14 days ago: it waits; 15 days: blocked
    ("blocked", "late_notice", date(2026, 3, 6), date(2026, 3, 20), None),
    ("blocked", "late_notice", date(2026, 3, 6), date(2026, 3, 21), "blocked"),
    # a trust release ended: notified long ago of the same debt, blocked at once
    ("blocked", "active", date(2026, 3, 6), date(2026, 4, 1), "blocked"),
    # the late notice itself, and no step, pass as they are
    ("late_notice", "active", None, date(2026, 3, 6), "late_notice"),
    (None, "late_notice", None, date(2026, 3, 6), None),
])
def test_no_suspension_before_15_days_after_the_notice(step, status, notified_on, today,
                                                       expected):
    assert ladder.after_notice(step, status, notified_on, today, 15) == expected


def test_the_notice_of_the_current_debt_counts():
    entered = [date(2025, 1, 10), date(2026, 3, 6), date(2026, 2, 1)]
    assert ladder.began_on(entered, DUE, None) == date(2026, 3, 6)
    # a notice of an earlier debt is no notice of this one
    assert ladder.began_on([date(2026, 2, 1)], DUE, None) is None
    assert ladder.began_on([], DUE, date(2026, 3, 7)) == date(2026, 3, 7)


def test_the_notice_dates_follow_the_ladder():
    # notified on the first day past N1 (6 days overdue): 15 days later
    assert ladder.ladder_dates(ANATEL, DUE, notified_on=date(2026, 3, 7)) == {
        "reduced": None, "blocked": date(2026, 3, 22), "termination": date(2026, 5, 21)}
    # notified late (a trust release, a policy set later): the block waits
    assert ladder.ladder_dates(ANATEL, DUE, notified_on=date(2026, 4, 10)) == {
        "reduced": None, "blocked": date(2026, 4, 25), "termination": date(2026, 6, 24)}
    assert ladder.ladder_dates(ladder.FORMER_LADDER, DUE) == {
        "reduced": date(2026, 3, 22), "blocked": date(2026, 4, 21),
        "termination": date(2026, 5, 21)}
    assert ladder.ladder_dates(Ladder(5, True, 0, 5, 0), DUE) == {
        "reduced": None, "blocked": date(2026, 3, 7), "termination": None}
