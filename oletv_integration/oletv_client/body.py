# -*- coding: utf-8 -*-
"""Reading an answer's body within a size cap and a total deadline."""
import time

import requests

from .deadline import WATCHDOG
from .exceptions import ResponseTooLargeError

DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def read_body(response, max_bytes, seconds):
    """Read the body of a streamed ``response`` into it (``content``,
    ``text`` and ``json()`` then work as for an unstreamed one).

    A body over ``max_bytes`` (announced by Content-Length, or counted while
    reading, after decompression) raises ResponseTooLargeError; a body not
    received within ``seconds`` (None: no deadline) raises requests'
    ReadTimeout, which the transport handles as any read timeout.
    """
    _refuse_announced_length(response, max_bytes)
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        with WATCHDOG.watching(_socket(response), deadline) as watch:
            content = _read_chunks(response, max_bytes, deadline, seconds)
    except requests.exceptions.RequestException:
        if not watch.fired:
            raise
    if watch.fired:  # the read was ended at the deadline (broken, or seemingly complete)
        raise _too_slow(seconds)
    response._content = content  # what requests itself does when reading it


def _refuse_announced_length(response, max_bytes):
    try:
        announced = int(response.headers.get("Content-Length") or 0)
    except ValueError:  # left to the HTTP library
        return
    if announced > max_bytes:
        raise ResponseTooLargeError(
            "the answer announces {} bytes, more than the client's limit of {} bytes"
            .format(announced, max_bytes), status_code=response.status_code)


def _read_chunks(response, max_bytes, deadline, seconds):
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLargeError(
                "the answer is larger than the client's limit of {} bytes".format(max_bytes),
                status_code=response.status_code)
        if deadline is not None and time.monotonic() > deadline:
            raise _too_slow(seconds)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_slow(seconds):
    return requests.exceptions.ReadTimeout(
        "the answer's body was not received within {:g} s".format(seconds))


def _socket(response):
    """The socket the body is read from, when there is one."""
    connection = getattr(response.raw, "connection", None)
    return getattr(connection, "sock", None)
