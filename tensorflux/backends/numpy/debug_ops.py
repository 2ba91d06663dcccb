"""numpy kernels for debugging ops (ops/debug_ops.py), and TF's value formatting.

`summarize(value, n)` is TF's `Tensor::SummarizeValue(n)` as tf.Print and tf.Assert use it
(`[[1 2 3][4 5...]...]`); `summarize_v2` is the numpy-like form tf.print uses
(`[[1 2 3]\n [4 5 6]]`, `[0 1 ... 8 9]`).
"""

import sys
import traceback

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.ops.registry import kernel


# --- formatting --------------------------------------------------------------------------------
def _c_escape(b):
    out = []
    for ch in b:
        if ch == 0x0A:
            out.append("\\n")
        elif ch == 0x0D:
            out.append("\\r")
        elif ch == 0x09:
            out.append("\\t")
        elif ch in (0x22, 0x27, 0x5C):
            out.append("\\" + chr(ch))
        elif ch < 0x20 or ch == 0x7F:
            out.append("\\%03o" % ch)
        else:
            out.append(chr(ch) if ch < 0x80 else None)
    if None in out:  # keep UTF-8 sequences whole
        raw = bytearray()
        for ch, piece in zip(b, out):
            raw.extend(bytes([ch]) if piece is None else piece.encode())
        return raw.decode("utf-8", "replace")
    return "".join(out)


def format_element(v, v2=False):
    """One element as TF prints it (floats with the shortest round-tripping %g)."""
    if isinstance(v, (bytes, str)):
        s = _c_escape(v.encode() if isinstance(v, str) else v)
        return '"%s"' % s if v2 else s
    if isinstance(v, (np.bool_, bool)):
        return "1" if v else "0"
    if isinstance(v, np.floating):
        if v.dtype == np.float64:
            s = "%.15g" % v
            return s if float(s) == v or np.isnan(v) else "%.17g" % v
        s = "%.6g" % v
        return s if np.float32(s) == np.float32(v) or np.isnan(v) else "%.9g" % v
    if isinstance(v, np.complexfloating):
        return "(%s,%s)" % (format_element(v.real), format_element(v.imag))
    return str(v)


def summarize(value, limit):
    """TF's legacy `SummarizeValue(limit)`: nested brackets, at most `limit` elements."""
    arr = np.asarray(value)
    n = arr.size
    limit = n if limit < 0 else min(limit, n)
    flat = arr.reshape(-1)
    if arr.ndim == 0:
        return format_element(flat[0]) if n else ""
    out = []
    index = [0]

    def one_dim(dim):
        if index[0] >= limit:
            return
        count = arr.shape[dim]
        if dim == arr.ndim - 1:
            for i in range(count):
                if index[0] >= limit:
                    if dim != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(format_element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(count):
            opened = False
            if index[0] < limit:
                out.append("[")
                opened = True
            one_dim(dim + 1)
            if index[0] < limit or opened:
                out.append("]")

    one_dim(0)
    if n > limit:
        out.append("...")
    return "".join(out)


def summarize_v2(value, limit):
    """The tf.print form: numpy-like nesting, `limit` elements at each end of every dimension."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        return format_element(arr.reshape(-1)[0], True)
    limit = arr.size if limit < 0 else min(limit, arr.size)
    flat = arr.reshape(-1)
    nd = arr.ndim
    out = []

    def spacing(dim):
        if dim == nd - 1:
            out.append(" ")
        else:
            out.append("\n" * (nd - dim - 1) + " " * (dim + 1))

    def one_dim(dim, start):
        if dim == nd:
            out.append(format_element(flat[start], True))
            return
        out.append("[")
        count = arr.shape[dim]
        per = int(np.prod(arr.shape[dim + 1:], dtype=np.int64))
        start_of_end = max(limit, count - limit)
        for i in range(min(limit, count)):
            if i > 0:
                spacing(dim)
            one_dim(dim + 1, start + per * i)
        if count > 2 * limit:
            spacing(dim)
            out.append("...")
        for i in range(start_of_end, count):
            spacing(dim)
            one_dim(dim + 1, start + per * i)
        out.append("]")

    one_dim(0, 0)
    return "".join(out)


# --- printing ----------------------------------------------------------------------------------
def _write(stream, text):
    if callable(stream):
        stream(text[:-1] if text.endswith("\n") else text)
    elif stream == "stdout":
        sys.stdout.write(text)
        sys.stdout.flush()
    elif stream == "stderr":
        sys.stderr.write(text)
        sys.stderr.flush()
    else:
        with open(stream[len("file://"):], "a") as f:
            f.write(text)


@kernel("Print")
def _print(op):
    message = op._attrs["message"]
    first_n = op._attrs["first_n"]
    n = op._attrs["summarize"]
    key = ("Print", op.name)

    def run(state, x, *data):
        if first_n >= 0:
            count = state.resources.get(key, 0) if state is not None else 0
            if count >= first_n:
                return x
            if state is not None:
                state.resources[key] = count + 1
        _write("stderr", message + "".join("[%s]" % summarize(d, n) for d in data) + "\n")
        return x

    return run


@kernel("PrintV2")
def _print_v2(op):
    pieces = op._attrs["template"]
    n = op._attrs["summarize"]
    stream, end = op._attrs["output_stream"], op._attrs["end"]
    raw = op._attrs["raw"]

    def run(state, *values):
        if raw:
            v = np.asarray(values[0]).item()
            text = v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
        else:
            parts = [pieces[0]]
            for v, piece in zip(values, pieces[1:]):
                parts.append(summarize_v2(v, n))
                parts.append(piece)
            text = "".join(parts)
        _write(stream, text + end)
        return ()

    return run


# --- assertions and numerics -------------------------------------------------------------------
@kernel("Assert")
def _assert(op):
    n = op._attrs["summarize"]

    def run(state, cond, *data):
        cond = np.asarray(cond)
        if cond.ndim != 0:
            raise ValueError("In[0] expects a scalar, but got %s" % (list(cond.shape),))
        if not cond:
            raise ValueError("assertion failed: " + " ".join("[%s]" % summarize(d, n)
                                                               for d in data))
        return ()

    return run


@kernel("CheckNumerics")
def _check_numerics(op):
    message = op._attrs["message"]

    def run(x):
        finite = np.isfinite(x)
        if not finite.all():
            has_nan = bool(np.isnan(x).any())
            has_inf = bool(np.isinf(x).any())
            what = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
            raise ValueError("%s : Tensor had %s values" % (message, what))
        return x

    return run


@kernel("IdentityN")
def _identity_n(op):
    return lambda *xs: list(xs) if len(xs) != 1 else xs[0]


# --- py_func -----------------------------------------------------------------------------------
_CPP_NAMES = {"float32": "float", "float64": "double", "string": "string"}
_ERRORS = ((ValueError, "InvalidArgumentError"), (TypeError, "InvalidArgumentError"),
           (StopIteration, "OutOfRangeError"), (MemoryError, "ResourceExhaustedError"),
           (NotImplementedError, "UnimplementedError"))


def _np_dtype_name(arr):
    if arr.dtype.kind in "OSU":
        return "string"
    try:
        return _CPP_NAMES.get(dtypes.as_dtype(arr.dtype).name, dtypes.as_dtype(arr.dtype).name)
    except (TypeError, ValueError, KeyError):
        return str(arr.dtype)


def _convert_result(v):
    arr = np.asarray(v)
    if arr.dtype.kind == "U":
        return np.vectorize(lambda s: s.encode("utf8"), otypes=[object])(arr)
    if arr.dtype.kind == "S":
        return np.asarray(v, dtype=object)
    return arr


def _py_func_builder(op):
    from tensorflux import errors
    from tensorflux.graph.operation import op_error

    func = op._attrs["_func"]
    touts = op._attrs["Tout"]
    token = op._attrs["token"]
    multi = len(touts) != 1

    def run(state, *args):
        try:
            ret = func(*[np.array(a) for a in args])
        except Exception as e:  # noqa: BLE001 - reported as TF reports a Python error
            cls = next((c for t, c in _ERRORS if isinstance(e, t)), "UnknownError")
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
            raise op_error(getattr(errors, cls), op, "%s: %s\n%s\n\t [[{{node %s}}]]" % (
                type(e).__name__, e, tb, op.name)) from e
        if not touts:
            return ()
        outs = list(ret) if isinstance(ret, (list, tuple)) else [ret]
        if len(outs) != len(touts):
            raise ValueError("%s returns %d values, but expects to see %d values."
                             % (token, len(outs), len(touts)))
        res = []
        for i, (v, dt) in enumerate(zip(outs, touts)):
            arr = _convert_result(v)
            want = dt.as_numpy_dtype
            ok = arr.dtype == object if dt == dtypes.string else arr.dtype == np.dtype(want)
            if not ok:
                raise ValueError("%d-th value returned by %s is %s, but expects %s"
                                 % (i, token, _np_dtype_name(arr),
                                    _CPP_NAMES.get(dt.name, dt.name)))
            res.append(arr)
        return res if multi else res[0]

    return run


kernel("PyFunc")(_py_func_builder)


@kernel("PyFuncStateless")
def _py_func_stateless(op):
    run = _py_func_builder(op)
    return lambda *args: run(None, *args)
