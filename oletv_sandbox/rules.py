"""Request validation rules of the platform (422 ``validation_error``)."""
import re

from .catalog import EXTRA_POINT_CODE

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$")
TECHNOLOGIES = ("iptv", "ott")
STATUSES = ("awaiting_activation", "active", "blocked")
MAX_LOGIN_LENGTH = 254
MAX_EXTERNAL_REF_LENGTH = 255

CREATE_FIELDS = ("login", "main_package", "additional_packages", "mac_devices",
                 "equipment", "technology", "external_ref")
PACKAGE_FIELDS = ("main_package", "additional_packages")


class ApiError(Exception):
    """An error answer: ``{"error": {"code", "message", "details", ...}}``."""

    def __init__(self, status, code, message, details=None, extra=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.extra = extra or {}
        self.headers = headers or {}

    def payload(self):
        error = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        error.update(self.extra)
        return {"error": error}


def validation_error(details, message="The request has invalid fields."):
    return ApiError(422, "validation_error", message, details)


def normalize_mac(value):
    """Return the upper-case, colon-separated form of a MAC-48, or None."""
    if not isinstance(value, str) or not MAC_RE.match(value.strip()):
        return None
    return value.strip().upper().replace("-", ":")


def _check_unknown(body, allowed, details):
    for key in body:
        if key not in allowed:
            details[key] = "unknown field"


def _check_login(body, details):
    login = body.get("login")
    if login is None:
        details["login"] = "required"
    elif not isinstance(login, str) or len(login.strip()) > MAX_LOGIN_LENGTH \
            or not EMAIL_RE.match(login.strip()):
        details["login"] = "must be a valid e-mail address"
    else:
        return login.strip()
    return None


def _check_packages(body, catalog, details):
    main = body.get("main_package")
    kinds = {p["code"]: p["kind"] for p in catalog}
    if main is None:
        details["main_package"] = "required"
    elif not isinstance(main, str) or kinds.get(main) != "main":
        details["main_package"] = "unknown main package: {!r}".format(main)
    additional = body.get("additional_packages")
    if additional is None:
        additional = []
    if not isinstance(additional, list):
        details["additional_packages"] = "must be a list of package codes"
        return main, []
    unknown = [code for code in additional
               if not isinstance(code, str) or kinds.get(code) != "additional"]
    if unknown:
        details["additional_packages"] = "unknown additional package(s): {}".format(
            ", ".join(repr(code) for code in unknown))
    return main, additional


def _check_macs(body, details):
    macs = body.get("mac_devices")
    if macs is None:
        return []
    if not isinstance(macs, list):
        details["mac_devices"] = "must be a list of MAC addresses"
        return []
    normalized = [normalize_mac(mac) for mac in macs]
    invalid = [mac for mac, norm in zip(macs, normalized) if norm is None]
    if invalid:
        details["mac_devices"] = "invalid MAC-48 address(es): {}".format(
            ", ".join(repr(mac) for mac in invalid))
    return list(dict.fromkeys(n for n in normalized if n))


def _check_equipment(body, equipment_codes, details):
    equipment = body.get("equipment")
    if equipment in (None, ""):
        return None
    if not isinstance(equipment, str) or equipment not in equipment_codes:
        details["equipment"] = "unknown equipment model: {!r}".format(equipment)
    return equipment


def check_extra_point(equipment, additional, details):
    """Equipment needs the "Ponto adicional" package among the additional ones."""
    if equipment and EXTRA_POINT_CODE not in additional \
            and "additional_packages" not in details:
        details["additional_packages"] = (
            "the 'Ponto adicional' package ({}) is required when equipment is set"
            .format(EXTRA_POINT_CODE))


def _check_choice(body, key, choices, details, required=True):
    value = body.get(key)
    if value is None and required:
        details[key] = "required"
    elif value is not None and value not in choices:
        details[key] = "must be one of: {}".format(", ".join(choices))
    return value


def _check_external_ref(body, details):
    ref = body.get("external_ref")
    if ref is not None and (not isinstance(ref, str) or len(ref) > MAX_EXTERNAL_REF_LENGTH):
        details["external_ref"] = "must be a string of at most {} characters".format(
            MAX_EXTERNAL_REF_LENGTH)
    return ref


def require_object(body):
    if not isinstance(body, dict):
        raise validation_error({"body": "must be a JSON object"})


def validate_create(body, catalog, equipment_codes, allow_status=False):
    """Return the cleaned subscriber fields (plus ``status`` when allowed)."""
    require_object(body)
    details = {}
    _check_unknown(body, CREATE_FIELDS + (("status",) if allow_status else ()), details)
    fields = {"login": _check_login(body, details)}
    fields["main_package"], fields["additional_packages"] = _check_packages(
        body, catalog, details)
    fields["mac_devices"] = _check_macs(body, details)
    fields["equipment"] = _check_equipment(body, equipment_codes, details)
    fields["technology"] = _check_choice(body, "technology", TECHNOLOGIES, details)
    fields["external_ref"] = _check_external_ref(body, details)
    if allow_status:
        fields["status"] = _check_choice(body, "status", STATUSES, details,
                                         required=False) or STATUSES[0]
    check_extra_point(fields["equipment"], fields["additional_packages"], details)
    if details:
        raise validation_error(details)
    return fields


def validate_packages(body, catalog, equipment):
    """Validate a package change for a subscriber having ``equipment``."""
    require_object(body)
    details = {}
    _check_unknown(body, PACKAGE_FIELDS, details)
    main, additional = _check_packages(body, catalog, details)
    check_extra_point(equipment, additional, details)
    if details:
        raise validation_error(details)
    return {"main_package": main, "additional_packages": additional}
