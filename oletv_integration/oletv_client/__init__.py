# -*- coding: utf-8 -*-
"""Pure-Python client of the Olé TV IPTV/OTT platform API.

No Odoo import here: importable as ``odoo.addons.oletv_integration.oletv_client``
and as top-level ``oletv_client``.
"""
from .client import BATCH_SIZE, PAGE_SIZE, OleTVClient
from .exceptions import (AuthenticationError, AwaitingActivationError,
                         ConfigurationError, ConflictError, ForbiddenError, InvalidResponseError,
                         IPNotAllowedError, LoginTakenError, NotFoundError,
                         OleTVError, PlatformTimeoutError, RateLimitedError,
                         ResponseTooLargeError, UnavailableError, ValidationError)
from .redact import redact
from .results import (STATUS_ACTIVE, STATUS_AWAITING_ACTIVATION, STATUS_BLOCKED,
                      STATUSES, TECHNOLOGIES, TECHNOLOGY_IPTV, TECHNOLOGY_OTT,
                      BatchResult, CallRecord, ConnectionInfo, EquipmentModel,
                      Package, Subscriber)

__all__ = [
    "OleTVClient", "BATCH_SIZE", "PAGE_SIZE", "redact",
    "OleTVError", "AuthenticationError", "ForbiddenError", "IPNotAllowedError",
    "NotFoundError", "ConflictError", "ConfigurationError", "AwaitingActivationError",
    "LoginTakenError",
    "ValidationError", "RateLimitedError", "UnavailableError",
    "PlatformTimeoutError", "InvalidResponseError", "ResponseTooLargeError",
    "Package", "EquipmentModel", "Subscriber", "ConnectionInfo", "BatchResult",
    "CallRecord", "STATUS_AWAITING_ACTIVATION", "STATUS_ACTIVE", "STATUS_BLOCKED",
    "STATUSES", "TECHNOLOGY_IPTV", "TECHNOLOGY_OTT", "TECHNOLOGIES",
]
