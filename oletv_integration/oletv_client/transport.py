# -*- coding: utf-8 -*-
"""HTTP plumbing of the client: auth, timeouts, GET retries, audit records."""
import logging
import os
import time
from urllib.parse import urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

from .body import DEFAULT_MAX_RESPONSE_BYTES, read_body
from .exceptions import ConfigurationError, OleTVError
from .errors import (dump_body, error_from_exception, error_from_response,
                     parse_json_body)
from .redact import basic_auth_value, redact, redact_head
from .results import CallRecord

_logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset((502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET",))


class Transport:
    """Send authenticated JSON requests to one Olé TV base URL.

    An answer's body larger than ``max_response_bytes`` is refused, and the
    read timeout also bounds the time to receive the whole body.
    """

    def __init__(self, base_url, token, login, password, timeout=(3.05, 20),
                 session=None, read_retries=2, backoff=0.3, call_observer=None,
                 require_https=False, max_response_bytes=DEFAULT_MAX_RESPONSE_BYTES):
        self.base_url = normalize_base_url(base_url)
        if require_https and urlsplit(self.base_url).scheme.lower() != "https":
            raise ConfigurationError(
                "an https:// API URL is required; the configured URL is {}".format(
                    redact(self.base_url, (token, password))))
        self.login = login
        self._token = token
        self._password = password
        self._secrets = (token, password, basic_auth_value(login, password))
        self.timeout = timeout
        self.max_response_bytes = int(max_response_bytes)
        self.read_retries = max(0, int(read_retries))
        self.backoff = max(0.0, float(backoff))
        self.call_observer = call_observer
        self._owns_session = session is None
        self.session = session if session is not None else _new_session(self.base_url)

    def redact(self, text):
        return redact(text, self._secrets)

    def close(self):
        if self._owns_session:
            self.session.close()

    def request(self, operation, method, path, params=None, body=None):
        """Perform a call; return the decoded JSON (None for 204).

        GET calls are retried on connection errors, timeouts and 502/503/504;
        other methods are sent exactly once.
        """
        attempts = 1 + (self.read_retries if method in IDEMPOTENT_METHODS else 0)
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                response = self._attempt(operation, method, path, params, body, attempt)
            except requests.exceptions.RequestException as error:
                failure = error_from_exception(error, self.redact)
                if last or not failure.transient:
                    raise failure
                self._pause(operation, attempt, str(failure))
                continue
            if response.status_code in RETRYABLE_STATUSES and not last:
                self._pause(operation, attempt, "HTTP {}".format(response.status_code))
                continue
            return self._result(response)

    def _attempt(self, operation, method, path, params, body, attempt):
        started = time.monotonic()
        response = error = None
        complete = False
        try:
            response = self._send(method, path, params, body)
            read_body(response, self.max_response_bytes, _read_seconds(self.timeout))
            complete = True
            return response
        except (requests.exceptions.RequestException, OleTVError) as exc:
            error = exc
            raise
        finally:
            if response is not None and not complete:
                response.close()  # its connection has unread data: not reused
            elapsed = (time.monotonic() - started) * 1000.0
            self._record(operation, method, _endpoint(path, params, response),
                         body, response, error, elapsed, attempt, body_read=complete)

    def _send(self, method, path, params, body):
        """Send the request and read the answer's headers; the body is read
        by read_body, within its size cap and deadline."""
        return self.session.request(
            method, self.base_url + path, params=_query(params), json=body, timeout=self.timeout,
            allow_redirects=False, auth=(self.login, self._password), stream=True,
            headers={"X-Access-Token": self._token, "Accept": "application/json"})

    def _result(self, response):
        if response.status_code == 204:
            return None
        if 200 <= response.status_code < 300:
            return parse_json_body(response, self.redact)
        raise error_from_response(response, self.redact)

    def _pause(self, operation, attempt, reason):
        delay = self.backoff * (2 ** (attempt - 1))
        _logger.warning("Olé TV %s attempt %d failed (%s); retrying in %.2f s",
                        operation, attempt, self.redact(reason), delay)
        if delay:
            time.sleep(delay)

    def _record(self, operation, method, endpoint, body, response, error,
                elapsed, attempt, body_read):
        status = response.status_code if response is not None else None
        error_text = self.redact("{}: {}".format(type(error).__name__, error)) if error else None
        if error_text is None and status is not None and status >= 400:
            error_text = "HTTP {}".format(status)
        _logger.debug("Olé TV %s %s %s -> %s in %.1f ms%s", operation, method,
                      endpoint, status, elapsed,
                      " ({})".format(error_text) if error_text else "")
        if self.call_observer is None:
            return
        record = CallRecord(
            operation=operation, method=method, endpoint=endpoint,
            status_code=status, duration_ms=round(elapsed, 1),
            request_body=self.redact(dump_body(body)),
            response_body=redact_head(response.text, self._secrets) if body_read else None,
            error=error_text, attempt=attempt)
        try:
            self.call_observer(record)
        except Exception:  # the audit trail must never break a call
            _logger.exception("Olé TV call observer failed for %s", operation)


def normalize_base_url(base_url):
    """Strip trailing slashes and a trailing ``/v1`` from the base URL."""
    url = (base_url or "").strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[:-3]
    return url


def _read_seconds(timeout):
    """The read part of a requests timeout: ``(connect, read)``, one number
    for both, or None."""
    return timeout[1] if isinstance(timeout, tuple) else timeout


def _query(params):
    """The query string, with the commas of a list left as they are (an
    OpenAPI form list): requests would encode them as %2C, and urllib3
    re-reads the whole URL byte by byte five times per call, a quarter of a
    batch read's CPU in the client."""
    return urlencode(params, safe=",") if params else None


def _endpoint(path, params, response):
    """Path plus query string (never the host), for logs and records."""
    if response is not None and response.request is not None:
        url = response.request.path_url
        if url:
            return url
    if not params:
        return path
    return "{}?{}".format(path, _query(params))


def _new_session(base_url):
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # The environment's proxies and CA bundle, read once per client: with
    # trust_env requests reads them (and ~/.netrc) again at every call, about
    # half a millisecond each. The client sends its own credentials.
    session.proxies.update(requests.utils.get_environ_proxies(base_url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    session.trust_env = False
    return session
