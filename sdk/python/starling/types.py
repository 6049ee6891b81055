"""Python type hints as Starling's literal types, and Python values as literals.

int, float, str, bool, bytes, datetime.datetime, datetime.timedelta, List[T] (or list[T]),
Dict[str, T] (or dict[str, T]), dict (a free-form struct) and dataclasses (structs of their
fields) map; anything else is refused with a TypeError naming where it was found.
"""

import base64
import dataclasses
import datetime
import json
import typing

from google.protobuf import struct_pb2, timestamp_pb2, duration_pb2, json_format

from starling import _gen  # noqa: F401  (makes the stubs)
from starling.core import literals_pb2, types_pb2

_SIMPLE = {
    int: types_pb2.INTEGER,
    float: types_pb2.FLOAT,
    str: types_pb2.STRING,
    bool: types_pb2.BOOLEAN,
    bytes: types_pb2.BINARY,
    datetime.datetime: types_pb2.DATETIME,
    datetime.timedelta: types_pb2.DURATION,
    dict: types_pb2.STRUCT,
}


def literal_type(hint, where):
    """The LiteralType of a type hint; TypeError naming ``where`` when there is none."""
    if hint in _SIMPLE:
        return types_pb2.LiteralType(simple=_SIMPLE[hint])
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        for field in dataclasses.fields(hint):
            literal_type(field.type, where + "." + field.name)
        return types_pb2.LiteralType(simple=types_pb2.STRUCT)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is list and len(args) == 1:
        return types_pb2.LiteralType(collection_type=literal_type(args[0], where + "[]"))
    if origin is dict and len(args) == 2:
        if args[0] is not str:
            raise TypeError(f"{where}: dictionary keys must be str, got {_name(args[0])}")
        return types_pb2.LiteralType(map_value_type=literal_type(args[1], where + "[]"))
    raise TypeError(f"{where}: type {_name(hint)} has no Starling literal type (use int, float,"
                    " str, bool, bytes, datetime, timedelta, List[T], Dict[str, T], dict or a"
                    " dataclass)")


def _name(hint):
    return getattr(hint, "__name__", None) or repr(hint)


def to_literal(value, hint):
    """The Literal of ``value`` read as ``hint``."""
    if value is None:
        return literals_pb2.Literal(none=literals_pb2.NoneValue())
    if hint is bool:
        return literals_pb2.Literal(boolean=bool(value))
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected an int, got {value!r}")
        return literals_pb2.Literal(integer=value)
    if hint is float:
        return literals_pb2.Literal(float_value=float(value))
    if hint is str:
        if not isinstance(value, str):
            raise TypeError(f"expected a str, got {value!r}")
        return literals_pb2.Literal(string_value=value)
    if hint is bytes:
        return literals_pb2.Literal(binary=bytes(value))
    if hint is datetime.datetime:
        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(value if value.tzinfo is None
                           else value.astimezone(datetime.timezone.utc).replace(tzinfo=None))
        return literals_pb2.Literal(datetime=stamp)
    if hint is datetime.timedelta:
        span = duration_pb2.Duration()
        span.FromTimedelta(value)
        return literals_pb2.Literal(duration=span)
    if hint is dict or (dataclasses.is_dataclass(hint) and isinstance(hint, type)):
        fields = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else dict(value)
        struct = struct_pb2.Struct()
        struct.update(_jsonable(fields))
        return literals_pb2.Literal(struct=struct)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is list:
        return literals_pb2.Literal(collection=literals_pb2.LiteralCollection(
            literals=[to_literal(item, args[0]) for item in value]))
    if origin is dict:
        return literals_pb2.Literal(map=literals_pb2.LiteralMap(
            literals={key: to_literal(item, args[1]) for key, item in value.items()}))
    raise TypeError(f"type {_name(hint)} has no Starling literal type")


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.timedelta, bytes)):
        raise TypeError(f"a struct holds JSON values only, got {value!r}")
    return value


def from_literal(literal, hint):
    """The Python value of ``literal`` as ``hint``."""
    kind = literal.WhichOneof("value")
    if kind == "none" or kind is None:
        return None
    if kind == "integer":
        return float(literal.integer) if hint is float else literal.integer
    if kind == "float_value":
        return literal.float_value
    if kind == "string_value":
        return literal.string_value
    if kind == "boolean":
        return literal.boolean
    if kind == "binary":
        return literal.binary
    if kind == "datetime":
        return literal.datetime.ToDatetime().replace(tzinfo=datetime.timezone.utc)
    if kind == "duration":
        return literal.duration.ToTimedelta()
    if kind == "struct":
        fields = json_format.MessageToDict(literal.struct)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return hint(**fields)
        return fields
    args = typing.get_args(hint)
    if kind == "collection":
        item = args[0] if args else None
        return [from_literal(lit, item) for lit in literal.collection.literals]
    if kind == "map":
        item = args[1] if len(args) == 2 else None
        return {key: from_literal(lit, item) for key, lit in literal.map.literals.items()}
    if kind == "blob":
        return literal.blob.uri
    raise TypeError(f"cannot read a literal of kind {kind}")


def from_json(text, hint, where):
    """A value of ``hint`` from its JSON text (a command line's input), as the Java CLI reads it:
    datetimes as RFC 3339 strings, durations as seconds ("1.5s"), bytes as base64."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        if hint is str:
            return text
        raise ValueError(f"{where}: {text!r} is not JSON")
    return _from_json(value, hint, where)


def _from_json(value, hint, where):
    if hint is datetime.datetime:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if hint is datetime.timedelta:
        return datetime.timedelta(seconds=float(str(value).rstrip("s")))
    if hint is bytes:
        return base64.b64decode(value)
    if hint is float and isinstance(value, int):
        return float(value)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is list:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a JSON array, got {value!r}")
        return [_from_json(v, args[0], where) for v in value]
    if origin is dict:
        return {k: _from_json(v, args[1], where) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return hint(**value)
    return value


def to_json(value):
    """A value as JSON text for printing."""
    def default(v):
        if isinstance(v, datetime.datetime):
            return v.isoformat()
        if isinstance(v, datetime.timedelta):
            return f"{v.total_seconds()}s"
        if isinstance(v, bytes):
            return base64.b64encode(v).decode()
        if dataclasses.is_dataclass(v):
            return dataclasses.asdict(v)
        return str(v)
    return json.dumps(value, default=default)
