"""What the platform bills: the addon's definition (core/platform_billing.py)
and the sandbox's mirror agree, and the sandbox's per-day record, listing
and statement follow it."""
from datetime import date

import pytest
import requests

from oletv_client import OleTVClient
from oletv_sandbox import billing as sandbox_billing
from pure_addon import load

core = load("platform_billing")


def test_the_sandbox_mirrors_the_addons_definition():
    assert sandbox_billing.BILLABLE_STATUSES == core.BILLABLE_STATUSES
    assert sandbox_billing.RULES == core.RULES
    for rule in core.RULES:
        for days, subscribers, month in ((0, 0, 30), (1, 1, 30), (45, 2, 30), (5, 1, 31),
                                         (25, 1, 28), (1, 1, 200), (3, 1, 200)):
            assert sandbox_billing.quantity(rule, days, subscribers, month) == core.quantity(
                rule, days, subscribers, month)
    assert sandbox_billing.package_codes("BASIC", ["HBO", "EXTRA_POINT", "EXTRA_POINT"]) \
        == core.package_codes("BASIC", ["HBO", "EXTRA_POINT", "EXTRA_POINT"])


@pytest.mark.parametrize("days, month, expected", [
    (1, 200, 0.01),   # 0.005 rounds half up (a float's round() gives 0.0)
    (3, 200, 0.02),   # 0.015 too
    (10, 30, 0.33), (20, 30, 0.67), (45, 30, 1.5)])
def test_per_day_quantity_rounds_half_up(days, month, expected):
    assert core.quantity(core.RULE_PER_DAY, days, 1, month) == expected


def test_a_blocked_or_waiting_subscriber_is_not_billable():
    assert core.BILLABLE_STATUSES == ("active",)


def client_for(sandbox):
    return OleTVClient(sandbox.url, sandbox.token, sandbox.login, sandbox.password, backoff=0)


def test_the_listing_pages_every_live_subscriber_in_account_order(sandbox):
    accounts = [sandbox.seed_subscriber(login="u%d@example.com" % i, main_package="BASIC",
                                        status="active")["account_number"] for i in range(7)]
    sandbox.delete_from_panel(accounts[3])
    with client_for(sandbox) as client:
        seen, after = [], None
        while True:
            page, after = client.list_subscribers_page(after, limit=2)
            assert len(page) <= 2
            seen += [subscriber.account_number for subscriber in page]
            if after is None:
                break
        assert seen == accounts[:3] + accounts[4:]
        # the existing queries are unchanged
        assert client.find_subscriber_by_login("u1@example.com").account_number == accounts[1]
        assert client.get_subscribers(accounts[:2]).missing == ()
    assert sandbox.stats()["requests"]["list_subscribers_page"] == 3  # 6 live, 2 a page


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=x",
                                   "limit=5&login=a@example.com", "after=OLE-1&accounts=OLE-1"])
def test_the_listings_query_is_checked(sandbox, query):
    response = requests.get(sandbox.url + "/v1/subscribers?" + query,
                            auth=(sandbox.login, sandbox.password),
                            headers={"X-Access-Token": sandbox.token})
    assert response.status_code == 422


@pytest.mark.openapi_invalid_requests
def test_the_clock_is_set_read_and_reset(sandbox):
    assert sandbox.set_clock(date(2026, 2, 28)) == {"date": "2026-02-28", "set": True}
    assert sandbox.admin("GET", "/clock")["date"] == "2026-02-28"
    with pytest.raises(Exception):
        sandbox.set_clock("2026-02-30")
    sandbox.reset()
    assert sandbox.admin("GET", "/clock")["set"] is False


def test_the_statement_counts_each_day_by_the_days_last_state(sandbox):
    """November 2026 (30 days): ana active all month with BASIC; bia active
    from the 11th (a first access), HBO added on the 21st; caio blocked on
    the 6th, released and blocked again the same day on the 16th (the
    day's last state counts), deleted on the 26th; dora never accessed."""
    sandbox.set_clock("2026-10-20")
    seed = sandbox.seed_subscriber
    ana = seed(login="ana@example.com", main_package="BASIC", status="active")["account_number"]
    caio = seed(login="caio@example.com", main_package="FAMILY",
                status="active")["account_number"]
    sandbox.set_clock("2026-11-03")
    bia = seed(login="bia@example.com", main_package="BASIC")["account_number"]
    seed(login="dora@example.com", main_package="BASIC")
    with client_for(sandbox) as client:
        sandbox.set_clock("2026-11-06")
        client.block_subscriber(caio)
        sandbox.set_clock("2026-11-11")
        sandbox.first_access(bia)
        sandbox.set_clock("2026-11-16")
        client.release_subscriber(caio)
        client.block_subscriber(caio)
        sandbox.set_clock("2026-11-21")
        client.change_packages(bia, "BASIC", ["HBO"])
        client.release_subscriber(caio)
        sandbox.set_clock("2026-11-26")
        sandbox.delete_from_panel(caio)
        sandbox.set_clock("2026-12-02")
        client.block_subscriber(ana)  # after the month: not in it
        per_day = client.billing_statement("2026-11", "per_day")
        any_day = client.billing_statement("2026-11", "any_day")
    # ana 30 + bia 11th..30th 20; caio FAMILY 1st..5th and 21st..25th
    assert per_day == {"BASIC": {"subscriber_days": 50, "subscribers": 2, "quantity": 1.67},
                       "FAMILY": {"subscriber_days": 10, "subscribers": 1, "quantity": 0.33},
                       "HBO": {"subscriber_days": 10, "subscribers": 1, "quantity": 0.33}}
    assert {code: figures["quantity"] for code, figures in any_day.items()} == {
        "BASIC": 2.0, "FAMILY": 1.0, "HBO": 1.0}
