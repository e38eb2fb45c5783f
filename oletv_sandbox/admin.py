"""Handlers of the /_admin surface (simulates the Olé TV control panel)."""
from datetime import date

from .http import empty_response, json_response, not_found, read_json
from .rules import ApiError, require_object, validate_create, validation_error
from .store import utc_now
from .v1 import create_checked

ALLOWLIST_DEFAULT = {"enabled": False, "allowed": []}
FAULT_KINDS = ("errors", "timeouts", "write_timeouts", "rate_limited", "down")


def validate_allowlist(body):
    require_object(body)
    details = {}
    enabled = body.get("enabled", False)
    allowed = body.get("allowed", [])
    if not isinstance(enabled, bool):
        details["enabled"] = "must be a boolean"
    if not isinstance(allowed, list) or not all(isinstance(ip, str) for ip in allowed):
        details["allowed"] = "must be a list of IP addresses"
    for key in body:
        if key not in ("enabled", "allowed"):
            details[key] = "unknown field"
    if details:
        raise validation_error(details)
    return {"enabled": enabled, "allowed": [ip.strip() for ip in allowed]}


def stats_view(counters):
    """Shape the flat counters table into the documented stats object."""
    requests = {key.split(".", 1)[1]: value for key, value in counters.items()
                if key.startswith("requests.")}
    faults = {kind: counters.get("faults." + kind, 0) for kind in FAULT_KINDS}
    return {"requests": requests, "total_requests": sum(requests.values()),
            "faults": faults, "creates": counters.get("creates", 0),
            "duplicate_logins": counters.get("duplicate_logins", 0)}


def validate_clock(body):
    """{"date": "YYYY-MM-DD"} -> the ISO day text; null: back to the real day."""
    require_object(body)
    details = {key: "unknown field" for key in body if key != "date"}
    day = body.get("date")
    if day is not None:
        try:
            day = date.fromisoformat(day).isoformat() if len(day) == 10 else None
        except (TypeError, ValueError):
            day = None
        if day is None:
            details["date"] = "a date YYYY-MM-DD, or null"
    elif "date" not in body:
        details["date"] = "required"
    if details:
        raise validation_error(details)
    return day


class AdminHandlers:
    def __init__(self, store, faults, access):
        self.store = store
        self.faults = faults
        self.access = access

    def admin_first_access(self, request, account_number):
        subscriber = self.store.get_subscriber(account_number)
        if subscriber is None:
            raise not_found("Subscriber", account_number)
        if subscriber["status"] != "awaiting_activation":
            return json_response(subscriber)
        return json_response(self.store.update_subscriber(
            account_number, status="active", first_access_at=utc_now()))

    def admin_delete(self, request, account_number):
        if not self.store.delete_subscriber(account_number):
            raise not_found("Subscriber", account_number)
        return empty_response()

    def admin_seed(self, request):
        fields = validate_create(read_json(request), self.store.packages(),
                                 {m["code"] for m in self.store.equipment_models()},
                                 allow_status=True)
        status = fields.pop("status")
        return json_response(create_checked(self.store, fields, status), status=201)

    def admin_state(self, request):
        return json_response({
            "subscribers": self.store.all_subscribers(),
            "faults": self.faults.snapshot(),
            "ip_allowlist": self.access.allowlist(),
            "stats": stats_view(self.store.counters()),
        })

    def admin_reset(self, request):
        self.store.reset()
        self.faults.reload()
        self.access.reload()
        return json_response({"status": "reset"})

    def admin_get_allowlist(self, request):
        return json_response(self.access.allowlist())

    def admin_put_allowlist(self, request):
        self.access.set_allowlist(validate_allowlist(read_json(request)))
        return json_response(self.access.allowlist())

    def admin_get_faults(self, request):
        return json_response(self.faults.snapshot())

    def admin_put_faults(self, request):
        return json_response(self.faults.configure(read_json(request)))

    def admin_stats(self, request):
        return json_response(stats_view(self.store.counters()))

    def admin_get_clock(self, request):
        return json_response({"date": self.store.today().isoformat(),
                              "set": self.store.get_setting("clock") is not None})

    def admin_put_clock(self, request):
        day = validate_clock(read_json(request))
        if day is None:
            self.store.delete_setting("clock")
        else:
            self.store.set_setting("clock", day)
        return self.admin_get_clock(request)


class AccessPolicy:
    """Credentials and IP allowlist checks of /v1 and /_admin requests."""

    def __init__(self, store, credentials, admin_key):
        self.store = store
        self.credentials = credentials  # (token, login, password)
        self.admin_key = admin_key
        self.reload()

    def reload(self):
        self._allowlist = dict(ALLOWLIST_DEFAULT,
                               **self.store.get_setting("ip_allowlist", {}))

    def allowlist(self):
        return dict(self._allowlist)

    def set_allowlist(self, value):
        self.store.set_setting("ip_allowlist", value)
        self.reload()

    def check_ip(self, client_ip):
        allowlist = self._allowlist
        if allowlist["enabled"] and client_ip not in allowlist["allowed"]:
            raise ApiError(403, "ip_not_allowed",
                           "The IP address {} is not allowed to use the API.".format(
                               client_ip), extra={"client_ip": client_ip})
