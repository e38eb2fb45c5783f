"""An answer's size cap and the total deadline for receiving its body
(a slow-dripping or endless answer must not hold a call)."""
import http.server
import json
import threading
import time

import pytest

from conftest import BASE_URL, LOGIN, PASSWORD, TOKEN
from oletv_client import (InvalidResponseError, OleTVClient, PlatformTimeoutError,
                          ResponseTooLargeError)
from oletv_client import body as oletv_body

V1 = BASE_URL + "/v1"
PING = {"status": "ok", "client_ip": "127.0.0.1", "environment": "homologation"}
CAP = 1000
READ_TIMEOUT = 0.5
DRIP_PAUSE = 0.05  # far below the read timeout: no single socket read times out


def padded_json(payload, size):
    """``payload`` as JSON of exactly ``size`` bytes (trailing spaces)."""
    text = json.dumps(payload).encode("ascii")
    return text + b" " * (size - len(text))


def limited_client(url, records, **options):
    return OleTVClient(url, TOKEN, LOGIN, PASSWORD, backoff=0, call_observer=records.observe,
                       **options)


# -- the size cap, against ``responses`` (no Content-Length unless given) --------


def test_a_body_at_the_cap_is_accepted(api, records):
    api.add("GET", V1 + "/ping", body=padded_json(PING, CAP))
    client = limited_client(BASE_URL, records, max_response_bytes=CAP)
    assert client.check_connection().environment == "homologation"
    assert records[0].response_body.startswith('{"status": "ok"')


def test_a_body_over_the_cap_is_refused_not_retried_and_recorded(api, records):
    api.add("GET", V1 + "/ping", body=padded_json(PING, CAP + 1))
    client = limited_client(BASE_URL, records, max_response_bytes=CAP)
    with pytest.raises(ResponseTooLargeError) as info:
        client.check_connection()
    assert isinstance(info.value, InvalidResponseError)
    assert "larger than the client's limit of 1000 bytes" in str(info.value)
    assert len(api.calls) == 1
    (record,) = records
    assert (record.status_code, record.response_body, record.attempt) == (200, None, 1)
    assert record.error.startswith("ResponseTooLargeError: ")


def test_an_announced_length_over_the_cap_is_refused(api, records):
    api.add("GET", V1 + "/ping", body=json.dumps(PING),
            headers={"Content-Length": str(CAP + 1)})
    client = limited_client(BASE_URL, records, max_response_bytes=CAP)
    with pytest.raises(ResponseTooLargeError) as info:
        client.check_connection()
    assert "announces 1001 bytes, more than the client's limit of 1000" in str(info.value)
    assert "ResponseTooLargeError" in records[0].error


def test_the_default_cap_is_ten_megabytes(api, records):
    limit = 10 * 1024 * 1024
    api.add("GET", V1 + "/ping", body=padded_json(PING, limit))
    api.add("GET", V1 + "/ping", body=padded_json(PING, limit + 1))
    client = limited_client(BASE_URL, records)
    assert client.check_connection().environment == "homologation"
    with pytest.raises(ResponseTooLargeError):
        client.check_connection()


def test_the_refusal_names_no_secret(api, records):
    api.add("POST", V1 + "/subscribers/OLE-1/block", status=500,
            body=(TOKEN + PASSWORD) * 100)
    client = limited_client(BASE_URL, records, max_response_bytes=CAP)
    with pytest.raises(ResponseTooLargeError) as info:
        client.block_subscriber("OLE-1")
    for text in (str(info.value), repr(info.value), records[0].error):
        assert TOKEN not in text and PASSWORD not in text
    assert info.value.status_code == 500


# -- against a real HTTP server on 127.0.0.1 ----------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        answer = self.server.answers.pop(0) if self.server.answers else answer_ping
        self.server.requests += 1
        try:
            answer(self)
        except OSError:  # the client hung up
            self.close_connection = True

    def start(self, length=None):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()

    def send_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


def answer_ping(handler):
    body = json.dumps(PING).encode("ascii")
    handler.start(len(body))
    handler.wfile.write(body)


def drip(chunked):
    """A valid ping answer (100 bytes) sent one byte at a time: 5 s in all."""
    def answer(handler):
        body = padded_json(PING, 100)
        handler.start(None if chunked else len(body))
        for byte in body:
            time.sleep(DRIP_PAUSE)
            if chunked:
                handler.send_chunk(bytes([byte]))
            else:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
        if chunked:
            handler.send_chunk(b"")
    return answer


def announce_huge(handler):
    """Headers announcing 1 GB, then silence until the client hangs up."""
    handler.start(1024 ** 3)
    handler.connection.settimeout(10)
    handler.rfile.read(1)
    handler.close_connection = True


def endless_chunks(handler):
    """A chunked body that never ends (16 kB chunks, up to 64 MB)."""
    handler.start(None)
    for _index in range(4096):
        handler.send_chunk(b" " * 16384)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.answers, httpd.requests = [], 0
    httpd.url = "http://127.0.0.1:{}".format(httpd.server_port)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.mark.parametrize("chunked, watchdog", [(True, True), (False, True), (True, False)],
                         ids=["chunked", "content-length", "chunked-between-chunks-only"])
def test_a_dripping_answer_times_out_at_the_read_timeout_and_is_retried(
        server, records, monkeypatch, chunked, watchdog):
    """A chunk of a body with a Content-Length is one read that only the
    watchdog can end; the chunks of a chunked body are checked one by one."""
    if not watchdog:
        monkeypatch.setattr(oletv_body, "_socket", lambda response: None)
    server.answers[:] = [drip(chunked), drip(chunked)]
    client = limited_client(server.url, records, timeout=(1, READ_TIMEOUT), read_retries=1)
    started = time.monotonic()
    with pytest.raises(PlatformTimeoutError) as info:
        client.check_connection()
    elapsed = time.monotonic() - started
    assert elapsed < 4 * READ_TIMEOUT  # two attempts of 0.5 s, not 2 x 5 s of drip
    assert "not received within 0.5 s" in str(info.value)
    assert server.requests == 2
    assert [(r.attempt, r.status_code, r.response_body) for r in records] == [
        (1, 200, None), (2, 200, None)]
    assert all(r.error.startswith("ReadTimeout: ") for r in records)
    assert client.check_connection().environment == "homologation"  # the client still works


def test_an_announced_length_over_the_cap_is_refused_before_reading(server, records):
    server.answers[:] = [announce_huge]
    client = limited_client(server.url, records, timeout=(1, 5), read_retries=0,
                            max_response_bytes=CAP)
    started = time.monotonic()
    with pytest.raises(ResponseTooLargeError) as info:
        client.check_connection()
    assert time.monotonic() - started < 1  # the silent body was not waited for
    assert "announces 1073741824 bytes" in str(info.value)
    assert client.check_connection().environment == "homologation"


def test_an_endless_chunked_answer_is_refused_at_the_cap(server, records):
    server.answers[:] = [endless_chunks]
    client = limited_client(server.url, records, timeout=(1, 5), read_retries=0,
                            max_response_bytes=100 * 1024)
    with pytest.raises(ResponseTooLargeError) as info:
        client.check_connection()
    assert "larger than the client's limit of 102400 bytes" in str(info.value)
    assert client.check_connection().environment == "homologation"
