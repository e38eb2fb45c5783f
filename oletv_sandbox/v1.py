"""Handlers of the public /v1 API."""
import json

from .http import empty_response, json_response, json_text_response, not_found, read_json
from .rules import ApiError, validate_create, validate_packages, validation_error
from .store import LoginTaken

MAX_BATCH = 200


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


# The query parameters of GET /v1/subscribers (docs/oletv-api.yaml).
LIST_QUERY = frozenset({"login", "accounts"})


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
        unknown = sorted(set(request.args) - LIST_QUERY)
        if unknown:  # the document's query is closed: an unknown name is an error
            raise validation_error({"query": "unknown parameter(s): {}".format(
                ", ".join(repr(name) for name in unknown))})
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
