"""HTTP exchanges checked against docs/oletv-api.yaml with openapi-core.

openapi-core does not run on CPython 3.7: this module is imported only in
the CPython 3.12 venv (.local/py312), by tests/openapi/ and, when
OLETV_OPENAPI_VALIDATE=1, by tests/conftest.py to check every exchange of the
client and of the sandbox's admin helper with the live sandbox.
"""
import os

import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

DOC_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "docs", "oletv-api.yaml")

_OPENAPI = None
_DOC = None


def openapi():
    """The OpenAPI document as openapi-core's validator (built once)."""
    global _OPENAPI
    if _OPENAPI is None:
        _OPENAPI = OpenAPI.from_file_path(DOC_PATH)
    return _OPENAPI


def document():
    """The OpenAPI document as plain data."""
    global _DOC
    if _DOC is None:
        with open(DOC_PATH) as handle:
            _DOC = yaml.safe_load(handle)
    return _DOC


def _problem(error):
    """One readable line for an openapi-core validation error and its causes."""
    parts = []
    while error is not None:
        try:
            parts.append("{}: {}".format(type(error).__name__, error))
        except Exception:  # some errors cannot print undecodable bodies
            parts.append(type(error).__name__)
        error = error.__cause__
    return " <- ".join(parts)


def request_problems(prepared_request):
    """Problems of a sent request (requests' PreparedRequest); [] if valid."""
    try:
        openapi().validate_request(RequestsOpenAPIRequest(prepared_request))
    except Exception as error:  # openapi-core raises one of many error classes
        return [_problem(error)]
    return []


def response_problems(response):
    """Problems of a requests Response against the operation of its request.

    An undocumented status code, a body that does not match the documented
    schema or a missing documented header are all problems."""
    try:
        openapi().validate_response(RequestsOpenAPIRequest(response.request),
                                    RequestsOpenAPIResponse(response))
    except Exception as error:
        return [_problem(error)]
    return []


class Exchange:
    """One request/response pair seen on a session, with its problems."""

    def __init__(self, response):
        self.method = response.request.method
        self.url = response.request.url
        self.status = response.status_code
        self.request_problems = request_problems(response.request)
        self.response_problems = response_problems(response)

    def __repr__(self):
        return "{} {} -> {}: request {} response {}".format(
            self.method, self.url, self.status, self.request_problems or "ok",
            self.response_problems or "ok")


class ExchangeLog(list):
    """A requests response hook that validates every exchange it sees."""

    def hook(self, response, *args, **kwargs):
        self.append(Exchange(response))
        return response

    def attach(self, session):
        session.hooks["response"].append(self.hook)
        return session

    def response_failures(self):
        return [exchange for exchange in self if exchange.response_problems]

    def request_failures(self):
        return [exchange for exchange in self if exchange.request_problems]
