# -*- coding: utf-8 -*-
"""High-level Olé TV client: one method per platform operation."""
from urllib.parse import quote

from .body import DEFAULT_MAX_RESPONSE_BYTES
from .exceptions import InvalidResponseError
from .results import (BatchResult, ConnectionInfo, EquipmentModel, Package,
                      Subscriber, TECHNOLOGY_IPTV)
from .transport import Transport

BATCH_SIZE = 200
PAGE_SIZE = 500  # the listing's largest page


def _account_path(account_number, suffix=""):
    if not isinstance(account_number, str) or not account_number.strip():
        raise ValueError("account_number must be a non-empty string")
    return "/v1/subscribers/" + quote(account_number.strip(), safe="") + suffix


def _list_of(payload, key):
    items = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise InvalidResponseError("the platform's answer has no '{}' list".format(key))
    return items


def _subscriber(payload):
    return Subscriber.from_payload(payload)


class OleTVClient:
    """Client of the Olé TV integration API (``/v1``).

    ``base_url`` is the environment's root URL (production or homologation,
    from configuration). ``timeout`` is ``(connect, read)`` seconds; the read
    timeout also bounds the time to receive a whole answer. An answer larger
    than ``max_response_bytes`` (10 MB) raises ResponseTooLargeError.
    ``call_observer`` receives a :class:`CallRecord` for every HTTP attempt.
    Every failure raises an :class:`OleTVError` subclass. With
    ``require_https`` (production) a URL whose scheme is not https is refused
    here, before any call (ConfigurationError). Redirects are never followed.
    """

    def __init__(self, base_url, token, login, password, timeout=(3.05, 20),
                 session=None, read_retries=2, backoff=0.3, call_observer=None,
                 require_https=False, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES):
        self._transport = Transport(
            base_url, token, login, password, timeout=timeout, session=session,
            read_retries=read_retries, backoff=backoff, call_observer=call_observer,
            require_https=require_https, max_response_bytes=max_response_bytes)

    def __repr__(self):
        return "<OleTVClient base_url={!r} login={!r}>".format(
            self._transport.base_url, self._transport.login)

    @property
    def base_url(self):
        return self._transport.base_url

    @property
    def login(self):
        return self._transport.login

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Release the HTTP connections (only if the session is ours)."""
        self._transport.close()

    def _call(self, operation, method, path, params=None, body=None):
        return self._transport.request(operation, method, path, params=params, body=body)

    # --- connection and catalogs -------------------------------------------

    def check_connection(self):
        """Ping the platform with the credentials; return ConnectionInfo."""
        return ConnectionInfo.from_payload(self._call("check_connection", "GET", "/v1/ping"))

    def list_packages(self):
        payload = self._call("list_packages", "GET", "/v1/packages")
        return [Package.from_payload(item) for item in _list_of(payload, "packages")]

    def list_equipment_models(self):
        payload = self._call("list_equipment_models", "GET", "/v1/equipment-models")
        return [EquipmentModel.from_payload(item)
                for item in _list_of(payload, "equipment_models")]

    # --- subscribers --------------------------------------------------------

    def create_subscriber(self, login, main_package, additional_packages=(),
                          mac_devices=(), equipment=None, technology=TECHNOLOGY_IPTV,
                          external_ref=None):
        """Create a TV user; it starts ``awaiting_activation``. Never retried."""
        body = {
            "login": login,
            "main_package": main_package,
            "additional_packages": list(additional_packages or ()),
            "mac_devices": list(mac_devices or ()),
            "equipment": equipment or None,
            "technology": technology,
            "external_ref": external_ref,
        }
        return _subscriber(self._call("create_subscriber", "POST", "/v1/subscribers",
                                      body=body))

    def get_subscriber(self, account_number):
        """Return the subscriber; NotFoundError if unknown or deleted."""
        return _subscriber(self._call("get_subscriber", "GET", _account_path(account_number)))

    def find_subscriber_by_login(self, login):
        """Return the (not deleted) subscriber using ``login``, or None."""
        payload = self._call("find_subscriber_by_login", "GET", "/v1/subscribers",
                             params={"login": login})
        items = _list_of(payload, "subscribers")
        return _subscriber(items[0]) if items else None

    def get_subscribers(self, account_numbers):
        """Batch read (chunks of 200). Unknown/deleted accounts go to ``missing``."""
        wanted = list(dict.fromkeys(a.strip() for a in account_numbers if a and a.strip()))
        found, missing = [], []
        for start in range(0, len(wanted), BATCH_SIZE):
            chunk = wanted[start:start + BATCH_SIZE]
            payload = self._call("get_subscribers", "GET", "/v1/subscribers",
                                 params={"accounts": ",".join(chunk)})
            found.extend(_subscriber(item) for item in _list_of(payload, "subscribers"))
            missing.extend(payload.get("missing") or ())
        return BatchResult(subscribers=tuple(found), missing=tuple(missing))

    def list_subscribers_page(self, after=None, limit=PAGE_SIZE):
        """One page of the ISP's live subscribers, in account number order,
        after the account number `after` (None: the first page). Returns
        ``(subscribers, next)``: ``next`` is the following page's `after`,
        None on the last page."""
        params = {"limit": limit}
        if after:
            params["after"] = after
        payload = self._call("list_subscribers_page", "GET", "/v1/subscribers", params=params)
        following = payload.get("next")
        if following is not None and not isinstance(following, str):
            raise InvalidResponseError("the platform's listing has an invalid 'next'")
        return (tuple(_subscriber(item) for item in _list_of(payload, "subscribers")),
                following or None)

    def billing_statement(self, month, rule):
        """What the platform bills for `month` ('YYYY-MM') by `rule`
        (per_day or any_day): {code: {"subscriber_days", "subscribers",
        "quantity"}}."""
        payload = self._call("billing_statement", "GET", "/v1/billing/statement",
                             params={"month": month, "rule": rule})
        try:
            return {item["code"]: {"subscriber_days": item["subscriber_days"],
                                   "subscribers": item["subscribers"],
                                   "quantity": item["quantity"]}
                    for item in _list_of(payload, "packages")}
        except (KeyError, TypeError):
            raise InvalidResponseError("the platform's statement has an invalid package")

    def block_subscriber(self, account_number):
        """Block access; AwaitingActivationError before the first access."""
        return _subscriber(self._call("block_subscriber", "POST",
                                      _account_path(account_number, "/block")))

    def release_subscriber(self, account_number):
        """Release access; AwaitingActivationError before the first access."""
        return _subscriber(self._call("release_subscriber", "POST",
                                      _account_path(account_number, "/release")))

    def change_packages(self, account_number, main_package, additional_packages=()):
        body = {"main_package": main_package,
                "additional_packages": list(additional_packages or ())}
        return _subscriber(self._call("change_packages", "PUT",
                                      _account_path(account_number, "/packages"),
                                      body=body))

    def delete_subscriber(self, account_number):
        """Delete the TV user; NotFoundError if unknown or already deleted."""
        self._call("delete_subscriber", "DELETE", _account_path(account_number))
