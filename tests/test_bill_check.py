"""oletv_integration/core/bill_check.py (no Odoo import): an invoice line's
amount allocated over its packages, the month's invoiced figures per
package, and the platform's vendor bill set against the counted
subscribers and the platform prices."""
from datetime import date

import pytest

from pure_addon import load

bc = load("bill_check")

PRICES = {"BASIC": 10.0, "HBO": 5.0, "EXTRA": None}
COUNTS = {"BASIC": {"subscriber_days": 3000, "subscribers": 100, "quantity": 100.0},
          "HBO": {"subscriber_days": 600, "subscribers": 20, "quantity": 20.0}}


def line(line_id, customer, packages, quantity, amount, refund=False):
    return bc.InvoicedLine(line_id, customer, tuple(packages), quantity, amount, refund)


def bill(line_id, package, quantity, amount, description="x"):
    return bc.BillLine(line_id, package, description, quantity, amount)


def by_package(rows):
    return {row.package: row for row in rows if row.package}


def test_a_line_of_priced_packages_is_split_in_proportion_to_their_prices():
    assert bc.allocate(90.0, [10.0, 5.0]) == [60.0, 30.0]


def test_a_line_with_a_package_of_no_price_is_split_in_equal_shares():
    assert bc.allocate(90.0, [10.0, None]) == [45.0, 45.0]
    assert bc.allocate(90.0, [None, None, None]) == [30.0, 30.0, 30.0]


def test_the_shares_add_up_to_the_line_to_the_cent():
    shares = bc.allocate(100.0, [None, None, None])
    assert shares == [33.33, 33.33, 33.34]
    assert round(sum(shares), 2) == 100.0
    assert bc.allocate(-100.0, [1.0, 1.0, 1.0]) == [-33.33, -33.33, -33.34]


def test_no_package_no_share():
    assert bc.allocate(50.0, []) == []


def test_invoiced_per_package_counts_lines_customers_and_subtracts_refunds():
    lines = [line(1, "ana", ["BASIC"], 1, 50.0),
             line(2, "bia", ["BASIC", "HBO"], 2, 150.0),
             line(3, "bia", ["BASIC"], 1, 40.0),
             line(4, "ana", ["BASIC"], -1, -50.0, refund=True)]
    found = bc.invoiced_by_package(lines, PRICES)
    assert found["BASIC"] == bc.Invoiced(lines=3, customers=2, quantity=3.0, revenue=140.0)
    assert found["HBO"] == bc.Invoiced(lines=1, customers=1, quantity=2.0, revenue=50.0)


def test_a_bill_that_says_what_was_counted_matches():
    rows = bc.compare(COUNTS, {}, [bill(1, "BASIC", 100, 1000.0), bill(2, "HBO", 20, 100.0)],
                      PRICES)
    assert [row.status for row in rows] == [bc.MATCH, bc.MATCH]
    assert bc.differences(rows) == []


def test_a_quantity_off_by_three_and_an_unknown_line_are_found_with_their_amounts():
    lines = [bill(1, "BASIC", 103, 1030.0), bill(2, "HBO", 20, 100.0),
             bill(3, None, 1, 25.0, "Taxa de plataforma")]
    rows = bc.compare(COUNTS, {}, lines, PRICES)
    found = by_package(rows)
    assert (found["BASIC"].quantity_diff, found["BASIC"].amount_diff) == (3.0, 30.0)
    assert found["BASIC"].status == bc.DIFFERS
    assert found["HBO"].status == bc.MATCH
    unknown = [row for row in rows if row.package is None]
    assert len(unknown) == 1
    assert (unknown[0].description, unknown[0].amount_diff, unknown[0].status) == (
        "Taxa de plataforma", 25.0, bc.UNKNOWN_LINE)
    assert {row.package for row in bc.differences(rows)} == {"BASIC", None}


def test_a_package_counted_but_absent_from_the_bill_is_a_negative_difference():
    rows = by_package(bc.compare(COUNTS, {}, [bill(1, "BASIC", 100, 1000.0)], PRICES))
    assert rows["HBO"].status == bc.NOT_BILLED
    assert (rows["HBO"].quantity_diff, rows["HBO"].amount_diff) == (-20.0, -100.0)


def test_a_package_billed_but_never_counted_is_flagged():
    rows = by_package(bc.compare({}, {}, [bill(1, "HBO", 2, 10.0)], PRICES))
    assert rows["HBO"].status == bc.NOT_COUNTED
    assert rows["HBO"].quantity_diff == 2.0


def test_an_amount_off_at_the_right_quantity_differs():
    rows = by_package(bc.compare(COUNTS, {}, [bill(1, "BASIC", 100, 1100.0),
                                              bill(2, "HBO", 20, 100.0)], PRICES))
    assert (rows["BASIC"].quantity_diff, rows["BASIC"].amount_diff) == (0.0, 100.0)
    assert rows["BASIC"].status == bc.DIFFERS


def test_the_cost_is_the_bill_amount_when_registered_else_count_times_price():
    invoiced = {"BASIC": bc.Invoiced(90, 90, 90.0, 4500.0)}
    with_bill = by_package(bc.compare(COUNTS, invoiced, [bill(1, "BASIC", 103, 1030.0)],
                                      PRICES))
    assert (with_bill["BASIC"].platform_cost, with_bill["BASIC"].margin) == (1030.0, 3470.0)
    no_bill = by_package(bc.compare(COUNTS, invoiced, [], PRICES))
    assert (no_bill["BASIC"].platform_cost, no_bill["BASIC"].margin) == (1000.0, 3500.0)
    assert no_bill["BASIC"].status == bc.NO_BILL
    assert (no_bill["BASIC"].quantity_diff, no_bill["BASIC"].amount_diff) == (0.0, 0.0)


def test_a_package_invoiced_but_neither_counted_nor_billed_matches_at_zero_cost():
    invoiced = {"EXTRA": bc.Invoiced(1, 1, 1.0, 20.0)}
    rows = by_package(bc.compare({}, invoiced, [bill(1, "BASIC", 0, 0.0)], PRICES))
    assert rows["EXTRA"].status == bc.MATCH
    assert (rows["EXTRA"].platform_cost, rows["EXTRA"].margin) == (0.0, 20.0)


@pytest.mark.parametrize("quantity,subscribers,days", [(100.0, 100, 3000)])
def test_the_counts_are_carried_into_the_row(quantity, subscribers, days):
    row = by_package(bc.compare(COUNTS, {}, [], PRICES))["BASIC"]
    assert (row.counted_quantity, row.subscribers, row.subscriber_days) == (
        quantity, subscribers, days)
    assert row.expected_amount == 1000.0


FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


def test_a_month_starts_with_the_status_of_the_last_change_before_it():
    changes = [(date(2026, 9, 3), "active", "blocked"), (date(2026, 10, 5), "blocked", "active"),
               (date(2026, 10, 20), "active", "blocked"), (date(2026, 11, 2), "blocked", "active")]
    assert bc.month_statuses(changes, FIRST, LAST, "active") == ["blocked", "active", "blocked"]


def test_a_month_before_any_change_has_the_status_the_first_change_left():
    changes = [(date(2026, 10, 5), "awaiting_signature", "active")]
    assert bc.month_statuses(changes, FIRST, LAST, "active") == ["awaiting_signature", "active"]
    later = [(date(2026, 11, 5), "blocked", "active")]
    assert bc.month_statuses(later, FIRST, LAST, "active") == ["blocked"]


def test_a_contract_that_never_changed_has_its_status_now():
    assert bc.month_statuses([], FIRST, LAST, "deactivated") == ["deactivated"]


def test_a_contract_is_live_when_some_status_of_the_month_gives_access():
    gives = {"active"}.__contains__
    assert bc.live_in_month(["blocked", "active"], gives)
    assert not bc.live_in_month(["blocked", "deactivated"], gives)


def test_leaks_invoiced_with_no_live_user_and_live_users_not_invoiced():
    invoiced = {1: [("TV", 50.0)],                   # live, invoiced: no leak
                2: [("TV", 50.0)],                   # invoiced, nobody live: at risk
                3: [("TV", 50.0), ("TV", -50.0)],    # refunded whole: nothing at risk
                4: [("TV", 50.0)]}                   # live with a second product not invoiced
    live = {1: [(11, "TV", 50.0)], 4: [(41, "TV", 50.0), (42, "TV+", 70.0)],
            5: [(51, "TV", 50.0)], 3: [(31, "TV", 50.0)]}
    rows = bc.leaks(invoiced, live)
    assert rows == [
        bc.LeakRow(bc.INVOICED_NOT_LIVE, 2, None, "TV", 50.0),
        bc.LeakRow(bc.LIVE_NOT_INVOICED, 3, 31, "TV", 50.0),
        bc.LeakRow(bc.LIVE_NOT_INVOICED, 4, 42, "TV+", 70.0),
        bc.LeakRow(bc.LIVE_NOT_INVOICED, 5, 51, "TV", 50.0),
    ]
