"""The suspension ladder's decisions (oletv_integration/core/delinquency_rules.py)
and the reduced access's packages (access_rules.desired_packages), with
plain pytest: docs/operate.md, "Delinquency control"."""

import pytest

from pure_addon import load

ladder = load("delinquency_rules")
rules = load("access_rules")

# The policy's defaults: N1 = 5, N2 = 20 (15 after the notice), N3 = 50 (30
# after the reduction), N4 = 80.
N1, N2, N3, N4 = 5, 20, 50, 80


@pytest.mark.parametrize("days, status", [
    (0, "active"), (5, "active"), (6, "late_notice"), (20, "late_notice"), (21, "reduced"),
    (50, "reduced"), (51, "blocked"), (400, "blocked"),
])
def test_target_climbs_the_ladder_after_each_threshold(days, status):
    assert ladder.delinquency_target(days, N1, N3, N2) == status


@pytest.mark.parametrize("days, status", [(5, "active"), (6, "late_notice"), (50, "late_notice"),
                                          (51, "blocked")])
def test_without_a_reduced_step_the_ladder_has_two_steps(days, status):
    assert ladder.delinquency_target(days, N1, N3) == status
    assert ladder.delinquency_target(days, N1, N3, 0) == status


def test_block_days_equal_to_the_notice_block_at_once():
    assert ladder.delinquency_target(6, 5, 5, 5) == "blocked"


@pytest.mark.parametrize("days, expected", [
    (0, ("late_notice", 5)), (5, ("late_notice", 5)), (6, ("reduced", 20)), (20, ("reduced", 20)),
    (21, ("blocked", 50)), (50, ("blocked", 50)), (51, (None, None)),
])
def test_next_escalation_names_the_next_step_and_its_threshold(days, expected):
    assert ladder.next_escalation(days, N1, N3, N2) == expected


def test_next_escalation_without_a_reduced_step_and_on_a_tie():
    assert ladder.next_escalation(6, N1, N3) == ("blocked", 50)
    assert ladder.next_escalation(0, 5, 5) == ("blocked", 5)  # the most severe on a tie
    assert ladder.next_escalation(6, 5, 20, 20) == ("blocked", 20)


@pytest.mark.parametrize("status, target, moved_to", [
    ("active", "late_notice", "late_notice"),
    ("active", "reduced", "reduced"),
    ("active", "blocked", "blocked"),
    ("late_notice", "reduced", "reduced"),
    ("late_notice", "blocked", "blocked"),
    ("reduced", "blocked", "blocked"),
    ("reduced", "late_notice", None),       # only upwards
    ("blocked", "reduced", None),
    ("blocked", "blocked", None),
    ("late_notice", "active", None),        # coming down is the release's business
    ("suspended", "blocked", None),         # suspended on request: never moved
    ("awaiting_signature", "blocked", None),
    ("deactivated", "blocked", None),
])
def test_escalation_only_climbs_from_ladder_statuses(status, target, moved_to):
    assert ladder.escalation(status, target) == moved_to


@pytest.mark.parametrize("days, termination_days, proposed", [
    (80, 80, False), (81, 80, True), (500, 0, False),
])
def test_termination_is_proposed_after_n4_unless_switched_off(days, termination_days, proposed):
    assert ladder.proposes_termination(days, termination_days) is proposed


@pytest.mark.parametrize("n1, n2, n3, n4, refused", [
    (5, 20, 50, 80, None),
    (5, 0, 50, 0, None),
    (5, 5, 5, 5, None),
    (-1, 20, 50, 80, "negative"),
    (5, 20, 50, -80, "negative"),
    (10, 0, 5, 0, "block_before_notice"),
    (5, 60, 50, 80, "reduce_outside"),     # N3 < N2
    (5, 3, 50, 80, "reduce_outside"),      # N2 < N1
    (5, 20, 50, 40, "termination_before_block"),
])
def test_check_ladder_refuses_steps_out_of_order(n1, n2, n3, n4, refused):
    assert ladder.check_ladder(n1, n2, n3, n4) == refused


@pytest.mark.parametrize("access, expected", [
    ("allowed", ("FAMILY", ("HBO", "EXTRA_POINT"))),
    ("blocked", ("FAMILY", ("HBO", "EXTRA_POINT"))),
    ("reduced", ("FAMILY", ("EXTRA_POINT",))),
])
def test_reduced_access_keeps_the_main_package_and_the_extra_point(access, expected):
    assert rules.desired_packages(access, "FAMILY", ["HBO", "EXTRA_POINT"],
                                  kept=("EXTRA_POINT",)) == expected
    assert rules.desired_packages("reduced", "BASIC", ["HBO"]) == ("BASIC", ())


def test_late_notice_access_follows_the_policy():
    assert rules.desired_access("late_notice") == "blocked"
    assert rules.desired_access("late_notice", late_notice_blocks=False) == "allowed"
    assert rules.desired_access("reduced", late_notice_blocks=False) == "reduced"
    assert rules.desired_access("blocked", late_notice_blocks=False) == "blocked"


@pytest.mark.parametrize("status, reason, by_payment, by_the_run", [
    ("late_notice", "automatic", True, True),
    ("late_notice", False, True, False),  # the operator's notice: a payment lifts it
    ("reduced", "automatic", True, True),
    ("blocked", "automatic", True, True),
    ("blocked", "manual", False, False),  # the operator's block stays
    ("suspended", False, False, False),
    ("active", False, False, False),
])
def test_what_a_payment_and_the_run_lift(status, reason, by_payment, by_the_run):
    assert ladder.lifted_by_payment(status, reason) is by_payment
    assert ladder.lifted_by_the_run(status, reason) is by_the_run
