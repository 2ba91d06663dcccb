"""Small TF-internal helpers that TF1-era code imports from `tensorflow.python.*` and that have
no other home in tensorflux: `ops.uid`, `ops.prepend_name_scope`, `test_util.run_deprecated_v1`,
`tf_export`, `AggregationMethod`, ... The module table (`tf_modules.py`) maps them into place.
"""

import contextlib
import itertools
import os
import re
import unittest

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor

# --- tensorflow.python.framework.ops ----------------------------------------------------------
_uid_counter = itertools.count(1)


def uid():
    """A process-wide unique integer."""
    return next(_uid_counter)


def prepend_name_scope(name, import_scope):
    """`import_scope/name` (for op names, `^op` control inputs and `op:0` tensor names)."""
    if not import_scope:
        return name
    import_scope = import_scope.rstrip("/")
    if name.startswith("^"):
        return "^%s/%s" % (import_scope, name[1:])
    if name.startswith("loc:@"):
        return "loc:@%s/%s" % (import_scope, name[5:])
    return "%s/%s" % (import_scope, name)


def strip_name_scope(name, export_scope):
    """`name` without a leading `export_scope/`."""
    if not export_scope:
        return name
    export_scope = export_scope.rstrip("/") + "/"
    return re.sub(r"^(\^|loc:@)?" + re.escape(export_scope), r"\1", name, count=1)


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """An IndexedSlices or SparseTensor unchanged, anything else as a Tensor."""
    from tensorflux.ops import constant_op

    if hasattr(value, "indices") and hasattr(value, "values") and not isinstance(value, Tensor):
        return value
    return constant_op.convert_to_tensor(value, dtype=dtype, name=name)


convert_to_tensor_or_composite = convert_to_tensor_or_indexed_slices


def get_gradient_function(op):
    """The gradient function of `op` (honouring `gradient_override_map`), or None."""
    from tensorflux.gradients import _lookup_gradient
    from tensorflux.ops import registry

    if not op.inputs:
        return None
    name = op._attrs.get("_gradient_op_type", op.type)
    rule = _lookup_gradient(name)
    return None if rule == registry.NOT_DIFFERENTIABLE else rule


def get_graph_from_inputs(op_input_list, graph=None):
    """The graph the inputs belong to (ValueError if they mix graphs)."""
    found = graph
    for x in op_input_list:
        g = getattr(x, "graph", None)
        if g is None:
            continue
        if found is None:
            found = g
        elif g is not found:
            raise ValueError("%s must be from the same graph as %s." % (x, op_input_list[0]))
    return found or graph_lib.get_default_graph()


def inside_function():
    return False


def executing_eagerly_outside_functions():
    return False


@contextlib.contextmanager
def container(container_name):
    """Accepted for compatibility: tensorflux has no resource containers."""
    yield container_name


def op_scope(values, name, default_name=None):
    """The deprecated `tf.op_scope(values, name, default_name)`: `name_scope` with the old
    argument order."""
    return graph_lib.name_scope(name, default_name, values)


def RegisterShape(op_type):  # noqa: N802 - TF's public name
    """The TF 0.x shape-function registration: shapes come from the OpDef table here."""
    def decorator(f):
        return f
    return decorator


def get_all_collection_keys():
    return graph_lib.get_default_graph().get_all_collection_keys()


def is_dense_tensor_like(t):
    return isinstance(t, Tensor)


# --- tensorflow.python.framework.test_util -------------------------------------------------------
def _passthrough_decorator(func=None, **unused_kwargs):
    """A decorator usable as `@d` or `@d(...)` that changes nothing (TF1 code already runs
    in graph mode)."""
    if func is None or not callable(func):
        return lambda f: f
    return func


run_deprecated_v1 = _passthrough_decorator
deprecated_graph_mode_only = _passthrough_decorator
run_in_graph_and_eager_modes = _passthrough_decorator
run_all_in_graph_and_eager_modes = _passthrough_decorator
run_all_in_deprecated_graph_mode_only = _passthrough_decorator
build_as_function_and_v1_graph = _passthrough_decorator
also_run_as_tf_function = _passthrough_decorator
disable_xla = _passthrough_decorator
xla_allow_fallback = _passthrough_decorator
enable_control_flow_v2 = _passthrough_decorator
disable_control_flow_v2 = _passthrough_decorator
with_control_flow_v2 = _passthrough_decorator


def run_v1_only(reason, func=None):
    """Runs the test: tensorflux is TF 1.x."""
    if not isinstance(reason, str):
        raise ValueError("'reason' should be string, got {}".format(type(reason)))
    return func if func is not None else (lambda f: f)


def run_v2_only(func=None):
    """Skips the test: tensorflux runs TF 1.x programs only."""
    skip = unittest.skip("tensorflux runs TF 1.x behaviour; this test is TF 2.x only")
    return skip(func) if func is not None else skip


def run_in_graph_mode_only(func=None):
    return _passthrough_decorator(func)


def assert_no_new_pyobjects_executing_eagerly(func=None, **unused_kwargs):
    return _passthrough_decorator(func)


def assert_no_garbage_created(func):
    return func


def assert_no_new_tensors(func):
    return func


def for_all_test_methods(decorator, *args, **kwargs):
    """Applies `decorator(*args, **kwargs)` to every `test*` method of a class."""
    def all_methods(cls):
        for name in dir(cls):
            value = getattr(cls, name)
            if callable(value) and name.startswith("test"):
                setattr(cls, name, decorator(*args, **kwargs)(value))
        return cls
    return all_methods


def gpu_device_name():
    return ""


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    return False


def IsGoogleCudaEnabled():  # noqa: N802 - TF's public name
    return False


def IsMklEnabled():  # noqa: N802 - TF's public name
    return False


def assert_ops_in_graph(expected_ops, graph):
    """Checks that each `{name: type}` op is in `graph`; returns `{name: op}`."""
    actual = {op.name: op for op in graph.get_operations()}
    for name, op_type in expected_ops.items():
        if name not in actual:
            raise ValueError("Expected op %s not found in graph." % name)
        if actual[name].type != op_type:
            raise ValueError("Expected op %s of type %s, got %s." % (name, op_type,
                                                                      actual[name].type))
    return {name: actual[name] for name in expected_ops}


@contextlib.contextmanager
def device(use_gpu):
    with graph_lib.get_default_graph().device("/device:CPU:0"):
        yield


# --- tensorflow.python.util.tf_export -------------------------------------------------------------
class api_export:  # noqa: N801 - TF's name
    """`@tf_export("name")`: records the API names on the symbol and returns it unchanged."""

    def __init__(self, *args, **kwargs):
        self._names = args
        self._v1 = kwargs.get("v1", args)

    def __call__(self, func):
        try:
            func._tf_api_names = self._names
            func._tf_api_names_v1 = self._v1
        except (AttributeError, TypeError):
            pass
        return func

    def export_constant(self, module_name, name):
        pass


tf_export = api_export
estimator_export = api_export
keras_export = api_export


# --- tensorflow.python.ops.gradients_util ---------------------------------------------------------
class AggregationMethod:
    """How gradients of one tensor are summed (tensorflux always uses AddN)."""

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def with_dependencies(dependencies, output_tensor, name=None):
    from tensorflux.ops import control_flow_ops

    return control_flow_ops.with_dependencies(dependencies, output_tensor, name=name)


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` or `false_fn()` now if `pred` is a Python bool or constant, else tf.cond."""
    from tensorflux.ops import cond_ops, constant_op

    value = pred if isinstance(pred, bool) else constant_op.constant_value(pred)
    if value is not None:
        return true_fn() if bool(value) else false_fn()
    return cond_ops.cond(pred, true_fn, false_fn, name=name)




def has_default_graph():
    """True inside a `with graph.as_default()` block."""
    return len(graph_lib._default_graph_stack.stack) >= 1


# --- tensorflow.python.framework.dtypes / tensor_shape ------------------------------------------
def _ref_dtypes():
    from tensorflux.graph import dtypes

    out = {}
    for name in ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32",
                 "int64", "uint8", "uint16", "uint32", "uint64", "bool", "string",
                 "complex64", "complex128", "half", "double", "resource", "variant"):
        out[name + "_ref"] = getattr(dtypes, name)._as_ref
    return out


globals().update(_ref_dtypes())


def as_dimension(value):
    """A `Dimension` (a Dimension given is returned as it is)."""
    from tensorflux.graph import tensor_shape

    return value if isinstance(value, tensor_shape.Dimension) else tensor_shape.Dimension(value)


# --- tensorflow.python.lib.io.file_io -------------------------------------------------------------
def read_file_to_string(filename, binary_mode=False):
    with open(filename, "rb" if binary_mode else "r") as f:
        return f.read()


def write_string_to_file(filename, file_content):
    with open(filename, "wb" if isinstance(file_content, bytes) else "w") as f:
        f.write(file_content)


def atomic_write_string_to_file(filename, contents, overwrite=True):
    from tensorflux.train import atomic_file

    if not overwrite and os.path.exists(filename):
        from tensorflux import errors

        raise errors.AlreadyExistsError(None, None, "file already exists: %s" % filename)
    data = contents.encode("utf-8") if isinstance(contents, str) else contents
    atomic_file.atomic_write(filename, data)
