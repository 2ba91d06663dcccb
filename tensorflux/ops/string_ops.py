"""String ops (`tf.strings`, `tf.as_string`, `tf.string_split`, ...): host-only, not differentiable.

    >>> tf.strings.regex_replace(["a1b22"], r"\\d+", "#")   # [b"a#b#"]
    >>> tf.reduce_join([["a", "b"], ["c", "d"]], axis=1)    # [b"ab", b"cd"]
    >>> tf.string_split(["a b", "c"])                       # SparseTensor of b"a", b"b", b"c"

Strings are numpy object arrays of `bytes`; the kernels (backends/numpy/string_ops.py) work on
bytes, so non-ASCII text is handled as UTF-8. No op here has an XLA kernel, so plans that use
them run on the numpy backend.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import _helpers, reduction_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError
from tensorflux.ops.sparse_tensor import SparseTensor

ND = registry.NOT_DIFFERENTIABLE


def _elementwise(out_dtype):
    """Shape function: one output shaped like input 0, of `out_dtype`."""
    def shape_fn(op):
        return [(out_dtype, op.inputs[0].shape)]
    return shape_fn


def _split_shape(op):
    source = op.inputs[0]
    if source.shape.ndims not in (None, 1):
        raise ShapeError("Shape must be rank 1 but is rank %d" % source.shape.ndims)
    return [(dtypes.int64, tensor_shape.TensorShape([None, 2])),
            (dtypes.string, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([2]))]


def _substr_shape(op):
    x, pos, length = op.inputs
    if not pos.shape.is_compatible_with(length.shape):
        raise ShapeError("pos and len should have the same shape, got: %s vs %s"
                         % (pos.shape, length.shape))
    return [(dtypes.string, _helpers.broadcast_shapes(x.shape, pos.shape))]


def _to_number_shape(op):
    return [(dtypes.as_dtype(op._attrs["out_type"]), op.inputs[0].shape)]


def _join_shape(op):
    out = tensor_shape.TensorShape([])
    for t in op.inputs:
        if t.shape.ndims != 0:
            out = t.shape if out.ndims == 0 else out.merge_with(t.shape)
    return [(dtypes.string, out)]


registry.register("AsString", shape=_elementwise(dtypes.string), grad=ND)
registry.register("ReduceJoin", shape=reduction_ops._reduce_shape, grad=ND)
registry.register("RegexReplace", shape=_elementwise(dtypes.string), grad=ND)
registry.register("RegexFullMatch", shape=_elementwise(dtypes.bool), grad=ND)
registry.register("StringSplit", shape=_split_shape, grad=ND)
registry.register("StringSplitV2", shape=_split_shape, grad=ND)
registry.register("Substr", shape=_substr_shape, grad=ND)
registry.register("StringLength", shape=_elementwise(dtypes.int32), grad=ND)
registry.register("StringLower", shape=_elementwise(dtypes.string), grad=ND)
registry.register("StringUpper", shape=_elementwise(dtypes.string), grad=ND)
registry.register("StringStrip", shape=_elementwise(dtypes.string), grad=ND)
registry.register("StringToNumber", shape=_to_number_shape, grad=ND)
registry.register("StringJoin", shape=_join_shape, grad=ND)
registry.register("EncodeBase64", shape=_elementwise(dtypes.string), grad=ND)
registry.register("DecodeBase64", shape=_elementwise(dtypes.string), grad=ND)


def _string(x, name):
    t = convert(x, dtype=dtypes.string, name=name)
    if t.dtype.base_dtype != dtypes.string:
        raise TypeError("Input '%s' expected a string tensor, got %s" % (name, t.dtype.name))
    return t


def _unary(op_type, x, attrs, name, default_name, input_name="input"):
    with graph_lib.name_scope(name, default_name, [x]) as scope:
        x = _string(x, input_name)
        return registry.make_tensor(op_type, [x], attrs, name=scope)


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="",  # noqa: A002
              name=None):
    """Formats each number (or bool) of `input` as a string, like C's printf.

    Args:
        input: a numeric or bool tensor.
        precision: digits after the point for floats (-1: printf's default of 6).
        scientific: use `%e` notation for floats.
        shortest: use `%g` (the shorter of `%e` and `%f`) for floats.
        width: pad to at least this many characters (-1: no padding).
        fill: the padding character: one of `' '`, `'0'`, `'+'`, `'-'`, `'#'` or empty.
        name: optional op name.

    Example:
        >>> tf.as_string([1.5, 2.0], precision=2)  # [b"1.50", b"2.00"]
    """
    with graph_lib.name_scope(name, "AsString", [input]) as scope:
        x = convert(input, name="input")
        attrs = {"T": x.dtype.base_dtype, "precision": int(precision),
                 "scientific": bool(scientific), "shortest": bool(shortest),
                 "width": int(width), "fill": fill}
        return registry.make_tensor("AsString", [x], attrs, name=scope)


def reduce_join(inputs, axis=None, keep_dims=False, separator="", name=None,
                reduction_indices=None, keepdims=None):
    """Joins the strings of `inputs` along `axis` (all axes when None), in order.

    Example:
        >>> tf.reduce_join([["a", "b"], ["c", "d"]], axis=0, separator="-")  # [b"a-c", b"b-d"]
    """
    if axis is None:
        axis = reduction_indices
    if keepdims is not None:
        keep_dims = keepdims
    with graph_lib.name_scope(name, "ReduceJoin", [inputs, axis]) as scope:
        x = _string(inputs, "inputs")
        if axis is None:
            if x.shape.ndims is None:
                raise ValueError("reduce_join with axis=None needs an input of known rank")
            axis = list(range(x.shape.ndims - 1, -1, -1))
        axis_t = convert(axis, dtype=dtypes.int32, name="reduction_indices")
        attrs = {"keep_dims": bool(keep_dims), "separator": separator}
        return registry.make_tensor("ReduceJoin", [x, axis_t], attrs, name=scope)


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Replaces matches of the RE2 `pattern` with `rewrite` (`\\1` names a group).

    Example:
        >>> tf.strings.regex_replace(["aa bb"], "a", "x", replace_global=False)  # [b"xa bb"]
    """
    with graph_lib.name_scope(name, "RegexReplace", [input, pattern, rewrite]) as scope:
        ins = [_string(input, "input"), _string(pattern, "pattern"),
               _string(rewrite, "rewrite")]
        return registry.make_tensor("RegexReplace", ins, {"replace_global": bool(replace_global)},
                                    name=scope)


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """True where the whole string matches the RE2 `pattern`.

    Example:
        >>> tf.strings.regex_full_match(["ab", "abc"], "a.")  # [True, False]
    """
    with graph_lib.name_scope(name, "RegexFullMatch", [input, pattern]) as scope:
        ins = [_string(input, "input"), _string(pattern, "pattern")]
        return registry.make_tensor("RegexFullMatch", ins, name=scope)


def _sparse(op_type, source, sep, attrs, name, default_name):
    with graph_lib.name_scope(name, default_name, [source]) as scope:
        ins = [_string(source, "input"), _string(sep, "delimiter")]
        indices, values, shape = registry.make_op(op_type, ins, attrs, name=scope).outputs
        return SparseTensor(indices, values, shape)


def string_split(source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor",
                 name=None):
    """Splits each string of the vector `source` at any byte of `delimiter` (TF 1.x).

    An empty delimiter splits into single bytes; `skip_empty` drops empty tokens.

    Returns:
        A SparseTensor of shape `[len(source), max tokens]`.

    Example:
        >>> tf.string_split(["a b", "c"]).values  # [b"a", b"b", b"c"]
    """
    if result_type != "SparseTensor":
        raise NotImplementedError("tensorflux has no RaggedTensor; use result_type='SparseTensor'")
    delimiter = delimiter if delimiter is not None else (sep if sep is not None else " ")
    return _sparse("StringSplit", source, delimiter, {"skip_empty": bool(skip_empty)}, name,
                   "StringSplit")


def split(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None,  # noqa: A002
          name=None):
    """`tf.compat.v1.strings.split`: splits at the string `sep` (None: runs of whitespace).

    At most `maxsplit` splits are made per string (-1: no limit).

    Example:
        >>> tf.strings.split(["a,,b"], sep=",").values  # [b"a", b"", b"b"]
    """
    if result_type != "SparseTensor":
        raise NotImplementedError("tensorflux has no RaggedTensor; use result_type='SparseTensor'")
    if input is None:
        input = source  # noqa: A001
    return _sparse("StringSplitV2", input, sep if sep is not None else "",
                   {"maxsplit": int(maxsplit)}, name, "StringSplit")


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002
    """`len` bytes of each string starting at `pos` (a negative `pos` counts from the end).

    Example:
        >>> tf.substr(["hello"], 1, 3)  # [b"ell"]
    """
    if unit != "BYTE":
        raise NotImplementedError("substr supports unit='BYTE' only")
    with graph_lib.name_scope(name, "Substr", [input, pos, len]) as scope:
        x = _string(input, "input")
        pos = convert(pos, name="pos")
        length = convert(len, dtype=pos.dtype.base_dtype, name="len")
        if pos.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'pos' has DataType %s not in list of "
                            "allowed values: int32, int64" % pos.dtype.name)
        attrs = {"T": pos.dtype.base_dtype, "unit": unit}
        return registry.make_tensor("Substr", [x, pos, length], attrs, name=scope)


def length(input, name=None, unit="BYTE"):  # noqa: A002
    """The length of each string in bytes (`unit="BYTE"`) or UTF-8 characters ("UTF8_CHAR").

    Example:
        >>> tf.strings.length(["héllo"], unit="UTF8_CHAR")  # [5]
    """
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError("unit must be one of 'BYTE', 'UTF8_CHAR', got %r" % (unit,))
    return _unary("StringLength", input, {"unit": unit}, name, "StringLength")


def lower(input, encoding="", name=None):  # noqa: A002
    """Lower-cases ASCII letters (all letters when `encoding="utf-8"`)."""
    return _unary("StringLower", input, {"encoding": encoding}, name, "StringLower")


def upper(input, encoding="", name=None):  # noqa: A002
    """Upper-cases ASCII letters (all letters when `encoding="utf-8"`)."""
    return _unary("StringUpper", input, {"encoding": encoding}, name, "StringUpper")


def strip(input, name=None):  # noqa: A002
    """Removes leading and trailing ASCII whitespace."""
    return _unary("StringStrip", input, {}, name, "StringStrip")


def string_to_number(string_tensor, out_type=dtypes.float32, name=None):
    """Parses each string as a number of `out_type` (float32, float64, int32 or int64).

    Example:
        >>> tf.string_to_number(["1.5", " -2 "])  # [1.5, -2.0]
    """
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of "
                        "allowed values: float32, float64, int32, int64" % out_type.name)
    with graph_lib.name_scope(name, "StringToNumber", [string_tensor]) as scope:
        x = _string(string_tensor, "string_tensor")
        return registry.make_tensor("StringToNumber", [x], {"out_type": out_type}, name=scope)


def string_join(inputs, separator="", name=None):
    """Joins the strings of `inputs` element-wise (scalars broadcast) with `separator`.

    Example:
        >>> tf.strings.join([["a", "b"], "x"], separator="-")  # [b"a-x", b"b-x"]
    """
    with graph_lib.name_scope(name, "StringJoin", inputs) as scope:
        ins = [_string(x, "inputs") for x in inputs]
        return registry.make_tensor("StringJoin", ins, {"N": len(ins), "separator": separator},
                                    name=scope)


def encode_base64(input, pad=False, name=None):  # noqa: A002
    """Web-safe base64 (`-` and `_` for `+` and `/`), `=` padding only when `pad`."""
    return _unary("EncodeBase64", input, {"pad": bool(pad)}, name, "EncodeBase64")


def decode_base64(input, name=None):  # noqa: A002
    """Decodes web-safe base64, padded or not."""
    return _unary("DecodeBase64", input, {}, name, "DecodeBase64")
