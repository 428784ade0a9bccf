"""One typed schema per API endpoint (pydantic): every field's type, range and default live
in the schema, and the 400 messages are written from those same rules.

pydantic rather than Django forms: JSON bodies need real types (a list of numbers, an
optional seed, NaN refused), strict checking that "12" is not a number in JSON, and
forbidden unknown fields, all of which forms would need by hand."""
import json
import re
import types
import typing
from dataclasses import dataclass

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationError

from jobs.errors import UserInputError

FORM_ONLY_FIELDS = {"csrfmiddlewaretoken"}  # sent by HTML forms, not part of any request
_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]{1,19}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})")


@dataclass(frozen=True)
class Rule:
    """What a text field must hold, in words, where its constraints cannot say it."""
    text: str


class ApiRequest(BaseModel):
    """Strict: a JSON number must be a number, not numeric text; NaN and infinities are refused."""
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True, frozen=True)


def field_rule(schema: type[ApiRequest], name: str) -> str:
    info = schema.model_fields[name]
    return _describe(info.annotation, info.metadata)


def _describe(annotation, metadata=()) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _describe(args[0], [*metadata, *_flatten(args[1:])])
    words = next((m.text for m in metadata if isinstance(m, Rule)), None)
    if words:
        return words
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return " or ".join(_describe(a, metadata) for a in options)  # None: the field may be left out
    if origin is typing.Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin is list:
        most = next((m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), None)
        count = f"of at most {most} items" if most is not None else "of items"
        return f"a list {count}, each {_describe(args[0])}"
    if annotation is bool:
        return "true or false"
    if annotation in (int, float):
        low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
        noun = "a whole number" if annotation is int else "a number"
        if low is not None and high is not None:
            return f"{noun} from {_number(low)} to {_number(high)}"
        return (noun + (f" of at least {_number(low)}" if low is not None else "")
                + (f" of at most {_number(high)}" if high is not None else ""))
    return "text"


def _number(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def _flatten(items) -> list:
    """Annotated metadata: FieldInfo objects carry their constraints in .metadata."""
    out = []
    for item in items:
        out.extend(getattr(item, "metadata", None) or [item])
    return out


def request_validate(schema: type[ApiRequest], data: dict) -> ApiRequest:
    """-> the validated request, or UserInputError with one sentence per wrong field."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise UserInputError(_messages(schema, error.errors())) from None


def _messages(schema: type[ApiRequest], errors: list[dict]) -> str:
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    messages = []
    if unknown:
        names = ", ".join(repr(printable(n)) for n in unknown)
        messages.append(f"unknown field{'s' if len(unknown) > 1 else ''} {names}; "
                        f"the fields are: {', '.join(schema.model_fields)}")
    seen = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            continue
        name = str(e["loc"][0]) if e["loc"] else ""  # no field: a rule across fields
        if name in seen:
            continue
        seen.add(name)
        if e["type"] == "value_error":
            messages.append(str(e["ctx"]["error"]))
        elif e["type"] == "missing":
            messages.append(f"{name} is required: {field_rule(schema, name)}")
        else:
            messages.append(f"{name} must be {field_rule(schema, name)}")
    return "; ".join(messages)


def printable(text: str, limit: int = 40) -> str:
    """A visitor's text as quoted back in a message: at most `limit` characters."""
    return text if len(text) <= limit else text[:limit] + "..."


def json_fields(body: bytes) -> dict:
    """A JSON object body -> dict. Duplicate keys, NaN/Infinity literals and numbers too
    long to be a number are refused."""
    def pairs(items):
        keys = [k for k, _ in items]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise UserInputError(f"field {printable(twice[0])!r} appears more than once in the JSON body")
        return dict(items)

    def constant(name):
        raise UserInputError(f"{name} is not a JSON number; send a finite number")

    try:
        data = json.loads((body or b"{}").decode("utf-8"), object_pairs_hook=pairs, parse_constant=constant)
    except UserInputError:
        raise
    except (ValueError, RecursionError):  # also UnicodeDecodeError and over-long integers
        raise UserInputError("the body is not valid JSON (UTF-8 encoded)") from None
    if not isinstance(data, dict):
        raise UserInputError("the JSON body must be an object of fields")
    return data


def form_fields(form, schema: type[ApiRequest]) -> dict:
    """Form fields (a QueryDict) -> dict: a list field is a repeated field; any other field
    may appear once; an empty value means not given; numbers are plain decimal text."""
    data = {}
    for name in form:
        if name in FORM_ONLY_FIELDS:
            continue
        values = [v for v in form.getlist(name) if v != ""]
        info = schema.model_fields.get(name)
        if info is None:
            data[name] = values  # unknown: the schema names it
            continue
        target = _base(info.annotation)
        if typing.get_origin(target) is list:
            data[name] = [_from_text(v, _base(typing.get_args(target)[0])) for v in values]
        elif len(values) > 1:
            raise UserInputError(f"{name} was sent {len(values)} times; send it once")
        elif values:
            data[name] = _from_text(values[0], target)
    return data


def _base(annotation):
    """The plain type under Annotated[...] and Optional[...]."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return _base(next(a for a in typing.get_args(annotation) if a is not type(None)))
    return annotation


def _from_text(text: str, target):
    if typing.get_origin(target) is typing.Literal and all(isinstance(a, int) for a in typing.get_args(target)):
        target = int
    if target is int and _WHOLE.fullmatch(text):
        return int(text)
    if target is float and _DECIMAL.fullmatch(text):
        return float(text)
    return text  # left as text: the strict schema refuses it with the field's rule
