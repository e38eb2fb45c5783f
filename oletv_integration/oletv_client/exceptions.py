# -*- coding: utf-8 -*-
"""Exception hierarchy of the Olé TV client.

Every failure of a client call (HTTP error, network error, invalid answer)
is raised as an :class:`OleTVError` subclass; ``requests`` exceptions never
escape. ``transient`` tells the caller whether trying again later may help.
"""


def _rebuild(cls, state):
    """Unpickle helper: recreate an exception from its attribute dict."""
    exc = cls.__new__(cls)
    exc.__dict__.update(state)
    exc.args = (state.get("message"),)
    return exc


class OleTVError(Exception):
    """Base class: any error reported by (or while talking to) Olé TV."""

    transient = False
    description = "Olé TV error"

    def __init__(self, message, status_code=None, code=None, details=None):
        super().__init__(message)
        self.message = message or ""
        self.status_code = status_code
        self.code = code
        self.details = dict(details or {})

    def __str__(self):
        context = [str(part) for part in ("HTTP {}".format(self.status_code)
                                          if self.status_code else None,
                                          self.code) if part]
        text = self.description
        if context:
            text += " [{}]".format(", ".join(context))
        text += ": " + self.message
        if self.details:
            text += " ({})".format("; ".join(
                "{}: {}".format(key, value) for key, value in sorted(self.details.items())))
        return text

    def __reduce__(self):
        return (_rebuild, (self.__class__, dict(self.__dict__)))


class AuthenticationError(OleTVError):
    """401: the access token, API login or API password was refused."""

    description = "Olé TV authentication failed"


class ForbiddenError(OleTVError):
    """403: the credentials are valid but the operation is not allowed."""

    description = "Olé TV refused the operation"


class IPNotAllowedError(ForbiddenError):
    """403 ``ip_not_allowed``: the caller's IP is not in the allowlist."""

    description = "Olé TV refused the caller's IP address"

    def __init__(self, message, status_code=403, code="ip_not_allowed",
                 details=None, client_ip=None):
        super().__init__(message, status_code, code, details)
        self.client_ip = client_ip

    def __str__(self):
        text = super().__str__()
        if self.client_ip:
            text += " (client IP seen by the platform: {})".format(self.client_ip)
        return text


class ConfigurationError(OleTVError):
    """The call was not sent, or its answer not followed, because the
    configuration is unsafe or wrong: plain http where https is required, or
    a redirect (never followed: the credentials would go along)."""

    description = "Olé TV connection refused by the client"


class NotFoundError(OleTVError):
    """404: the subscriber does not exist (or was deleted)."""

    description = "Olé TV resource not found"


class ConflictError(OleTVError):
    """409: the request conflicts with the current state."""

    description = "Olé TV conflict"


class AwaitingActivationError(ConflictError):
    """409 ``awaiting_activation``: no block/release before first access."""

    description = "Olé TV subscriber is awaiting activation"


class LoginTakenError(ConflictError):
    """409 ``login_taken``: another subscriber already uses this login."""

    description = "Olé TV login already in use"


class ValidationError(OleTVError):
    """422: the request was refused; ``details`` maps field -> message."""

    description = "Olé TV rejected the request"


class RateLimitedError(OleTVError):
    """429: too many requests; ``retry_after`` is in seconds."""

    transient = True
    description = "Olé TV rate limit reached"

    def __init__(self, message, status_code=429, code="rate_limited",
                 details=None, retry_after=None):
        super().__init__(message, status_code, code, details)
        self.retry_after = retry_after

    def __str__(self):
        text = super().__str__()
        if self.retry_after is not None:
            text += " (retry after {:g} s)".format(self.retry_after)
        return text


class UnavailableError(OleTVError):
    """5xx, connection failure: the platform could not answer."""

    transient = True
    description = "Olé TV unavailable"


class PlatformTimeoutError(UnavailableError):
    """The platform did not answer in time (connect or read timeout).

    For a write call the operation may or may not have been applied.
    """

    description = "Olé TV did not answer in time"


class InvalidResponseError(UnavailableError):
    """The platform answered something that is not the documented JSON."""

    description = "Olé TV sent an invalid response"


class ResponseTooLargeError(InvalidResponseError):
    """The answer's body is larger than the client accepts
    (``max_response_bytes``): it was refused, not read to its end."""

    description = "Olé TV sent a response larger than the client accepts"
