"""The OpDef table: for each op type, its shape function, gradient, flags and kernels.

An op family file (`ops/math_ops.py`, …) registers each op next to its public wrapper:

    register("MatMul", shape=_matmul_shape, grad=_matmul_grad)

and a backend (`backends/numpy/math_ops.py`) adds its kernel with `@kernel("MatMul")`.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape

NOT_DIFFERENTIABLE = "not differentiable"


class ShapeError(ValueError):
    """Raised by shape functions; `make_op` adds the op name and input shapes to the message."""


class OpDef:
    """Everything known about one op type."""

    __slots__ = ("name", "shape_fn", "grad", "stateful", "ref_inputs", "kernels", "doc")

    def __init__(self, name, shape_fn, grad, stateful, ref_inputs):
        self.name = name
        self.shape_fn = shape_fn
        self.grad = grad
        self.stateful = stateful
        self.ref_inputs = tuple(ref_inputs)
        self.kernels = {}

    @property
    def differentiable(self):
        return self.grad is not None and self.grad != NOT_DIFFERENTIABLE

    def infer(self, op):
        try:
            return self.shape_fn(op)
        except ShapeError as e:
            shapes = ", ".join(_shape_str(t.shape) for t in op.inputs)
            raise ValueError("%s for '%s' (op: '%s') with input shapes: %s." % (
                str(e).rstrip("."), op.name, op.type, shapes)) from None

    def __repr__(self):
        return "OpDef(%s)" % self.name


def _shape_str(shape):
    if shape.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


_REGISTRY = {}


def register(name, shape, grad=None, stateful=False, ref_inputs=()):
    """Registers op type `name`. `grad` is a function, NOT_DIFFERENTIABLE, or None (unwritten)."""
    if name in _REGISTRY:
        raise KeyError("Op type %s registered twice" % name)
    _REGISTRY[name] = OpDef(name, shape, grad, stateful, ref_inputs)
    return _REGISTRY[name]


def get(name):
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError("Op type not registered '%s'" % name) from None


def all_ops():
    return dict(_REGISTRY)


def set_gradient(name, grad):
    _REGISTRY[name].grad = grad


def kernel(op_type, backend="numpy"):
    """Decorator for a kernel builder: `builder(op) -> callable(*input_values) -> output(s)`."""

    def deco(builder):
        get(op_type).kernels[backend] = builder
        return builder

    return deco


def make_op(op_type, inputs, attrs=None, name=None):
    """Creates an op of a registered type in the inputs' graph; returns the Operation."""
    g = graph_lib._graph_from_values(inputs)
    for t in inputs:
        if t.graph is not g and not graph_lib._encloses(t.graph, g):
            raise ValueError("Tensor %s must be from the same graph as %s." % (t, inputs[0]))
    op_def = get(op_type)
    # As TF's op_def_library: an op goes where its reference input (a variable) is.
    ref = next((inputs[i] for i in op_def.ref_inputs if i < len(inputs)), None)
    with g.colocate_with(ref):  # (None: no colocation)
        return g.create_op(op_type, list(inputs), attrs, name=name, op_def=op_def)


def make_tensor(op_type, inputs, attrs=None, name=None):
    """`make_op(...).outputs[0]` — the common single-output case."""
    return make_op(op_type, inputs, attrs, name)._outputs[0]


def unknown(dtype):
    return [(dtype, tensor_shape.unknown_shape())]
