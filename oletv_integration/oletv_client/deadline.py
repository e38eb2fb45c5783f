# -*- coding: utf-8 -*-
"""A hard deadline for reading an answer's body.

The read timeout of ``requests`` applies to each socket read, and one
buffered read of a body (a chunk of a body with a Content-Length) waits for
as many socket reads as it takes to fill it: a server sending a byte now and
then could hold a call for hours. A single daemon thread per process watches
the reads in progress and shuts down the socket of a read still running at
its deadline; the blocked read then ends at once, and the reader, seeing
``fired``, reports a timeout. Registering and releasing a read costs a lock,
not a thread.
"""
import contextlib
import heapq
import itertools
import os
import socket
import threading
import time


class Watch(object):
    """One read under watch; ``fired`` once its socket was shut down."""

    __slots__ = ("sock", "fired", "done")

    def __init__(self, sock):
        self.sock = sock
        self.fired = False
        self.done = False


class Watchdog(object):
    """Shuts down the sockets of the reads that pass their deadline."""

    def __init__(self):
        self._reset()

    def _reset(self):
        self._cond = threading.Condition(threading.Lock())
        self._heap = []  # (deadline, order, watch); released watches leave lazily
        self._order = itertools.count()
        self._thread = None

    @contextlib.contextmanager
    def watching(self, sock, deadline):
        """Watch ``sock`` until ``deadline`` (time.monotonic()) for the body
        of the with block; no watch without a socket or a deadline."""
        if not isinstance(sock, socket.socket) or deadline is None:
            yield Watch(None)
            return
        watch = self._watch(sock, deadline)
        try:
            yield watch
        finally:
            with self._cond:
                watch.done = True  # from here on ``fired`` cannot change

    def _watch(self, sock, deadline):
        watch = Watch(sock)
        with self._cond:
            earliest = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, next(self._order), watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="oletv-read-deadline")
                self._thread.start()
            elif earliest:
                self._cond.notify()
        return watch

    def _run(self):
        with self._cond:
            while True:
                self._cond.wait(self._next_delay())
                self._fire_due()

    def _next_delay(self):
        """Seconds until the earliest deadline still watched, or None."""
        while self._heap and self._heap[0][2].done:
            heapq.heappop(self._heap)
        if not self._heap:
            return None
        return max(0.0, self._heap[0][0] - time.monotonic())

    def _fire_due(self):
        now = time.monotonic()
        while self._heap and self._heap[0][0] <= now:
            watch = heapq.heappop(self._heap)[2]
            if not watch.done:
                watch.fired = True
                _shut_down(watch.sock)


def _shut_down(sock):
    """End the blocked read: shutdown wakes it where close would not. The
    plain socket's method, so that a TLS socket's state is left alone."""
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


WATCHDOG = Watchdog()
# a forked worker (Odoo's prefork) has no watchdog thread, maybe a held lock
os.register_at_fork(after_in_child=WATCHDOG._reset)
