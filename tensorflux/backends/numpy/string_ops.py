"""numpy kernels for the string ops (ops/string_ops.py); values are object arrays of bytes."""

import base64
import binascii
import re

import numpy as np

from tensorflux import errors
from tensorflux.graph import dtypes
from tensorflux.ops.registry import kernel


def as_bytes(s):
    """A fed Python `str` is its UTF-8 bytes, as in TF."""
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _strings(x):
    x = np.asarray(x, dtype=object)
    out = np.empty(x.shape, dtype=object)
    for i, s in np.ndenumerate(x):
        out[i] = as_bytes(s)
    return out


def _map(fn, x, out_dtype=object):
    """`fn` applied to every string of `x`; a result array of `out_dtype`, shaped like `x`."""
    x = _strings(x)
    out = np.empty(x.shape, dtype=out_dtype)
    for i, s in np.ndenumerate(x):
        out[i] = fn(s)
    return out


# --- formatting ----------------------------------------------------------------------------------
def _printf_format(attrs, dtype):
    fill, width, precision = attrs["fill"], attrs["width"], attrs["precision"]
    scientific, shortest = attrs["scientific"], attrs["shortest"]
    is_float = dtype.is_floating or dtype.is_complex
    if scientific and shortest:
        raise ValueError("Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise ValueError("Fill string must be one or fewer characters")
    if not is_float and (scientific or shortest):
        raise ValueError("scientific and shortest format not supported for datatype %s"
                         % dtype.name)
    if not is_float and precision > -1:
        raise ValueError("precision not supported for datatype %s" % dtype.name)
    fmt = "%"
    if fill:
        if fill not in " +-0#":
            raise ValueError('Fill argument not supported: "%s"' % fill)
        fmt += fill
    if width > -1:
        fmt += "%d" % width
    if precision > -1:
        fmt += ".%d" % precision
    if is_float:
        return fmt + ("g" if shortest else "e" if scientific else "f")
    return fmt + "d"


@kernel("AsString")
def _as_string(op):
    attrs, dtype = op._attrs, dtypes.as_dtype(op._attrs["T"])

    def run(x):
        x = np.asarray(x)
        out = np.empty(x.shape, dtype=object)
        if dtype == dtypes.bool:
            for i, v in np.ndenumerate(x):
                out[i] = b"true" if v else b"false"
            return out
        if dtype == dtypes.string:
            return _strings(x)
        fmt = _printf_format(attrs, dtype)
        for i, v in np.ndenumerate(x):
            if dtype.is_complex:
                s = "(%s,%s)" % (fmt % float(v.real), fmt % float(v.imag))
            elif dtype.is_floating and not np.isfinite(v):
                s = fmt.replace("%0", "%") % float(v)  # C pads inf and nan with spaces
            else:
                s = fmt % (float(v) if dtype.is_floating else int(v))
            out[i] = s.encode("ascii")
        return out
    return run


@kernel("ReduceJoin")
def _reduce_join(op):
    keep_dims, sep = op._attrs["keep_dims"], as_bytes(op._attrs["separator"])

    def run(x, axes):
        x = _strings(x)
        rank = x.ndim
        norm = []
        for a in np.asarray(axes).ravel().tolist():
            if not -rank <= a < rank:
                raise errors.OutOfRangeError(
                    None, None, "Invalid reduction dimension %d for input with %d dimension(s)"
                    % (a, rank))
            a = a % rank if rank else a
            if a in norm:
                raise ValueError("Duplicate reduction dimension %d" % a)
            norm.append(a)
        kept = [i for i in range(rank) if i not in norm]
        # The last listed axis varies slowest: TF joins [[a, b], [c, d]] over [0, 1] as "acbd".
        y = np.transpose(x, kept + norm[::-1]).reshape([x.shape[i] for i in kept] + [-1])
        out = np.empty(y.shape[:-1], dtype=object)
        for i in np.ndindex(out.shape):
            out[i] = sep.join(y[i])
        if keep_dims:
            out = out.reshape([1 if i in norm else d for i, d in enumerate(x.shape)])
        return out
    return run


# --- regular expressions -------------------------------------------------------------------------
# RE2 (TF's engine) matches UTF-8 text by character with ASCII-only \d \w \s: Python's `re` on the
# decoded text with re.ASCII. Invalid UTF-8 bytes survive the round trip as surrogates.
def _text(s):
    return as_bytes(s).decode("utf-8", "surrogateescape")


def _utf8(t):
    return t.encode("utf-8", "surrogateescape")


def _compile(pattern):
    try:
        return re.compile(_text(pattern), re.ASCII)
    except re.error as e:
        raise ValueError("Invalid pattern: %s, error: %s" % (_text(pattern), e)) from None


def _rewriter(rewrite):
    """RE2's rewrite string: `\\0`..`\\9` name groups, `\\\\` is a backslash; nothing else."""
    parts, i = [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c == "\\" and i + 1 < len(rewrite) and (rewrite[i + 1] in "0123456789"
                                                    or rewrite[i + 1] == "\\"):
            parts.append(int(rewrite[i + 1]) if rewrite[i + 1] in "0123456789" else "\\")
            i += 2
        elif c == "\\":
            raise ValueError("Invalid rewrite pattern: %s" % rewrite)
        else:
            parts.append(c)
            i += 1
    return lambda m: "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)


def _replace(regex, repl, text, replace_global):
    """RE2's Replace / GlobalReplace: no empty match right where the previous match ended."""
    out, last = [], None
    pos = 0
    for m in regex.finditer(text):
        if m.start() == m.end() and m.start() == last:
            continue
        out.append(text[pos:m.start()])
        out.append(repl(m))
        pos = last = m.end()
        if not replace_global:
            break
    out.append(text[pos:])
    return "".join(out)


@kernel("RegexReplace")
def _regex_replace(op):
    replace_global = op._attrs["replace_global"]

    def run(x, pattern, rewrite):
        regex, repl = _compile(pattern[()]), _rewriter(_text(rewrite[()]))
        return _map(lambda s: _utf8(_replace(regex, repl, _text(s), replace_global)), x)
    return run


@kernel("RegexFullMatch")
def _regex_full_match(op):
    def run(x, pattern):
        regex = _compile(pattern[()])
        return _map(lambda s: regex.fullmatch(_text(s)) is not None, x, bool)
    return run


# --- splitting -----------------------------------------------------------------------------------
def _sparse_tokens(rows):
    """[tokens per row] -> (indices, values, dense shape) of a SparseTensor."""
    indices = [[r, j] for r, toks in enumerate(rows) for j in range(len(toks))]
    values = np.empty(len(indices), dtype=object)
    values[:] = [t for toks in rows for t in toks]
    width = max((len(t) for t in rows), default=0)
    return [np.asarray(indices, np.int64).reshape(-1, 2), values,
            np.asarray([len(rows), width], np.int64)]


def _check_vector(x):
    if x.ndim != 1:
        raise ValueError("input must be a vector, got shape: %s" % list(x.shape))


@kernel("StringSplit")
def _string_split(op):
    skip_empty = op._attrs["skip_empty"]

    def run(x, delimiter):
        x, delimiter = _strings(x), as_bytes(delimiter[()])
        _check_vector(x)
        rows = []
        for s in x:
            if not s:
                toks = []  # an empty string has no tokens, even when empty ones are kept
            elif not delimiter:
                toks = [s[i:i + 1] for i in range(len(s))]
            else:
                toks = re.split(b"[" + re.escape(delimiter) + b"]", s)
            rows.append([t for t in toks if t or not skip_empty])
        return _sparse_tokens(rows)
    return run


@kernel("StringSplitV2")
def _string_split_v2(op):
    maxsplit = op._attrs["maxsplit"]

    def run(x, sep):
        x, sep = _strings(x), as_bytes(sep[()])
        _check_vector(x)
        if not sep:
            return _sparse_tokens([_split_whitespace(s, maxsplit) for s in x])
        return _sparse_tokens([s.split(sep, maxsplit if maxsplit > 0 else -1) for s in x])
    return run


_WHITESPACE = b" \t\n\v\f\r"


def _split_whitespace(s, maxsplit):
    """Runs of whitespace separate tokens; once `maxsplit` (> 0) tokens are cut, the rest of
    the string (after whitespace, possibly empty) is the last token, as TF does."""
    toks, text = [], s.lstrip(_WHITESPACE)
    while text and (maxsplit <= 0 or len(toks) < maxsplit):
        token = re.match(rb"[^ \t\n\v\f\r]*", text).group()
        toks.append(token)
        text = text[len(token):].lstrip(_WHITESPACE)
    if 0 < maxsplit == len(toks):
        toks.append(text)
    return toks


@kernel("Substr")
def _substr(op):
    def run(x, pos, length):
        x = _strings(x)
        x, pos, length = np.broadcast_arrays(x, np.asarray(pos), np.asarray(length))
        out = np.empty(x.shape, dtype=object)
        for n, i in enumerate(np.ndindex(x.shape)):
            s, p, k = x[i], int(pos[i]), int(length[i])
            if not -len(s) <= p <= len(s):
                raise ValueError("pos %d out of range for string b'%s' at index %d"
                                 % (p, s.decode("utf-8", "replace"), n))
            p = p + len(s) if p < 0 else p
            out[i] = s[p:p + max(k, 0)]
        return out
    return run


# --- per-string transforms -----------------------------------------------------------------------
@kernel("StringLength")
def _string_length(op):
    utf8 = op._attrs["unit"] == "UTF8_CHAR"

    def count(s):
        return sum(1 for b in s if (b & 0xC0) != 0x80) if utf8 else len(s)
    return lambda x: _map(count, x, np.int32)


def _case_kernel(ascii_fn, unicode_fn):
    def builder(op):
        encoding = op._attrs["encoding"].lower().replace("-", "")
        if encoding == "utf8":
            return lambda x: _map(lambda s: unicode_fn(s.decode("utf-8")).encode("utf-8"), x)
        return lambda x: _map(ascii_fn, x)
    return builder


kernel("StringLower")(_case_kernel(bytes.lower, str.lower))
kernel("StringUpper")(_case_kernel(bytes.upper, str.upper))


@kernel("StringStrip")
def _string_strip(op):
    return lambda x: _map(lambda s: s.strip(_WHITESPACE), x)


_FLOAT = re.compile(rb"\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)\s*",
                    re.IGNORECASE)
_HEX = re.compile(rb"\s*[+-]?0x[0-9a-f]+\s*", re.IGNORECASE)
_INT = re.compile(rb"\s*[+-]?\d+\s*")


@kernel("StringToNumber")
def _string_to_number(op):
    out_type = dtypes.as_dtype(op._attrs["out_type"])
    np_type = out_type.as_numpy_dtype

    def parse(s):
        bad = ValueError("StringToNumberOp could not correctly convert string: %s"
                         % s.decode("utf-8", "replace"))
        if out_type.is_integer:
            if not _INT.fullmatch(s):
                raise bad
            v = int(s)
            info = np.iinfo(np_type)
            if not info.min <= v <= info.max:
                raise bad
            return v
        if _HEX.fullmatch(s):  # TF's float parser takes hex integers too
            return float(int(s, 16))
        if not _FLOAT.fullmatch(s):
            raise bad
        return float(s)  # out of float32 range: inf, as TF
    return lambda x: _map(parse, x, np_type)


@kernel("StringJoin")
def _string_join(op):
    sep = as_bytes(op._attrs["separator"])

    def run(*xs):
        xs = [_strings(x) for x in xs]
        shapes = {x.shape for x in xs if x.ndim}
        if len(shapes) > 1:
            a, b = sorted(shapes)[:2]
            raise ValueError("Input shapes do not match: %s vs. %s" % (list(a), list(b)))
        shape = shapes.pop() if shapes else ()
        out = np.empty(shape, dtype=object)
        for i in np.ndindex(shape):
            out[i] = sep.join(x[i] if x.ndim else x[()] for x in xs)
        return out
    return run


@kernel("EncodeBase64")
def _encode_base64(op):
    pad = op._attrs["pad"]
    return lambda x: _map(lambda s: base64.urlsafe_b64encode(s) if pad
                          else base64.urlsafe_b64encode(s).rstrip(b"="), x)


@kernel("DecodeBase64")
def _decode_base64(op):
    def decode(s):
        try:
            return base64.urlsafe_b64decode(s.rstrip(b"=") + b"=" * (-len(s.rstrip(b"=")) % 4))
        except (binascii.Error, ValueError):
            raise ValueError("Invalid character found in base64.") from None
    return lambda x: _map(decode, x)
