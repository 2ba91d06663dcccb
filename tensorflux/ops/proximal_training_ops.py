"""Proximal and dual-averaging optimizer update ops (`ApplyProximalAdagrad`, `ApplyAdagradDA`, ...).

Like the ops in ops/training_ops.py these are stateful: the variable and its slots are *ref
inputs* that the kernel reads from the session state and writes back, and the one output is the
variable's new value. Scalar hyper-parameters have the variable's dtype, except AdagradDA's
`global_step`, an int64 scalar. None of them has a gradient.

Input lists follow TF's op definitions:

    apply_proximal_gradient_descent(var, alpha, l1, l2, delta)
    apply_proximal_adagrad(var, accum, lr, l1, l2, grad)
    apply_adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad, lr, l1, l2,
                     global_step)
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.state_ops import _merge_error

# Input names per op type, in TF's order (see ops/training_ops.py for the conventions).
OP_INPUTS = {
    "ApplyProximalGradientDescent": ("var", "alpha", "l1", "l2", "delta"),
    "SparseApplyProximalGradientDescent": ("var", "alpha", "l1", "l2", "grad", "indices"),
    "ApplyProximalAdagrad": ("var", "accum", "lr", "l1", "l2", "grad"),
    "SparseApplyProximalAdagrad": ("var", "accum", "lr", "l1", "l2", "grad", "indices"),
    "ApplyAdagradDA": ("var", "gradient_accumulator", "gradient_squared_accumulator", "grad",
                       "lr", "l1", "l2", "global_step"),
    "SparseApplyAdagradDA": ("var", "gradient_accumulator", "gradient_squared_accumulator",
                             "grad", "indices", "lr", "l1", "l2", "global_step"),
}
REF_NAMES = frozenset(["var", "accum", "gradient_accumulator", "gradient_squared_accumulator"])
GRAD_NAMES = frozenset(["grad", "delta"])


def ref_positions(op_type):
    return tuple(i for i, n in enumerate(OP_INPUTS[op_type]) if n in REF_NAMES)


def _apply_shape(op):
    """Output: the variable's dtype and shape. Checks slots, gradient, indices and scalars."""
    names = OP_INPUTS[op.type]
    var = op.inputs[0]
    shape = var.shape
    sparse = "indices" in names
    for name, t in zip(names[1:], op.inputs[1:]):
        if name in REF_NAMES or (name in GRAD_NAMES and not sparse):
            err = _merge_error(shape, t.shape)
            if err:
                raise registry.ShapeError(err)
            if name in REF_NAMES:
                shape = shape.merge_with(t.shape)
        elif name in GRAD_NAMES:
            if t.shape.ndims is not None and shape.ndims is not None:
                # TF merges var's shape with grad's, its first dimension unknown.
                rows = tensor_shape.TensorShape([None]).concatenate(t.shape[1:])
                err = _merge_error(shape, rows) if t.shape.ndims else None
                if t.shape.ndims == 0 or err:
                    raise registry.ShapeError(err or "Shape must be at least rank 1 but is "
                                              "rank 0")
        elif name == "indices":
            if t.shape.ndims not in (None, 1):
                raise registry.ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
        elif t.shape.ndims not in (None, 0):
            raise registry.ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
    return [(var.dtype.base_dtype, shape)]


for _op_type in OP_INPUTS:
    registry.register(_op_type, shape=_apply_shape, grad=registry.NOT_DIFFERENTIABLE,
                      stateful=True, ref_inputs=ref_positions(_op_type))


def _check_type(name, op_type, t, dtype, what):
    if t.dtype.base_dtype != dtype:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match %s."
                        % (name, op_type, t.dtype.name, what))


def _apply(op_type, args, use_locking, name):
    """Creates `op_type` from the inputs in `args` (a dict by input name)."""
    names = OP_INPUTS[op_type]
    var_t = args["var"]._variable if hasattr(args["var"], "_variable") else args["var"]
    dtype = var_t.dtype.base_dtype
    g = var_t.graph
    if graph_lib._encloses(g, graph_lib.get_default_graph()):  # inside a tf.cond branch
        g = graph_lib.get_default_graph()
    with g.as_default(), graph_lib.name_scope(name, op_type) as scope:
        inputs = []
        for n in names:
            x = args[n]
            if n in REF_NAMES:
                inputs.append(x._variable if hasattr(x, "_variable") else x)
            elif n == "indices":
                t = convert(x, name=n)
                if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                    raise TypeError("Value passed to parameter 'indices' has DataType %s not in "
                                    "list of allowed values: int32, int64" % t.dtype.name)
                inputs.append(t)
            elif n == "global_step":
                t = x if isinstance(x, Tensor) else convert(x, dtype=dtypes.int64, name=n)
                _check_type(n, op_type, t, dtypes.int64, "expected type of int64")
                inputs.append(t)
            else:
                t = x if isinstance(x, Tensor) else convert(x, dtype=dtype, name=n)
                _check_type(n, op_type, t, dtype, "type %s of argument 'var'" % dtype.name)
                inputs.append(t)
        attrs = {"T": dtype, "use_locking": bool(use_locking)}
        if "indices" in args:
            attrs["Tindices"] = inputs[names.index("indices")].dtype.base_dtype
        return registry.make_tensor(op_type, inputs, attrs, name=scope)


# --- public wrappers (TF's gen_training_ops signatures) -------------------------------------
def apply_proximal_gradient_descent(var, alpha, l1, l2, delta, use_locking=False, name=None):
    """prox_v = var - alpha * delta; var = sign(prox_v) * max(|prox_v| - alpha * l1, 0) /
    (1 + alpha * l2)."""
    return _apply("ApplyProximalGradientDescent",
                  dict(var=var, alpha=alpha, l1=l1, l2=l2, delta=delta), use_locking, name)


def sparse_apply_proximal_gradient_descent(var, alpha, l1, l2, grad, indices, use_locking=False,
                                           name=None):
    """`apply_proximal_gradient_descent` on the rows `indices` of `var`."""
    return _apply("SparseApplyProximalGradientDescent",
                  dict(var=var, alpha=alpha, l1=l1, l2=l2, grad=grad, indices=indices),
                  use_locking, name)


def apply_proximal_adagrad(var, accum, lr, l1, l2, grad, use_locking=False, name=None):
    """accum += grad^2; then proximal gradient descent with step lr / sqrt(accum)."""
    return _apply("ApplyProximalAdagrad",
                  dict(var=var, accum=accum, lr=lr, l1=l1, l2=l2, grad=grad), use_locking, name)


def sparse_apply_proximal_adagrad(var, accum, lr, l1, l2, grad, indices, use_locking=False,
                                  name=None):
    """`apply_proximal_adagrad` on the rows `indices` of `var` and `accum`."""
    return _apply("SparseApplyProximalAdagrad",
                  dict(var=var, accum=accum, lr=lr, l1=l1, l2=l2, grad=grad, indices=indices),
                  use_locking, name)


def apply_adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad, lr, l1, l2,
                     global_step, use_locking=False, name=None):
    """g += grad; gg += grad^2; var = -sign(g) * lr * max(|g| - l1 * T, 0) /
    (l2 * T * lr + sqrt(gg)), with T = global_step."""
    return _apply("ApplyAdagradDA",
                  dict(var=var, gradient_accumulator=gradient_accumulator,
                       gradient_squared_accumulator=gradient_squared_accumulator, grad=grad,
                       lr=lr, l1=l1, l2=l2, global_step=global_step), use_locking, name)


def sparse_apply_adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad,
                            indices, lr, l1, l2, global_step, use_locking=False, name=None):
    """`apply_adagrad_da` on the rows `indices` of `var` and its accumulators."""
    return _apply("SparseApplyAdagradDA",
                  dict(var=var, gradient_accumulator=gradient_accumulator,
                       gradient_squared_accumulator=gradient_squared_accumulator, grad=grad,
                       indices=indices, lr=lr, l1=l1, l2=l2, global_step=global_step),
                  use_locking, name)
