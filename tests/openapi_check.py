"""Minimal validator of JSON documents against docs/oletv-api.yaml schemas.

Supports the subset the document uses: $ref, allOf (merged: properties and
required are united; ``additionalProperties: false`` of any part applies to the
union), type, nullable, enum, required, properties, additionalProperties,
items, pattern, minimum, maximum, maxLength and format date-time.
"""
import os
import re

import yaml

DOC_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "docs", "oletv-api.yaml")
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
         "integer": int, "number": (int, float)}

_DOC = None


def document():
    global _DOC
    if _DOC is None:
        with open(DOC_PATH) as handle:
            _DOC = yaml.safe_load(handle)
    return _DOC


def resolve(schema):
    while "$ref" in schema:
        node = document()
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    if "allOf" in schema:
        schema = _merge([resolve(part) for part in schema["allOf"]])
    return schema


def _merge(parts):
    merged = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        merged["properties"].update(part.get("properties", {}))
        merged["required"] += part.get("required", [])
        if part.get("additionalProperties") is False:
            merged["additionalProperties"] = False
    return merged


def _type_ok(value, expected):
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    return isinstance(value, TYPES[expected])


def _check_scalar(value, schema, path, errors):
    if "enum" in schema and value not in schema["enum"]:
        errors.append("{}: {!r} not in {}".format(path, value, schema["enum"]))
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append("{}: {!r} does not match {}".format(path, value, schema["pattern"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append("{}: too long".format(path))
        if schema.get("format") == "date-time" and not DATE_TIME_RE.match(value):
            errors.append("{}: {!r} is not a date-time".format(path, value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append("{}: below minimum".format(path))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append("{}: above maximum".format(path))


def _check_object(value, schema, path, errors):
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            errors.append("{}: missing required {!r}".format(path, key))
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in props:
            validate(item, props[key], "{}.{}".format(path, key), errors)
        elif extra is False:
            errors.append("{}: unexpected property {!r}".format(path, key))
        elif isinstance(extra, dict):
            validate(item, extra, "{}.{}".format(path, key), errors)


def validate(value, schema, path="$", errors=None):
    """Return the list of problems of ``value`` against ``schema``."""
    errors = [] if errors is None else errors
    schema = resolve(schema)
    if value is None:
        if not schema.get("nullable"):
            errors.append("{}: null not allowed".format(path))
        return errors
    expected = schema.get("type")
    if expected and not _type_ok(value, expected):
        errors.append("{}: expected {}, got {}".format(path, expected, type(value).__name__))
        return errors
    _check_scalar(value, schema, path, errors)
    if isinstance(value, dict):
        _check_object(value, schema, path, errors)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], "{}[{}]".format(path, index), errors)
    return errors


def response_schema(path, method, status):
    """Schema documented for ``method path`` answering ``status`` (KeyError if not)."""
    responses = document()["paths"][path][method.lower()]["responses"]
    response = resolve(responses[str(status)])
    return response["content"]["application/json"]["schema"]


def assert_conforms(response, path, method):
    """Assert an HTTP response is documented and its JSON matches the schema."""
    documented = document()["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in documented, \
        "HTTP {} not documented for {} {}".format(response.status_code, method, path)
    if response.status_code == 204:
        assert response.content == b""
        return
    problems = validate(response.json(), response_schema(path, method, response.status_code))
    assert not problems, problems
