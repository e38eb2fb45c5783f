"""Fault injection for /v1 routes: latency, errors, timeouts, 429, down, and
lost answers of writes (applied, then the answer comes too late)."""
import random
import threading
import time

from .rules import ApiError, validation_error

DEFAULTS = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "timeout_rate": 0.0,
    "timeout_seconds": 30,
    "write_timeout_rate": 0.0,
    "rate_limit_burst": 0,
    "retry_after": 1,
    "down": False,
    "seed": None,
}

_INTS = ("latency_ms", "rate_limit_burst", "retry_after")
_RATES = ("error_rate", "timeout_rate", "write_timeout_rate")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _field_problem(key, value):
    """Return the validation message for one fault setting, or None."""
    if key in _INTS and not (_is_int(value) and value >= 0):
        return "must be an integer >= 0"
    if key in _RATES and not (_is_number(value) and 0 <= value <= 1):
        return "must be a number between 0 and 1"
    if key == "timeout_seconds" and not (_is_number(value) and value >= 0):
        return "must be a number >= 0"
    if key == "down" and not isinstance(value, bool):
        return "must be a boolean"
    if key == "seed" and value is not None and not _is_int(value):
        return "must be an integer or null"
    return None


def validate_faults(body):
    """Return a complete fault config (omitted keys take their defaults)."""
    if not isinstance(body, dict):
        raise validation_error({"body": "must be a JSON object"})
    details = {}
    config = dict(DEFAULTS)
    for key, value in body.items():
        if key not in DEFAULTS:
            details[key] = "unknown field"
            continue
        problem = _field_problem(key, value)
        if problem:
            details[key] = problem
        config[key] = value
    if details:
        raise validation_error(details)
    return config


class FaultInjector:
    """Holds the fault config (persisted in the store) and applies it."""

    def __init__(self, store, sleep=time.sleep):
        self._store = store
        self._sleep = sleep
        self._lock = threading.Lock()
        self._load()

    def _load(self):
        self.config = dict(DEFAULTS, **self._store.get_setting("faults", {}))
        self._remaining = self._store.get_setting("rate_limit_remaining", 0)
        self._rng = random.Random(self.config["seed"])

    def configure(self, body):
        config = validate_faults(body)
        with self._lock:
            self._store.set_setting("faults", config)
            self._store.set_setting("rate_limit_remaining", config["rate_limit_burst"])
            self._load()
        return self.snapshot()

    def reload(self):
        with self._lock:
            self._load()

    def snapshot(self):
        return dict(self.config, rate_limit_remaining=self._remaining)

    def check_down(self):
        """Raise 503 at once when the platform is simulated as down."""
        if self.config["down"]:
            self._store.increment("faults.down")
            raise ApiError(503, "unavailable", "The platform is temporarily unavailable.")

    def apply(self):
        """Apply 429 bursts, random 503s, timeouts and latency to a request."""
        self._rate_limit()
        config = self.config
        if config["error_rate"] and self._draw() < config["error_rate"]:
            self._store.increment("faults.errors")
            raise ApiError(503, "unavailable", "The platform is temporarily unavailable.")
        if config["timeout_rate"] and self._draw() < config["timeout_rate"]:
            self._store.increment("faults.timeouts")
            self._sleep(config["timeout_seconds"])
        if config["latency_ms"]:
            self._sleep(config["latency_ms"] / 1000.0)

    def after_write(self):
        """A write was applied: with ``write_timeout_rate``, hold its answer
        for ``timeout_seconds`` (the client gives up although it went through)."""
        config = self.config
        if config["write_timeout_rate"] and self._draw() < config["write_timeout_rate"]:
            self._store.increment("faults.write_timeouts")
            self._sleep(config["timeout_seconds"])

    def _draw(self):
        with self._lock:
            return self._rng.random()

    def _rate_limit(self):
        with self._lock:
            if self._remaining <= 0:
                return
            self._remaining -= 1
            self._store.set_setting("rate_limit_remaining", self._remaining)
        self._store.increment("faults.rate_limited")
        retry_after = self.config["retry_after"]
        raise ApiError(429, "rate_limited", "Too many requests; retry later.",
                       headers={"Retry-After": str(retry_after)})
