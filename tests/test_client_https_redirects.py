"""The client refuses plain http when https is required (whatever the
case of the scheme) and never follows a redirect (the token would go along)."""
import pytest
import responses

from conftest import LOGIN, PASSWORD, TOKEN
from oletv_client import ConfigurationError, OleTVClient, OleTVError

PING = {"status": "ok", "client_ip": "127.0.0.1", "environment": "production"}


@pytest.mark.parametrize("url", ["http://oletv.test", "HTTP://oletv.test", "Http://oletv.test/v1",
                                 " http://oletv.test ", "oletv.test", "ftp://oletv.test"])
def test_required_https_refuses_any_other_scheme(url):
    with pytest.raises(ConfigurationError) as raised:
        OleTVClient(url, TOKEN, LOGIN, PASSWORD, require_https=True)
    assert not raised.value.transient
    assert TOKEN not in str(raised.value) and PASSWORD not in str(raised.value)


@pytest.mark.parametrize("url", ["https://oletv.test", "HTTPS://oletv.test/v1"])
def test_required_https_accepts_https(api, url):
    api.add("GET", "https://oletv.test/v1/ping", json=PING)
    with OleTVClient(url, TOKEN, LOGIN, PASSWORD, require_https=True) as client:
        assert client.check_connection().environment == "production"


def test_http_allowed_when_not_required():
    OleTVClient("http://oletv.test", TOKEN, LOGIN, PASSWORD)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_not_followed(status):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        _check_redirect_not_followed(api, status)


def _check_redirect_not_followed(api, status):
    api.add("GET", "https://oletv.test/v1/ping", status=status,
            headers={"Location": "https://elsewhere.test/v1/ping"})
    api.add("GET", "https://elsewhere.test/v1/ping", json=PING)
    client = OleTVClient("https://oletv.test", TOKEN, LOGIN, PASSWORD, backoff=0)
    with pytest.raises(ConfigurationError) as raised:
        client.check_connection()
    assert isinstance(raised.value, OleTVError) and not raised.value.transient
    assert "redirect" in str(raised.value)
    assert [call.request.url for call in api.calls] == ["https://oletv.test/v1/ping"]


def test_environment_proxies_and_ca_bundle_are_read_once_per_client(monkeypatch, tmp_path):
    """The environment's settings are resolved when the client is built; a
    call does not read them (nor ~/.netrc) again."""
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.isp.test:3128")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    session = OleTVClient("https://oletv.test", TOKEN, LOGIN, PASSWORD)._transport.session
    assert session.proxies.get("https") == "http://proxy.isp.test:3128"
    assert session.verify == str(bundle)
    assert session.trust_env is False
