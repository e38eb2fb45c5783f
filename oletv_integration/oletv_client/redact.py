# -*- coding: utf-8 -*-
"""Helpers that keep credentials out of logs, exceptions and audit records."""
import base64
import re

MASK = "***"
MAX_BODY_CHARS = 4096

# Generic patterns, applied in addition to the explicit secrets.
_AUTH_HEADER_RE = re.compile(
    r"(Authorization['\"]?\s*[:=]\s*['\"]?(?:Basic|Bearer)\s+)[^'\"\s,}]+", re.IGNORECASE)
_TOKEN_HEADER_RE = re.compile(r"(X-Access-Token['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+",
                              re.IGNORECASE)


def basic_auth_value(login, password):
    """Return the base64 part of the HTTP Basic ``Authorization`` header."""
    raw = "{}:{}".format(login or "", password or "").encode("utf-8")
    return base64.b64encode(raw).decode("ascii")


def redact(text, secrets):
    """Return ``text`` with every secret (and any auth header value) masked.

    ``secrets`` is an iterable of strings; empty or ``None`` items are
    ignored. Longer secrets are replaced first so that a secret containing
    another one is masked entirely. ``None`` text is returned unchanged.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    for secret in sorted({s for s in secrets or () if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _AUTH_HEADER_RE.sub(lambda m: m.group(1) + MASK, text)
    return _TOKEN_HEADER_RE.sub(lambda m: m.group(1) + MASK, text)


def redact_head(text, secrets, limit=MAX_BODY_CHARS):
    """``text`` redacted and cut to at most ``limit`` characters, the cut
    marked. Only the head is scanned (a batch read's answer is ten times what
    is kept): a slice with room for the longest secret and a header's name is
    masked, and its last ``margin`` characters, where a secret cut by the
    slice may remain, are dropped."""
    if text is None or len(text) <= limit:
        return redact(text, secrets)
    margin = max([len(secret) for secret in secrets or () if secret] or [0]) + 64
    head = redact(text[:limit + margin], secrets)
    head = head[:min(limit, len(head) - margin)]
    return head + "...[truncated {} chars]".format(len(text) - len(head))
