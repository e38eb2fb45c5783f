# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Platform reads one step ahead of Odoo's work on them (no Odoo import).

A reconciliation job reads batches of subscribers one after the other and
applies each one in Odoo. With the reads in a thread of their own, the next
batch travels while Odoo applies the current one: the job then takes about
its reads' time, not reads + Odoo. The job still has one platform call in
flight at a time (what the channel's capacity counts), and the reader never
runs more than `ahead` reads before the consumer takes them.

Only the reader thread calls `read`; the consumer gets each item's
(value, error) in order, so the caller keeps its own error handling."""
import queue
import threading

_DONE = object()


class ReadAhead:
    """Iterate over `(item, value, error)` for each item, `read(item)` run
    in a reader thread. `error` is the exception `read` raised (value None).
    Use as a context manager: leaving it early stops the reader after its
    current read."""

    def __init__(self, read, items, ahead=1):
        self._read = read
        self._items = list(items)
        self._results = queue.Queue(maxsize=max(1, ahead))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="oletv-read-ahead", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        while self._thread.is_alive():  # unblock a reader waiting on a full queue
            self._drain()
        self._thread.join()
        return False

    def _drain(self):
        try:
            self._results.get(timeout=0.05)
        except queue.Empty:
            return False
        return True

    def _run(self):
        for item in self._items:
            if self._stop.is_set():
                break
            try:
                result = (item, self._read(item), None)
            except Exception as exc:  # handed to the consumer, who decides
                result = (item, None, exc)
            self._put(result)
        self._put((_DONE, None, None))

    def _put(self, result):
        while not self._stop.is_set():
            try:
                self._results.put(result, timeout=0.05)
                return
            except queue.Full:
                continue

    def __iter__(self):
        while True:
            item, value, error = self._results.get()
            if item is _DONE:
                return
            yield item, value, error
