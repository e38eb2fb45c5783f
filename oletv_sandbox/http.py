"""Small HTTP helpers shared by the sandbox handlers."""
import json

from werkzeug.wrappers import Response

from .rules import ApiError


def json_response(payload, status=200, headers=None):
    return json_text_response(json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                              status, headers)


def json_text_response(body, status=200, headers=None):
    """A response of JSON already written (`body`, text)."""
    return Response(body, status=status, headers=headers,
                    content_type="application/json; charset=utf-8")


def empty_response(status=204):
    return Response(b"", status=status)


def error_response(error):
    return json_response(error.payload(), status=error.status, headers=error.headers)


def read_json(request):
    """Decode the request body; malformed JSON is a 422 ``malformed_json``."""
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(422, "malformed_json", "The request body is not valid JSON.",
                       {"body": str(exc)})


def not_found(what="Subscriber", key=None):
    message = "{} {} not found.".format(what, key) if key else "{} not found.".format(what)
    return ApiError(404, "not_found", message)
