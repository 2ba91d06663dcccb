"""Debugging ops: printing, assertions, numeric checks, and Python functions in the graph.

`tf.Print` / `tf.print`, `tf.Assert` and the `tf.debugging.assert_*` family, `tf.check_numerics`
and `tf.add_check_numerics_ops`, `tf.py_func` / `tf.numpy_function`, `tf.identity_n`. The values
are formatted at run time by the kernels (`backends/numpy/debug_ops.py`) exactly as TF's
`Tensor::SummarizeValue` does, so the printed text and the assertion messages match TF's.
"""

import itertools
import pprint
import sys

import numpy as np

from tensorflux import errors
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    constant_op,
    control_flow_ops,
    func_graph,
    math_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert, same_shape

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _no_outputs(op):
    return []


# --- printing --------------------------------------------------------------------------------
registry.register("Print", shape=same_shape, stateful=True,
                  grad=lambda op, g: [g] + [None] * (len(op.inputs) - 1))
registry.register("PrintV2", shape=_no_outputs, grad=ND, stateful=True)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """Returns `input_`; running it prints `message` and the values of `data` to stderr.

    Example:
        >>> y = tf.Print(y, [y, tf.shape(y)], message="y: ", summarize=10)
    """
    with graph_lib.name_scope(name, "Print", [input_]) as scope:
        x = convert(input_, name="input")
        xs = [convert(d) for d in data]
        attrs = {"message": "" if message is None else str(message),
                 "first_n": -1 if first_n is None else int(first_n),
                 "summarize": 3 if summarize is None else int(summarize)}
        return registry.make_tensor("Print", [x] + xs, attrs, name=scope)


def _stream_name(stream):
    if stream is sys.stdout:
        return "stdout"
    if stream is sys.stderr:
        return "stderr"
    if isinstance(stream, str) and stream.startswith("file://"):
        return stream
    if callable(stream):  # a logging function such as tf.logging.info
        return stream
    raise ValueError("Unsupported output stream, logging level, or file.%s. Supported streams "
                     "are sys.stdout, sys.stderr, tf.logging.* functions and 'file://' paths."
                     % stream)


def print_v2(*inputs, **kwargs):
    """`tf.print`: an op that prints `inputs` (tensors and Python structures) when it runs.

    In a graph, run the returned op, or put it in `tf.control_dependencies`.

    Example:
        >>> with tf.control_dependencies([tf.print("loss:", loss)]):
        ...     train_op = tf.identity(train_op)
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unrecognized keyword arguments for tf.print: %s" % kwargs)
    stream = _stream_name(output_stream)
    tensors = []
    if (len(inputs) == 1 and isinstance(inputs[0], Tensor) and inputs[0].shape.ndims == 0
            and inputs[0].dtype == dtypes.string):
        pieces = ["", ""]
        tensors = [inputs[0]]
        raw = True
    else:
        raw = False
        placeholder = "{}"
        free = " ".join(pprint.pformat(x) for x in inputs if not _has_tensor(x))
        while placeholder in free:
            placeholder = "{" + placeholder + "}"
        templates = []
        for x in inputs:
            if isinstance(x, str):
                templates.append(x)
                continue
            leaves = []
            for leaf in func_graph.flatten(x):
                if isinstance(leaf, Tensor) or hasattr(leaf, "_as_graph_element"):
                    tensors.append(leaf)
                    leaves.append(placeholder)
                else:
                    leaves.append(leaf)
            templates.append(pprint.pformat(func_graph.pack_sequence_as(x, leaves)))
        template = sep.join(templates).replace("'" + placeholder + "'", placeholder)
        pieces = template.split(placeholder)
    with graph_lib.name_scope(name, "PrintV2", []) as scope:
        xs = [convert(t) for t in tensors]
        attrs = {"template": pieces, "summarize": -1 if summarize is None else int(summarize),
                 "output_stream": stream, "end": end, "raw": raw}
        return registry.make_op("PrintV2", xs, attrs, name=scope)


def _has_tensor(x):
    return any(isinstance(v, Tensor) or hasattr(v, "_as_graph_element")
               for v in func_graph.flatten(x))


# --- assertions ------------------------------------------------------------------------------
registry.register("Assert", shape=_no_outputs, grad=ND, stateful=True)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802
    """An op that fails with InvalidArgumentError ("assertion failed: [data]...") when run with
    `condition` false.

    Example:
        >>> with tf.control_dependencies([tf.Assert(tf.reduce_all(x > 0), [x])]):
        ...     y = tf.log(x)
    """
    with graph_lib.name_scope(name, "Assert", [condition]) as scope:
        xs = [convert(d) for d in data]
        cond_t = convert(condition, name="Condition")
        if cond_t.dtype.base_dtype != dtypes.bool:
            raise TypeError("Input 'condition' of 'Assert' Op has type %s that does not match "
                            "expected type of bool." % cond_t.dtype.name)
        attrs = {"summarize": 3 if summarize is None else int(summarize)}
        del scope
        return registry.make_op("Assert", [cond_t] + xs, attrs, name="Assert")


def _message_prefix(message):
    return "%s.  " % message if message else ""


def _static_string(t):
    if not isinstance(t, Tensor):
        return str(t)
    v = constant_op.constant_value(t)
    return str(v) if v is not None else str(t)


def _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message, name):
    with graph_lib.name_scope(name, opname, [x, y]):
        x = convert(x, name="x")
        y = convert(y, name="y", dtype=x.dtype.base_dtype)
        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % sym, "x (%s) = " % x.name, x,
                    "y (%s) = " % y.name, y]
        if message is not None:
            data = [message] + list(data)
        condition = reduction_ops.reduce_all(op_func(x, y))
        xv, yv = constant_op.constant_value(x), constant_op.constant_value(y)
        if xv is not None and yv is not None and not np.all(static_func(xv, yv)):
            raise errors.InvalidArgumentError(None, None,
                                              "\n".join(_static_string(d) for d in data))
        return Assert(condition, data, summarize=summarize)


def _binary(sym, opname, op_func, static_func):
    def assert_fn(x, y, data=None, summarize=None, message=None, name=None):
        return _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message,
                              name)
    assert_fn.__name__ = opname
    assert_fn.__doc__ = ("Returns an op that fails (InvalidArgumentError) unless `x %s y` holds "
                         "element-wise; static values are checked at once." % sym)
    return assert_fn


assert_equal = _binary("==", "assert_equal", math_ops.equal, np.equal)
assert_none_equal = _binary("!=", "assert_none_equal", math_ops.not_equal, np.not_equal)
assert_less = _binary("<", "assert_less", math_ops.less, np.less)
assert_less_equal = _binary("<=", "assert_less_equal", math_ops.less_equal, np.less_equal)
assert_greater = _binary(">", "assert_greater", math_ops.greater, np.greater)
assert_greater_equal = _binary(">=", "assert_greater_equal", math_ops.greater_equal,
                               np.greater_equal)


def _unary(sym, opname, zero_first, binary):
    def assert_fn(x, data=None, summarize=None, message=None, name=None):
        message = _message_prefix(message)
        with graph_lib.name_scope(name, opname, [x]):
            x = convert(x, name="x")
            if data is None:
                data = [message, "Condition x %s did not hold element-wise:" % sym,
                        "x (%s) = " % x.name, x]
            zero = convert(0, dtype=x.dtype.base_dtype)
            if zero_first:
                return binary(zero, x, data=data, summarize=summarize)
            return binary(x, zero, data=data, summarize=summarize)
    assert_fn.__name__ = opname
    assert_fn.__doc__ = "Returns an op that fails unless `x %s` holds element-wise." % sym
    return assert_fn


assert_positive = _unary("> 0", "assert_positive", True, assert_less)
assert_negative = _unary("< 0", "assert_negative", False, assert_less)
assert_non_negative = _unary(">= 0", "assert_non_negative", True, assert_less_equal)
assert_non_positive = _unary("<= 0", "assert_non_positive", False, assert_less_equal)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """Fails unless `|x - y| <= atol + rtol * |y|` element-wise (default tolerances 10 eps)."""
    message = _message_prefix(message)
    with graph_lib.name_scope(name, "assert_near", [x, y]):
        x = convert(x, name="x")
        y = convert(y, name="y", dtype=x.dtype.base_dtype)
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        rtol = convert(10 * eps if rtol is None else rtol, name="rtol", dtype=x.dtype.base_dtype)
        atol = convert(10 * eps if atol is None else atol, name="atol", dtype=x.dtype.base_dtype)
        if data is None:
            data = [message, "x and y not equal to tolerance rtol = %s, atol = %s"
                    % (rtol, atol), "x (%s) = " % x.name, x, "y (%s) = " % y.name, y]
        tol = atol + rtol * math_ops.abs(y)
        diff = math_ops.abs(x - y)
        condition = reduction_ops.reduce_all(math_ops.less_equal(diff, tol))
        return Assert(condition, data, summarize=summarize)


def _rank_assert(x, rank, data, summarize, message, name, opname, static_ok, dynamic, what):
    with graph_lib.name_scope(name, opname, [x]):
        x = convert(x, name="x")
        rank_t = convert(rank, name="rank")
        if rank_t.dtype.base_dtype != dtypes.int32:
            raise TypeError("rank:0 must be of type tf.int32; got %r" % rank_t.dtype)
        message = _message_prefix(message)
        if data is None:
            data = [message, "Tensor %s must have rank%s" % (x.name, what), rank_t,
                    "Received shape: ", array_ops.shape(x)]
        rv = constant_op.constant_value(rank_t)
        if rv is not None:
            if np.ndim(rv) != 0:
                raise ValueError("Rank must be a scalar.")
            if x.shape.ndims is not None:
                if not static_ok(x.shape.ndims, int(rv)):
                    raise ValueError("%sTensor %s must have rank%s %d.  Received rank %d, shape %s"
                                     % (message, x.name, what, int(rv), x.shape.ndims, x.shape))
                return control_flow_ops.no_op(name="static_checks_determined_all_ok")
        condition = dynamic(array_ops.rank(x), rank_t)
        return Assert(condition, data, summarize=summarize)


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Fails unless `x` has rank `rank`; a statically known rank is checked at once."""
    return _rank_assert(x, rank, data, summarize, message, name, "assert_rank",
                        lambda a, r: a == r, math_ops.equal, "")


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Fails unless `x` has rank `rank` or more."""
    return _rank_assert(x, rank, data, summarize, message, name, "assert_rank_at_least",
                        lambda a, r: a >= r, math_ops.greater_equal, " at least")


def assert_type(tensor, tf_type, message=None, name=None):
    """Raises TypeError now unless `tensor` has dtype `tf_type`; returns a no_op."""
    tf_type = dtypes.as_dtype(tf_type)
    with graph_lib.name_scope(name, "assert_type", [tensor]):
        tensor = convert(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError("%s%s must be of type %r; got %r" % (
                _message_prefix(message), tensor.name, tf_type, tensor.dtype))
        return control_flow_ops.no_op(name="statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    """Raises TypeError now unless `x` has an integer dtype; returns a no_op."""
    with graph_lib.name_scope(name, "assert_integer", [x]):
        x = convert(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError("%sExpected \"x\" to be integer type.  Found: %s of dtype %s"
                            % (_message_prefix(message), x.name, x.dtype))
        return control_flow_ops.no_op("statically_determined_was_integer")


def assert_scalar(tensor, name=None, message=None):
    """Raises ValueError now unless `tensor` has a static rank of 0; returns the tensor."""
    with graph_lib.name_scope(name, "assert_scalar", [tensor]):
        tensor = convert(tensor, name="tensor")
        if tensor.shape.ndims != 0:
            raise ValueError("%sExpected scalar shape for %s, saw shape: %s."
                             % (_message_prefix(message), tensor.name, tensor.shape))
        return tensor


def is_numeric_tensor(tensor):
    return isinstance(tensor, Tensor) and (tensor.dtype.is_floating or tensor.dtype.is_integer
                                           or tensor.dtype.is_complex)


# --- numerics --------------------------------------------------------------------------------
def _check_numerics_grad(op, grad):
    return [check_numerics(grad, "Not a number (NaN) or infinity (Inf) values detected in "
                                 "gradient. %s" % op._attrs["message"])]


registry.register("CheckNumerics", shape=same_shape, grad=_check_numerics_grad)


def check_numerics(tensor, message, name=None):
    """Returns `tensor`; running it fails with InvalidArgumentError if it holds NaN or Inf."""
    with graph_lib.name_scope(name, "CheckNumerics", [tensor]) as scope:
        x = convert(tensor, name="tensor")
        if not x.dtype.is_floating:
            raise TypeError("Value passed to parameter 'tensor' has DataType %s not in list of "
                            "allowed values: bfloat16, float16, float32, float64"
                            % x.dtype.name)
        return registry.make_tensor("CheckNumerics", [x], {"message": str(message)}, name=scope)


def add_check_numerics_ops():
    """Adds a CheckNumerics op for every float tensor of the default graph; returns their group.

    The checks run one after another (each has a control dependency on the previous one).
    """
    g = graph_lib.get_default_graph()
    check = []
    for op in g.get_operations():
        for out in op.outputs:
            if out.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                with g.control_dependencies(check):
                    check = [check_numerics(out, message="%s:%d" % (op.name, out.value_index))]
    return control_flow_ops.group(*check)


def verify_tensor_all_finite(t, msg, name=None):
    """`tf.verify_tensor_all_finite`: `check_numerics` under another name."""
    with graph_lib.name_scope(name, "VerifyFinite", [t]) as scope:
        t = convert(t, name="t")
        with graph_lib.colocate_with(t):
            verify = check_numerics(t, message=msg)
            out = control_flow_ops.with_dependencies([verify], t)
        del scope
        return out


# --- Python functions ------------------------------------------------------------------------
def _py_func_shape(op):
    return [(dt, tensor_shape.unknown_shape()) for dt in op._attrs["Tout"]]


registry.register("PyFunc", shape=_py_func_shape, grad=ND, stateful=True)
registry.register("PyFuncStateless", shape=_py_func_shape, grad=ND)
_tokens = itertools.count()


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's keyword
    """Wraps a Python function on numpy arrays as an op.

    `func` gets one ndarray per tensor of `inp` and returns an ndarray (or a list of them) of
    exactly the dtypes in `Tout`. Not differentiable; a gradient can be given with
    `gradient_override_map({"PyFunc": "MyGrad"})`.

    Example:
        >>> y = tf.py_func(np.sinh, [x], tf.float32)
    """
    if not callable(func):
        raise ValueError("Expected func to be callable. Received func=%s of type %s."
                         % (func, type(func)))
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t).base_dtype for t in (Tout if is_list else [Tout])]
    g = graph_lib.get_default_graph()
    inputs = [convert(x) for x in inp]
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    attrs = {"token": "pyfunc_%d" % next(_tokens), "Tin": [x.dtype.base_dtype for x in inputs],
             "Tout": touts, "_func": func}
    if inputs:
        op = registry.make_op(op_type, inputs, attrs, name=name or op_type)
    else:
        op = g.create_op(op_type, [], attrs, name=name or op_type, op_def=registry.get(op_type))
    if not touts:
        return op
    return op.outputs if is_list else op.outputs[0]


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's keyword
    """`tf.numpy_function`: `py_func` under its TF 1.15+ name."""
    return py_func(func, inp, Tout, stateful=stateful, name=name)


# --- identity_n ------------------------------------------------------------------------------
registry.register("IdentityN", shape=lambda op: [(t.dtype.base_dtype, t.shape) for t in op.inputs],
                  grad=lambda op, *grads: list(grads))


def identity_n(input, name=None):  # noqa: A002 - TF's keyword
    """Returns a list of tensors with the same values as `input` (one op for all of them)."""
    xs = [convert(x) for x in input]
    return registry.make_op("IdentityN", xs, {"T": [x.dtype.base_dtype for x in xs]},
                            name=name or "IdentityN").outputs
