# -*- coding: utf-8 -*-
"""Translation of HTTP answers and ``requests`` failures into OleTVError."""
import email.utils
import json
import time

import requests

from . import exceptions as exc

_BY_CODE = {
    "ip_not_allowed": exc.IPNotAllowedError,
    "awaiting_activation": exc.AwaitingActivationError,
    "login_taken": exc.LoginTakenError,
}

_BY_STATUS = {
    400: exc.ValidationError,
    401: exc.AuthenticationError,
    403: exc.ForbiddenError,
    404: exc.NotFoundError,
    409: exc.ConflictError,
    422: exc.ValidationError,
    429: exc.RateLimitedError,
}


def parse_retry_after(value):
    """Return the ``Retry-After`` header value in seconds (float) or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:  # not a number of seconds: an HTTP date
        seconds = None
    if seconds is not None:
        return max(0.0, seconds)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


def _error_payload(response):
    """Return the ``error`` object of an error answer, or {} when absent."""
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _exception_class(status, code):
    if code in _BY_CODE:
        return _BY_CODE[code]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return exc.UnavailableError
    return exc.OleTVError


def error_from_response(response, redactor):
    """Build the exception matching an HTTP error answer.

    ``redactor`` is a callable masking secrets in a text.
    """
    status = response.status_code
    if 300 <= status < 400:
        return exc.ConfigurationError(
            "the platform answered with a redirect (HTTP {}); redirects are not followed, "
            "so the credentials never leave for another address: check the API URL"
            .format(status), status_code=status)
    error = _error_payload(response)
    code = error.get("code") if isinstance(error.get("code"), str) else None
    message = error.get("message") or "HTTP {} {}".format(status, response.reason or "")
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    details = {str(k): redactor(str(v)) for k, v in details.items()}
    cls = _exception_class(status, code)
    kwargs = {}
    if cls is exc.IPNotAllowedError:
        kwargs["client_ip"] = error.get("client_ip")
    if cls is exc.RateLimitedError:
        kwargs["retry_after"] = parse_retry_after(response.headers.get("Retry-After"))
    return cls(redactor(message.strip()), status_code=status, code=code,
               details=details, **kwargs)


def error_from_exception(error, redactor):
    """Map a ``requests`` exception to the client's hierarchy."""
    text = redactor("{}: {}".format(type(error).__name__, error))
    if isinstance(error, requests.exceptions.Timeout):
        return exc.PlatformTimeoutError("no answer in time ({})".format(text))
    if isinstance(error, (requests.exceptions.ConnectionError,
                          requests.exceptions.ChunkedEncodingError,
                          requests.exceptions.ContentDecodingError)):
        return exc.UnavailableError("connection failed ({})".format(text))
    return exc.OleTVError("request could not be sent ({})".format(text))


def parse_json_body(response, redactor):
    """Decode a success answer's JSON body or raise InvalidResponseError."""
    try:
        return response.json()
    except ValueError:
        snippet = redactor(response.text[:200])
        raise exc.InvalidResponseError(
            "HTTP {} answer is not valid JSON: {!r}".format(response.status_code, snippet),
            status_code=response.status_code)


def dump_body(body):
    """Serialize a request body the way it is sent (for audit records)."""
    if body is None:
        return None
    return json.dumps(body, ensure_ascii=False, sort_keys=True)
