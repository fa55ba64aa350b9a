"""Just enough of the protobuf wire format to read the few small messages Anki packages use.

Anki's current packages keep their media list, and its collections their note-type,
template and deck settings, as protobuf messages. Reading a handful of scalar fields by
hand keeps the import free of a generated-code dependency (the ``anki`` wheel is a test
tool here, not a runtime one) and lets every malformed byte become one clear error.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["ProtobufError", "fields", "first_bytes", "first_int", "first_text", "repeated_bytes"]

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for shift in range(0, 70, 7):
        if pos >= len(buf):
            raise ProtobufError("truncated varint")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
    raise ProtobufError("varint longer than 10 bytes")


def fields(buf: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Every (field number, value) of a message, in order: ints for varints and fixed
    widths, bytes for length-delimited fields (strings, bytes, sub-messages)."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        if wire == _VARINT:
            value, pos = _varint(buf, pos)
            yield number, value
        elif wire == _LENGTH:
            size, pos = _varint(buf, pos)
            if pos + size > len(buf):
                raise ProtobufError("truncated field")
            yield number, buf[pos : pos + size]
            pos += size
        elif wire in (_FIXED64, _FIXED32):
            width = 8 if wire == _FIXED64 else 4
            if pos + width > len(buf):
                raise ProtobufError("truncated field")
            yield number, int.from_bytes(buf[pos : pos + width], "little")
            pos += width
        else:  # groups (3, 4) are long deprecated and never written by Anki
            raise ProtobufError(f"unsupported wire type {wire}")


def first_int(buf: bytes, number: int, default: int = 0) -> int:
    for n, value in fields(buf):
        if n == number and isinstance(value, int):
            return value
    return default


def first_bytes(buf: bytes, number: int) -> bytes | None:
    for n, value in fields(buf):
        if n == number and isinstance(value, bytes):
            return value
    return None


def first_text(buf: bytes, number: int, default: str = "") -> str:
    value = first_bytes(buf, number)
    if value is None:
        return default
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtobufError("text field is not UTF-8") from exc


def repeated_bytes(buf: bytes, number: int) -> list[bytes]:
    return [v for n, v in fields(buf) if n == number and isinstance(v, bytes)]
