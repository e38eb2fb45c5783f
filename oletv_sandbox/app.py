"""WSGI application of the sandbox: routing, authentication, fault pipeline."""
import base64
import binascii
import hmac
import logging

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from .admin import AccessPolicy, AdminHandlers
from .faults import FaultInjector
from .http import error_response
from .rules import ApiError
from .v1 import V1Handlers

_logger = logging.getLogger(__name__)

ACC = "/<account_number>"

URL_MAP = Map([
    Rule("/v1/ping", endpoint="check_connection", methods=["GET"]),
    Rule("/v1/packages", endpoint="list_packages", methods=["GET"]),
    Rule("/v1/equipment-models", endpoint="list_equipment_models", methods=["GET"]),
    Rule("/v1/subscribers", endpoint="list_subscribers", methods=["GET"]),
    Rule("/v1/subscribers", endpoint="create_subscriber", methods=["POST"]),
    Rule("/v1/subscribers" + ACC, endpoint="get_subscriber", methods=["GET"]),
    Rule("/v1/subscribers" + ACC, endpoint="delete_subscriber", methods=["DELETE"]),
    Rule("/v1/subscribers" + ACC + "/block", endpoint="block_subscriber", methods=["POST"]),
    Rule("/v1/subscribers" + ACC + "/release", endpoint="release_subscriber",
         methods=["POST"]),
    Rule("/v1/subscribers" + ACC + "/packages", endpoint="change_packages", methods=["PUT"]),
    Rule("/v1/billing/statement", endpoint="billing_statement", methods=["GET"]),
    Rule("/_admin/subscribers", endpoint="admin_seed", methods=["POST"]),
    Rule("/_admin/subscribers" + ACC + "/first-access", endpoint="admin_first_access",
         methods=["POST"]),
    Rule("/_admin/subscribers" + ACC, endpoint="admin_delete", methods=["DELETE"]),
    Rule("/_admin/state", endpoint="admin_state", methods=["GET"]),
    Rule("/_admin/reset", endpoint="admin_reset", methods=["POST"]),
    Rule("/_admin/ip-allowlist", endpoint="admin_get_allowlist", methods=["GET"]),
    Rule("/_admin/ip-allowlist", endpoint="admin_put_allowlist", methods=["PUT"]),
    Rule("/_admin/faults", endpoint="admin_get_faults", methods=["GET"]),
    Rule("/_admin/faults", endpoint="admin_put_faults", methods=["PUT"]),
    Rule("/_admin/stats", endpoint="admin_stats", methods=["GET"]),
    Rule("/_admin/clock", endpoint="admin_get_clock", methods=["GET"]),
    Rule("/_admin/clock", endpoint="admin_put_clock", methods=["PUT"]),
], strict_slashes=False)


def basic_credentials(header):
    """Decode an HTTP Basic ``Authorization`` header into (login, password)."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None, None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    login, sep, password = text.partition(":")
    return (login, password) if sep else (None, None)


def _same(given, expected):
    return given is not None and hmac.compare_digest(
        given.encode("utf-8"), expected.encode("utf-8"))


def operation_name(endpoint, request):
    """Stats name of a /v1 request (the client's method name)."""
    if endpoint == "list_subscribers":
        if "after" in request.args or "limit" in request.args:
            return "list_subscribers_page"
        return "find_subscriber_by_login" if "login" in request.args else "get_subscribers"
    return endpoint


class SandboxApp:
    def __init__(self, store, token, login, password, admin_key,
                 environment="homologation"):
        self.store = store
        self.credentials = (token, login, password)
        self.faults = FaultInjector(store)
        self.access = AccessPolicy(store, self.credentials, admin_key)
        self.v1 = V1Handlers(store, environment)
        self.admin = AdminHandlers(store, self.faults, self.access)

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.get_data(cache=True)  # always drain the body (keep-alive safety)
        return self.dispatch(request)(environ, start_response)

    def dispatch(self, request):
        try:
            endpoint, args = URL_MAP.bind_to_environ(request.environ).match()
            if endpoint.startswith("admin_"):
                self._check_admin_key(request)
                return getattr(self.admin, endpoint)(request, **args)
            self._guard_v1(request, endpoint)
            response = getattr(self.v1, endpoint)(request, **args)
            if request.method != "GET" and response.status_code < 300:
                self.faults.after_write()
            return response
        except ApiError as error:
            return error_response(error)
        except NotFound:
            return error_response(ApiError(404, "not_found", "No such route."))
        except MethodNotAllowed as error:
            # RFC 9110: a 405 lists the methods the route supports.
            allowed = ", ".join(sorted(error.valid_methods or ()))
            return error_response(ApiError(405, "method_not_allowed",
                                           "Method not allowed on this route.",
                                           headers={"Allow": allowed}))
        except Exception:
            _logger.exception("sandbox handler failed")
            return error_response(ApiError(500, "internal_error", "Internal error."))

    def _guard_v1(self, request, endpoint):
        self.store.increment("requests." + operation_name(endpoint, request))
        self.faults.check_down()
        self._check_credentials(request)
        self.access.check_ip(request.remote_addr)
        self.faults.apply()

    def _check_credentials(self, request):
        token, login, password = self.credentials
        given_login, given_password = basic_credentials(
            request.headers.get("Authorization"))
        valid = (_same(request.headers.get("X-Access-Token"), token)
                 and _same(given_login, login) and _same(given_password, password))
        if not valid:
            raise ApiError(401, "unauthorized",
                           "Missing or invalid access token, API login or API password.",
                           headers={"WWW-Authenticate": 'Basic realm="Ole TV API"'})

    def _check_admin_key(self, request):
        if not _same(request.headers.get("X-Admin-Key"), self.access.admin_key):
            raise ApiError(401, "unauthorized", "Missing or invalid X-Admin-Key header.")
