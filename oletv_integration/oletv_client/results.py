# -*- coding: utf-8 -*-
"""Typed, immutable results returned by :class:`OleTVClient`."""
from dataclasses import dataclass
from typing import Optional, Tuple

from .exceptions import InvalidResponseError

STATUS_AWAITING_ACTIVATION = "awaiting_activation"
STATUS_ACTIVE = "active"
STATUS_BLOCKED = "blocked"
STATUSES = (STATUS_AWAITING_ACTIVATION, STATUS_ACTIVE, STATUS_BLOCKED)

KIND_MAIN = "main"

TECHNOLOGY_IPTV = "iptv"
TECHNOLOGY_OTT = "ott"
TECHNOLOGIES = (TECHNOLOGY_IPTV, TECHNOLOGY_OTT)


def _field(payload, name, what):
    """Read a mandatory key of a JSON object, or raise InvalidResponseError."""
    if not isinstance(payload, dict) or name not in payload:
        raise InvalidResponseError(
            "the platform's {} has no '{}' field".format(what, name))
    return payload[name]


@dataclass(frozen=True)
class Package:
    code: str
    name: str
    kind: str
    extra_point: bool = False

    @property
    def is_main(self):
        return self.kind == KIND_MAIN

    @classmethod
    def from_payload(cls, payload):
        return cls(code=_field(payload, "code", "package"),
                   name=_field(payload, "name", "package"),
                   kind=_field(payload, "kind", "package"),
                   extra_point=bool(payload.get("extra_point", False)))


@dataclass(frozen=True)
class EquipmentModel:
    code: str
    name: str

    @classmethod
    def from_payload(cls, payload):
        return cls(code=_field(payload, "code", "equipment model"),
                   name=_field(payload, "name", "equipment model"))


@dataclass(frozen=True)
class Subscriber:
    account_number: str
    login: str
    status: str
    main_package: str
    additional_packages: Tuple[str, ...] = ()
    mac_devices: Tuple[str, ...] = ()
    equipment: Optional[str] = None
    technology: str = TECHNOLOGY_IPTV
    external_ref: Optional[str] = None
    first_access_at: Optional[str] = None  # ISO 8601 UTC text, or None
    created_at: Optional[str] = None
    updated_at: Optional[str] = None

    @property
    def is_awaiting_activation(self):
        return self.status == STATUS_AWAITING_ACTIVATION

    @property
    def is_blocked(self):
        return self.status == STATUS_BLOCKED

    @property
    def is_active(self):
        return self.status == STATUS_ACTIVE

    @classmethod
    def from_payload(cls, payload):
        what = "subscriber"
        return cls(
            account_number=_field(payload, "account_number", what),
            login=_field(payload, "login", what),
            status=_field(payload, "status", what),
            main_package=_field(payload, "main_package", what),
            additional_packages=tuple(payload.get("additional_packages") or ()),
            mac_devices=tuple(payload.get("mac_devices") or ()),
            equipment=payload.get("equipment"),
            technology=payload.get("technology") or TECHNOLOGY_IPTV,
            external_ref=payload.get("external_ref"),
            first_access_at=payload.get("first_access_at"),
            created_at=payload.get("created_at"),
            updated_at=payload.get("updated_at"),
        )


@dataclass(frozen=True)
class ConnectionInfo:
    client_ip: Optional[str]
    environment: Optional[str]

    @classmethod
    def from_payload(cls, payload):
        if not isinstance(payload, dict):
            raise InvalidResponseError("the platform's ping answer is not an object")
        return cls(client_ip=payload.get("client_ip"),
                   environment=payload.get("environment"))


@dataclass(frozen=True)
class BatchResult:
    subscribers: Tuple[Subscriber, ...] = ()
    missing: Tuple[str, ...] = ()


@dataclass(frozen=True)
class CallRecord:
    """One HTTP attempt, as given to the client's ``call_observer``.

    Bodies are redacted (no secret) and the response body is truncated.
    ``attempt`` is 1 for the first try of a call, 2+ for GET retries.
    """
    operation: str
    method: str
    endpoint: str
    status_code: Optional[int]
    duration_ms: float
    request_body: Optional[str]
    response_body: Optional[str]
    error: Optional[str]
    attempt: int = 1
