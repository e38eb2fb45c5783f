"""ReadAhead (oletv_integration/core/read_ahead.py), with plain pytest: reads run
one at a time in a thread, at most `ahead` before the consumer, in order,
errors handed over, and the next read runs while the consumer works."""
import threading
import time

from pure_addon import load

ReadAhead = load("read_ahead").ReadAhead


class Recorder:
    def __init__(self, delay=0.0, fail=()):
        self.delay, self.fail = delay, set(fail)
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        self.started = []
        self.threads = set()

    def __call__(self, item):
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.started.append(item)
            self.threads.add(threading.get_ident())
        time.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
        if item in self.fail:
            raise ValueError("read %s failed" % item)
        return item * 10


def test_values_in_order_one_read_at_a_time_off_the_caller_thread():
    read = Recorder(delay=0.01)
    with ReadAhead(read, range(6)) as reads:
        got = [(item, value, error) for item, value, error in reads]
    assert got == [(item, item * 10, None) for item in range(6)]
    assert read.max_in_flight == 1
    assert read.threads and threading.get_ident() not in read.threads


def test_an_error_is_handed_over_and_the_next_reads_go_on():
    read = Recorder(fail={2})
    with ReadAhead(read, range(4)) as reads:
        got = list(reads)
    assert [item for item, _value, _error in got] == [0, 1, 2, 3]
    assert isinstance(got[2][2], ValueError) and got[2][1] is None
    assert got[3] == (3, 30, None)


def test_never_more_than_ahead_reads_before_the_consumer():
    read = Recorder()
    with ReadAhead(read, range(10), ahead=1) as reads:
        for index, _result in enumerate(reads):
            time.sleep(0.02)  # the reader waits for the consumer meanwhile
            # taken: `index + 1`; one waiting in the queue, one read blocked on it
            assert len(read.started) <= index + 3


def test_the_next_read_runs_while_the_consumer_works():
    read = Recorder(delay=0.01)
    with ReadAhead(read, range(5)) as reads:
        for item, _value, _error in reads:
            if item < 4:  # still holding `item`: the read of the next one starts meanwhile
                deadline = time.monotonic() + 5
                while item + 1 not in read.started and time.monotonic() < deadline:
                    time.sleep(0.005)
                assert item + 1 in read.started


def test_leaving_early_stops_the_reader():
    read = Recorder(delay=0.01)
    with ReadAhead(read, range(100)) as reads:
        for item, _value, _error in reads:
            if item == 2:
                break
    assert len(read.started) <= 5
    assert not [thread for thread in threading.enumerate() if thread.name == "oletv-read-ahead"]
