"""`tensorflow.python.util.compat`: bytes/text conversions and numeric type tuples."""

import numbers
import os

import numpy as np


def as_bytes(bytes_or_text, encoding="utf-8"):
    """UTF-8 (or `encoding`) bytes of a str; bytes unchanged."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError("Expected binary or unicode string, got %r" % (bytes_or_text,))


def as_text(bytes_or_text, encoding="utf-8"):
    """A str from bytes (decoded) or str (unchanged)."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError("Expected binary or unicode string, got %r" % bytes_or_text)


as_str = as_text
as_bytes_or_str = as_text


def as_str_any(value):
    return as_str(value) if isinstance(value, bytes) else str(value)


def path_to_str(path):
    return os.fspath(path) if isinstance(path, os.PathLike) else path


def path_to_bytes(path):
    return as_bytes(path_to_str(path))


integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)
