"""Handlers of the public /v1 API."""
import json

from . import billing
from .http import empty_response, json_response, json_text_response, not_found, read_json
from .rules import ApiError, validate_create, validate_packages, validation_error
from .store import LoginTaken

MAX_BATCH = 200
MAX_PAGE = 500


def create_checked(store, fields, status):
    """Insert a subscriber, translating a login clash into 409 login_taken."""
    try:
        subscriber = store.create_subscriber(fields, status)
    except LoginTaken:
        store.increment("duplicate_logins")
        raise ApiError(409, "login_taken",
                       "The login {} is already used by another subscriber.".format(
                           fields["login"]), {"login": "already in use"})
    store.increment("creates")
    return subscriber


# The query parameters of GET /v1/subscribers (docs/oletv-api.yaml): a
# search (login), a batch read (accounts), or a page of the whole listing.
PAGE_QUERY = frozenset({"after", "limit"})
LIST_QUERY = frozenset({"login", "accounts"}) | PAGE_QUERY
STATEMENT_QUERY = frozenset({"month", "rule"})


def _unknown_query(request, known):
    unknown = sorted(set(request.args) - known)
    if unknown:  # the document's query is closed: an unknown name is an error
        raise validation_error({"query": "unknown parameter(s): {}".format(
            ", ".join(repr(name) for name in unknown))})


def _page_limit(text):
    try:
        limit = int(text)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= MAX_PAGE:
        raise validation_error({"limit": "an integer from 1 to {}".format(MAX_PAGE)})
    return limit


class V1Handlers:
    def __init__(self, store, environment):
        self.store = store
        self.environment = environment

    def _live(self, account_number):
        subscriber = self.store.get_subscriber(account_number)
        if subscriber is None:
            raise not_found("Subscriber", account_number)
        return subscriber

    def check_connection(self, request):
        return json_response({"status": "ok", "client_ip": request.remote_addr,
                              "environment": self.environment})

    def list_packages(self, request):
        return json_response({"packages": self.store.packages()})

    def list_equipment_models(self, request):
        return json_response({"equipment_models": self.store.equipment_models()})

    def list_subscribers(self, request):
        _unknown_query(request, LIST_QUERY)
        if PAGE_QUERY & set(request.args):
            return self._list_page(request)
        login = request.args.get("login")
        accounts = request.args.get("accounts")
        if login is not None:
            return json_response({"subscribers": self.store.find_by_login(login)})
        if accounts is None:
            raise validation_error({"query": "either 'login' or 'accounts' is required"})
        wanted = list(dict.fromkeys(a.strip() for a in accounts.split(",") if a.strip()))
        if len(wanted) > MAX_BATCH:
            raise validation_error({"accounts": "at most {} accounts per request".format(
                MAX_BATCH)})
        found, missing = self.store.get_many_json(wanted)
        return json_text_response('{"subscribers":[%s],"missing":%s}' % (
            ",".join(found), json.dumps(missing, ensure_ascii=False, separators=(",", ":"))))

    def _list_page(self, request):
        """A page of every live subscriber, in account number order."""
        if {"login", "accounts"} & set(request.args):
            raise validation_error({"query": "'after' and 'limit' page the whole listing: "
                                             "not with 'login' or 'accounts'"})
        limit = _page_limit(request.args.get("limit", MAX_PAGE))
        found, following = self.store.page_json(request.args.get("after") or None, limit)
        return json_text_response('{"subscribers":[%s],"next":%s}' % (
            ",".join(found), json.dumps(following, ensure_ascii=False)))

    def billing_statement(self, request):
        """What the platform bills the ISP for a month, per package, from
        the per-day record (store.py), by the rule asked."""
        _unknown_query(request, STATEMENT_QUERY)
        first = billing.parse_month(request.args.get("month"))
        rule = request.args.get("rule")
        details = {}
        if first is None:
            details["month"] = "required, YYYY-MM"
        if rule not in billing.RULES:
            details["rule"] = "one of {}".format(", ".join(billing.RULES))
        if details:
            raise validation_error(details)
        last = billing.month_days(first)[-1]
        return json_response(billing.statement(self.store.day_changes(last), first, rule))

    def create_subscriber(self, request):
        fields = validate_create(read_json(request), self.store.packages(),
                                 {m["code"] for m in self.store.equipment_models()})
        return json_response(create_checked(self.store, fields, "awaiting_activation"),
                             status=201)

    def get_subscriber(self, request, account_number):
        return json_response(self._live(account_number))

    def _set_access(self, account_number, status):
        subscriber = self._live(account_number)
        if subscriber["status"] == "awaiting_activation":
            raise ApiError(409, "awaiting_activation",
                           "Subscriber {} has not accessed the platform yet.".format(
                               account_number))
        if subscriber["status"] == status:
            return json_response(subscriber)
        updated = self.store.update_subscriber(account_number, status=status)
        if updated is None:
            raise not_found("Subscriber", account_number)
        return json_response(updated)

    def block_subscriber(self, request, account_number):
        return self._set_access(account_number, "blocked")

    def release_subscriber(self, request, account_number):
        return self._set_access(account_number, "active")

    def change_packages(self, request, account_number):
        subscriber = self._live(account_number)
        values = validate_packages(read_json(request), self.store.packages(),
                                   subscriber["equipment"])
        updated = self.store.update_subscriber(account_number, **values)
        if updated is None:
            raise not_found("Subscriber", account_number)
        return json_response(updated)

    def delete_subscriber(self, request, account_number):
        if not self.store.delete_subscriber(account_number):
            raise not_found("Subscriber", account_number)
        return empty_response()
