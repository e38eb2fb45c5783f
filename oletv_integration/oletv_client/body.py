# -*- coding: utf-8 -*-
"""Reading an answer's body within a size cap."""
from .exceptions import ResponseTooLargeError

DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def read_body(response, max_bytes):
    """Read the body of a streamed ``response`` into it (``content``,
    ``text`` and ``json()`` then work as for an unstreamed one).

    A body over ``max_bytes`` (announced by Content-Length, or counted while
    reading, after decompression) raises ResponseTooLargeError.
    """
    _refuse_announced_length(response, max_bytes)
    response._content = _read_chunks(response, max_bytes)  # as requests itself does


def _refuse_announced_length(response, max_bytes):
    try:
        announced = int(response.headers.get("Content-Length") or 0)
    except ValueError:  # left to the HTTP library
        return
    if announced > max_bytes:
        raise ResponseTooLargeError(
            "the answer announces {} bytes, more than the client's limit of {} bytes"
            .format(announced, max_bytes), status_code=response.status_code)


def _read_chunks(response, max_bytes):
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLargeError(
                "the answer is larger than the client's limit of {} bytes".format(max_bytes),
                status_code=response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)
