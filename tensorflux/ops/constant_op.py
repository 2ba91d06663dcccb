"""Constants and tensor conversion: `tf.constant`, `convert_to_tensor`, static constant values."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import registry


def _const_shape(op):
    v = op._attrs["value"]
    return [(op._attrs["dtype"], tensor_shape.TensorShape(v.shape))]


registry.register("Const", shape=_const_shape, grad=registry.NOT_DIFFERENTIABLE)


def _to_numpy(value, dtype, what="value"):
    """Converts a Python/numpy value to an ndarray of `dtype` with TF's strictness."""
    npd = dtype.as_numpy_dtype
    if dtype == dtypes.string:
        arr = np.asarray(value, dtype=object)
        return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                            otypes=[object])(arr) if arr.size else arr
    if isinstance(value, (list, tuple)):
        value = _dimensions_as_ints(value)
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        raise TypeError("Expected %s, got %r of type '%s' instead." % (
            dtype.name, value, type(value).__name__))
    bad = None
    if dtype.is_integer and arr.dtype.kind in "fc" and not isinstance(value, np.ndarray):
        # TF checks Python values element by element (2.0 is not an int); arrays are cast.
        bad = _first_not_int(value)  # None for an empty list, which numpy calls float
    if bad is not None:
        raise TypeError("Expected %s, got %r of type '%s' instead." % (
            dtype.name, bad, type(bad).__name__))
    if dtype.is_bool and arr.dtype.kind != "b":
        raise TypeError("Expected bool, got %r of type '%s' instead." % (
            value, type(value).__name__))
    if arr.dtype.kind == "c" and not dtype.is_complex:
        raise TypeError("Expected %s, got %r of type 'complex' instead." % (dtype.name, value))
    if dtype.is_integer and arr.size and arr.dtype.kind in "iu":
        info = np.iinfo(npd)
        if arr.max() > info.max or arr.min() < info.min:
            raise TypeError("Value out of range for %s: %r" % (dtype.name, value))
    return arr.astype(npd, copy=False)


def _dimensions_as_ints(value):
    """A nested list with its known `Dimension`s as ints (TF converts them, e.g.
    `tf.reshape(x, [-1, static_shape[3] * 2])`)."""
    if isinstance(value, (list, tuple)):
        return [_dimensions_as_ints(v) for v in value]
    if isinstance(value, tensor_shape.Dimension) and value.value is not None:
        return value.value
    return value


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _first_not_int(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            bad = _first_not_int(v)
            if bad is not None:
                return bad
        return None
    return None if isinstance(value, (int, np.integer)) else value


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """Creates a constant tensor.

    Example:
        >>> a = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
    """
    if isinstance(value, Tensor):
        raise TypeError("Expected a Python or numpy value for tf.constant, got a Tensor (%s)."
                        % value.name)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype).base_dtype
        arr = _to_numpy(value, dtype)
    else:
        dtype = dtypes.dtype_of_value(value)
        if dtype == dtypes.string and isinstance(value, (list, tuple)) and \
                not all(isinstance(v, (str, bytes)) for v in _leaves(value)):
            raise TypeError("Failed to convert elements of %s to Tensor. Consider casting "
                            "elements to a supported type. See "
                            "https://www.tensorflow.org/api_docs/python/tf/dtypes for supported "
                            "TF dtypes." % (value,))
        arr = _to_numpy(value, dtype)
    if shape is not None:
        shape = [int(s) for s in tensor_shape.as_shape(shape).as_list()]
        n = int(np.prod(shape)) if shape else 1
        if verify_shape and list(arr.shape) != shape:
            raise TypeError("Expected Tensor's shape: %s, got %s." % (tuple(shape), arr.shape))
        if arr.size == n:
            arr = arr.reshape(shape)
        elif arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.size < n and arr.ndim <= 1 and arr.size > 0:
            # TF1 pads a short list with its last element.
            arr = np.concatenate([arr.ravel(), np.full(n - arr.size, arr.ravel()[-1])]).reshape(
                shape).astype(arr.dtype)
        else:
            raise ValueError("Too many elements provided. Needed at most %d, but received %d"
                             % (n, arr.size))
    arr = np.array(arr, copy=True) if isinstance(value, np.ndarray) and arr is value else arr
    arr.setflags(write=False)
    g = graph_lib.get_default_graph()
    return g.create_op("Const", [], {"value": arr, "dtype": dtype}, name=name,
                       op_def=registry.get("Const"))._outputs[0]


# --- conversion ------------------------------------------------------------------------------
_conversion_functions = []  # (base_type, fn, priority)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Teaches convert_to_tensor about a type: `fn(value, dtype=None, name=None, as_ref=False)`."""
    _conversion_functions.append((base_type, conversion_func, priority))
    _conversion_functions.sort(key=lambda t: t[2])


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None,
                      as_ref=False):
    """Converts Tensors, Variables, numpy arrays, Python values and lists of them to a Tensor."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    preferred_dtype = preferred_dtype or dtype_hint
    if isinstance(value, Tensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (dtype.name, value.dtype.name, value))
        return value
    for base_type, fn, _ in _conversion_functions:
        if isinstance(value, base_type):
            t = fn(value, dtype=dtype, name=name, as_ref=as_ref)
            if dtype is not None and not dtype.is_compatible_with(t.dtype):
                raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: "
                                 "%r" % (dtype.name, t.dtype.name, t))
            return t
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        from tensorflux.ops import array_ops

        return array_ops._autopacking(value, dtype, name or "packed")
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    if value is None:
        raise ValueError("None values not supported.")
    return constant(value, dtype=dtype, name=name or "Const")


def _shape_to_tensor(s, dtype=None, name=None, as_ref=False):
    """A fully known TensorShape as a 1-D int32 (int64 if large) constant, as TF converts it."""
    if not s.is_fully_defined():
        raise ValueError("Cannot convert a partially known TensorShape to a Tensor: %s" % s)
    dims = s.as_list()
    if dtype is None:
        dtype = dtypes.int64 if any(d >= 2**31 for d in dims) else dtypes.int32
    elif dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Cannot convert a TensorShape to dtype: %s" % dtype)
    return constant(np.array(dims, dtype=np.int64), dtype=dtype, name=name or "shape_as_tensor")


def _dimension_to_tensor(d, dtype=None, name=None, as_ref=False):
    if d.value is None:
        raise ValueError("Cannot convert an unknown Dimension to a Tensor: %s" % d)
    if dtype is not None and dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Cannot convert Dimension %s to dtype %s" % (d, dtype))
    return constant(d.value, dtype=dtype or dtypes.int32, name=name or "shape_as_tensor")


register_tensor_conversion_function(tensor_shape.TensorShape, _shape_to_tensor)
register_tensor_conversion_function(tensor_shape.Dimension, _dimension_to_tensor)


def _contains_tensor(seq):
    for v in seq:
        if isinstance(v, Tensor) or hasattr(v, "_as_graph_element"):
            return True
        if isinstance(v, (list, tuple)) and _contains_tensor(v):
            return True
    return False


def convert_n_to_tensor(values, dtype=None, name=None):
    return [convert_to_tensor(v, dtype=dtype, name=None if name is None else "%s_%d" % (name, i))
            for i, v in enumerate(values)]


def is_tensor(x):
    return isinstance(x, Tensor) or hasattr(x, "_as_graph_element")


# --- static values (used by shape inference) -------------------------------------------------
def constant_value(tensor):
    """The value of `tensor` if it can be computed without running the graph, else None."""
    if not isinstance(tensor, Tensor):
        return None
    op = tensor.op
    t = op.type
    if t == "Const":
        return op._attrs["value"]
    if t == "Shape":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return np.array(s.as_list(), dtype=tensor.dtype.as_numpy_dtype)
        return None
    if t == "Size":
        s = op.inputs[0].shape
        n = s.num_elements()
        return None if n is None else np.array(n, dtype=tensor.dtype.as_numpy_dtype)
    if t == "Rank":
        r = op.inputs[0].shape.ndims
        return None if r is None else np.array(r, dtype=np.int32)
    if t in ("Identity", "StopGradient"):
        return constant_value(op.inputs[0])
    if t == "Cast":
        v = constant_value(op.inputs[0])
        return None if v is None else v.astype(tensor.dtype.as_numpy_dtype)
    if t == "Pack":
        vals = [constant_value(x) for x in op.inputs]
        if any(v is None for v in vals):
            return None
        return np.stack(vals, axis=op._attrs["axis"])
    if t == "ConcatV2":
        vals = [constant_value(x) for x in op.inputs]
        if any(v is None for v in vals):
            return None
        return np.concatenate(vals[:-1], axis=int(vals[-1]))
    if t == "Fill":
        dims, v = constant_value(op.inputs[0]), constant_value(op.inputs[1])
        return None if dims is None or v is None else np.full(dims, v)
    if t == "Range":
        a, b, c = (constant_value(x) for x in op.inputs)
        if a is None or b is None or c is None:
            return None
        return np.arange(a, b, c, dtype=tensor.dtype.as_numpy_dtype)
    return None


def get_static_value(tensor, partial=False):
    """TF's `tf.get_static_value`: the value of `tensor` known without running the graph
    (`constant_value`), or None. A value that is not a Tensor comes back as it is.

    With `partial=True` a `tf.stack` (axis 0) of known and unknown parts gives an object array
    with None for the unknown elements, as TF's does.

    Example:
        >>> tf.get_static_value(tf.shape(tf.zeros([2, 3])))  # array([2, 3], dtype=int32)
    """
    if not isinstance(tensor, Tensor):
        return tensor
    value = constant_value(tensor)
    if value is None and partial and tensor.op.type == "Pack" and tensor.op.inputs and \
            tensor.op._attrs.get("axis", 0) == 0:
        parts = [get_static_value(x, partial=True) for x in tensor.op.inputs]
        try:
            return np.array(parts)
        except ValueError:
            return np.array(parts, dtype=object)
    return value


_NOT_EVALUATED = frozenset(("Placeholder", "PlaceholderV2", "PlaceholderWithDefault"))
_SHAPE_EVAL_MAX_OPS = 32  # the small constant subgraphs shape inference evaluates
_SHAPE_EVAL_MAX_ELEMENTS = 64


def run_numpy_kernel(op, args):
    """`op`'s numpy kernel on `args`: its outputs as arrays, or None when there is no such
    kernel, it raises, or it returns another number of outputs (the run will report it).
    Floating-point warnings are silenced: inf/nan surface at run time as in TF."""
    builder = op.op_def.kernels.get("numpy")
    if builder is None:
        return None
    try:
        with np.errstate(all="ignore"):
            out = builder(op)(*args)
    except Exception:  # noqa: BLE001 - the run reports the error with the op's name
        return None
    outs = out if isinstance(out, (list, tuple)) else [out]
    if len(outs) != len(op.outputs):
        return None
    return [np.asarray(v) for v in outs]


def _known_dims_of_shape(t):
    """`tf.shape(x)[i]` when dim i is known though `x`'s shape is not fully known; else None."""
    op = t.op
    if op.type != "StridedSlice" or op.inputs[0].op.type != "Shape":
        return None
    dims = op.inputs[0].op.inputs[0].shape
    if dims.ndims is None:
        return None
    spec = [constant_value(x) for x in op.inputs[1:]]
    if any(v is None for v in spec):
        return None
    partial = np.array([-1 if d is None else d for d in dims.as_list()],
                       dtype=t.dtype.as_numpy_dtype)
    picked = run_numpy_kernel(op, [partial, *spec])
    # TF evaluates an index (a scalar), not a slice, of a partly known shape
    if picked is None or picked[0].ndim or picked[0] < 0:
        return None
    return picked[0]


def _evaluate_small_constant(tensor):
    """The value of a small integer subgraph whose leaves are all known (`constant_value`), by
    running its numpy kernels; None otherwise.

    TF's C++ shape refiner does the same when a shape tensor is computed (e.g.
    `tf.reshape(x, [w, s[0] * s[1], d])` with `s = tf.shape(x)` fully known gives a static
    shape), though `tf.get_static_value` of the same tensor is None.
    """
    if not tensor.dtype.base_dtype.is_integer:
        return None
    values = {}
    evaluated = 0
    stack = [tensor]
    while stack:
        t = stack.pop()
        if t in values:
            continue
        v = constant_value(t)
        if v is None:
            v = _known_dims_of_shape(t)
        if v is not None:
            values[t] = np.asarray(v)
            continue
        op = t.op
        if op.op_def.stateful or "numpy" not in op.op_def.kernels or op._control_inputs or \
                op.type in _NOT_EVALUATED:
            return None
        pending = [x for x in op.inputs if x not in values]
        if pending:
            if evaluated + len(stack) > _SHAPE_EVAL_MAX_OPS:
                return None
            stack.append(t)
            stack.extend(pending)
            continue
        outs = run_numpy_kernel(op, [values[x] for x in op.inputs])
        if outs is None or any(val.size > _SHAPE_EVAL_MAX_ELEMENTS for val in outs):
            return None
        values.update(zip(op.outputs, outs))
        evaluated += 1
    return values.get(tensor)


def _strided_slice_as_shape(op):
    """A plain 1-D slice `s[b:e:st]` of a partially known shape tensor (`tf.shape(x)[1:3]`), as
    TF's `constant_value_as_shape` takes it: constant begin/end/strides, no ellipsis, new-axis
    or shrink masks; None otherwise."""
    begin, end, strides = (constant_value(x) for x in op.inputs[1:])
    if any(v is None or np.ndim(v) != 1 or len(v) != 1 for v in (begin, end, strides)):
        return None
    attrs = op._attrs
    begin_mask, end_mask = attrs.get("begin_mask", 0), attrs.get("end_mask", 0)
    if (attrs.get("ellipsis_mask", 0) or attrs.get("new_axis_mask", 0)
            or attrs.get("shrink_axis_mask", 0) or begin_mask not in (0, 1)
            or end_mask not in (0, 1)):
        return None
    prev = constant_value_as_shape(op.inputs[0])
    if prev.ndims is None:
        return None
    b = None if begin_mask else int(begin[0])
    e = None if end_mask else int(end[0])
    try:
        return tensor_shape.TensorShape(prev.dims[b:e:int(strides[0])])
    except ValueError:  # a zero stride
        return None


def input_tensor_value(tensor):
    """The value a C++ shape function's `input_tensor` sees: the constant value, or the value of
    a small subgraph over known values (TF's shape refiner evaluates those); else None."""
    v = constant_value(tensor)
    return v if v is not None else _evaluate_small_constant(tensor)


def constant_value_as_shape(tensor, evaluate=False):
    """A TensorShape from a 1-D shape tensor, with partial knowledge where possible.

    As TF's Python function by default. With `evaluate=True`, as the C++ shape functions that
    read a shape tensor (Reshape, Fill, BroadcastTo, the random ops...): small subgraphs over
    known dims are evaluated too (`tf.shape(x)[0] * tf.shape(x)[1]`).
    """
    shape = tensor.shape
    if shape.ndims == 0:
        v = constant_value(tensor)
        if v is not None and int(v) == -1:
            return tensor_shape.unknown_shape()
    v = constant_value(tensor)
    if v is None and evaluate and tensor.op.type not in ("Shape", "Pack", "ConcatV2"):
        v = _evaluate_small_constant(tensor)
    if v is not None:
        return tensor_shape.TensorShape([None if int(d) == -1 else int(d) for d in v.ravel()])
    op = tensor.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack":
        dims = []
        for x in op.inputs:
            xv = constant_value(x)
            if xv is None and evaluate:
                xv = _evaluate_small_constant(x)
            dims.append(None if xv is None or int(xv) == -1 else int(xv))
        return tensor_shape.TensorShape(dims)
    if op.type == "ConcatV2":
        out = tensor_shape.TensorShape([])
        for x in op.inputs[:-1]:
            out = out.concatenate(constant_value_as_shape(x, evaluate))
        return out
    if op.type == "StridedSlice":
        sliced = _strided_slice_as_shape(op)
        if sliced is not None:
            return sliced
    if shape.ndims == 1 and shape[0].value is not None:
        return tensor_shape.unknown_shape(shape[0].value)
    return tensor_shape.unknown_shape()
