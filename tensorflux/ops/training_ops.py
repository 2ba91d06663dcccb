"""Optimizer update ops (`ApplyAdam`, `SparseApplyMomentum`, ...): stateful, variables by reference.

Every op takes the variable and its slot variables (accumulators) as *ref inputs*: the kernel
reads them from the session state and writes the updated values back; the op's one output is the
variable's new value. The other inputs are scalar hyper-parameters (already cast to the
variable's dtype by the optimizer), the gradient, and for the `Sparse*` ops the row `indices` the
gradient's rows belong to. None of them has a gradient.

Input lists follow TF's op definitions, so a graph built here reads like TF's:

    apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad)
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

# Input names per op type (TF's order). Names in REF_NAMES are variables passed by reference,
# "grad"/"delta" has the variable's shape (its rows for sparse ops), "indices" selects rows,
# every other input is a scalar.
OP_INPUTS = {
    "ApplyGradientDescent": ("var", "alpha", "delta"),
    "ApplyMomentum": ("var", "accum", "lr", "grad", "momentum"),
    "SparseApplyMomentum": ("var", "accum", "lr", "grad", "indices", "momentum"),
    "ApplyAdam": ("var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2",
                  "epsilon", "grad"),
    "ApplyAdagrad": ("var", "accum", "lr", "grad"),
    "SparseApplyAdagrad": ("var", "accum", "lr", "grad", "indices"),
    "ApplyAdadelta": ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad"),
    "SparseApplyAdadelta": ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad",
                            "indices"),
    "ApplyRMSProp": ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"),
    "SparseApplyRMSProp": ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad",
                           "indices"),
    "ApplyCenteredRMSProp": ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon",
                             "grad"),
    "SparseApplyCenteredRMSProp": ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon",
                                   "grad", "indices"),
    "ApplyFtrl": ("var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power"),
    "SparseApplyFtrl": ("var", "accum", "linear", "grad", "indices", "lr", "l1", "l2",
                        "lr_power"),
    "ApplyFtrlV2": ("var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage",
                    "lr_power"),
    "SparseApplyFtrlV2": ("var", "accum", "linear", "grad", "indices", "lr", "l1", "l2",
                          "l2_shrinkage", "lr_power"),
}
REF_NAMES = frozenset(["var", "accum", "accum_update", "m", "v", "ms", "mom", "mg", "linear"])
GRAD_NAMES = frozenset(["grad", "delta"])


def ref_positions(op_type):
    return tuple(i for i, n in enumerate(OP_INPUTS[op_type]) if n in REF_NAMES)


def _shape_str(shape):
    return "?" if shape.ndims is None else str(shape.as_list()).replace(" ", "")


def _apply_shape(op):
    """Output: the variable's dtype and shape. Checks slots, gradient, indices and scalars."""
    names = OP_INPUTS[op.type]
    var = op.inputs[0]
    shape = var.shape
    sparse = "indices" in names
    for name, t in zip(names[1:], op.inputs[1:]):
        if name in REF_NAMES:
            if not shape.is_compatible_with(t.shape):
                raise registry.ShapeError("Shapes must be equal rank, but are %s and %s"
                                          % (_shape_str(shape), _shape_str(t.shape)))
            shape = shape.merge_with(t.shape)
        elif name in GRAD_NAMES:
            if sparse:
                if t.shape.ndims is not None and shape.ndims is not None:
                    if t.shape.ndims != shape.ndims or not \
                            shape[1:].is_compatible_with(t.shape[1:]):
                        raise registry.ShapeError(
                            "var and grad do not have the same shape except the first "
                            "dimension: %s vs %s" % (_shape_str(shape), _shape_str(t.shape)))
            elif not shape.is_compatible_with(t.shape):
                raise registry.ShapeError("Shapes must be equal rank, but are %s and %s"
                                          % (_shape_str(shape), _shape_str(t.shape)))
        elif name == "indices":
            if t.shape.ndims not in (None, 1):
                raise registry.ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
        elif t.shape.ndims not in (None, 0):
            raise registry.ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
    return [(var.dtype.base_dtype, shape)]


for _op_type in OP_INPUTS:
    registry.register(_op_type, shape=_apply_shape, grad=registry.NOT_DIFFERENTIABLE,
                      stateful=True, ref_inputs=ref_positions(_op_type))


def _apply(op_type, args, attrs, name):
    """Creates `op_type` from the inputs in `args` (a dict by input name)."""
    names = OP_INPUTS[op_type]
    var = args["var"]
    var_t = var._variable if hasattr(var, "_variable") else var
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
                inputs.append(convert(x, name=n))
            else:
                t = convert(x, dtype=dtype, name=n)
                if t.dtype.base_dtype != dtype:
                    raise TypeError("Input '%s' of '%s' Op has type %s that does not match type "
                                    "%s of argument 'var'." % (n, op_type, t.dtype.name,
                                                               dtype.name))
                inputs.append(t)
        if "indices" in args:
            idx = inputs[names.index("indices")]
            if idx.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError("Value passed to parameter 'indices' has DataType %s not in "
                                "list of allowed values: int32, int64" % idx.dtype.name)
        attrs = dict(attrs, T=dtype)
        return registry.make_tensor(op_type, inputs, attrs, name=scope)


def _locking(use_locking):
    return {"use_locking": bool(use_locking)}


# --- public wrappers (TF's gen_training_ops signatures) -------------------------------------
def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    """var -= alpha * delta."""
    return _apply("ApplyGradientDescent", dict(var=var, alpha=alpha, delta=delta),
                  _locking(use_locking), name)


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False,
                   name=None):
    """accum = accum * momentum + grad; var -= lr * accum (Nesterov: lr * (grad + momentum *
    accum))."""
    return _apply("ApplyMomentum", dict(var=var, accum=accum, lr=lr, grad=grad,
                                        momentum=momentum),
                  dict(_locking(use_locking), use_nesterov=bool(use_nesterov)), name)


def sparse_apply_momentum(var, accum, lr, grad, indices, momentum, use_locking=False,
                          use_nesterov=False, name=None):
    return _apply("SparseApplyMomentum", dict(var=var, accum=accum, lr=lr, grad=grad,
                                              indices=indices, momentum=momentum),
                  dict(_locking(use_locking), use_nesterov=bool(use_nesterov)), name)


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad,
               use_locking=False, use_nesterov=False, name=None):
    """Adam with TF's bias correction folded into the step: lr * sqrt(1-b2^t) / (1-b1^t)."""
    return _apply("ApplyAdam", dict(var=var, m=m, v=v, beta1_power=beta1_power,
                                    beta2_power=beta2_power, lr=lr, beta1=beta1, beta2=beta2,
                                    epsilon=epsilon, grad=grad),
                  dict(_locking(use_locking), use_nesterov=bool(use_nesterov)), name)


def apply_adagrad(var, accum, lr, grad, use_locking=False, update_slots=True, name=None):
    """accum += grad^2; var -= lr * grad / sqrt(accum)."""
    return _apply("ApplyAdagrad", dict(var=var, accum=accum, lr=lr, grad=grad),
                  dict(_locking(use_locking), update_slots=bool(update_slots)), name)


def sparse_apply_adagrad(var, accum, lr, grad, indices, use_locking=False, update_slots=True,
                         name=None):
    return _apply("SparseApplyAdagrad", dict(var=var, accum=accum, lr=lr, grad=grad,
                                             indices=indices),
                  dict(_locking(use_locking), update_slots=bool(update_slots)), name)


def apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False,
                   name=None):
    return _apply("ApplyAdadelta", dict(var=var, accum=accum, accum_update=accum_update, lr=lr,
                                        rho=rho, epsilon=epsilon, grad=grad),
                  _locking(use_locking), name)


def sparse_apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, indices,
                          use_locking=False, name=None):
    return _apply("SparseApplyAdadelta", dict(var=var, accum=accum, accum_update=accum_update,
                                              lr=lr, rho=rho, epsilon=epsilon, grad=grad,
                                              indices=indices),
                  _locking(use_locking), name)


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False,
                   name=None):
    return _apply("ApplyRMSProp", dict(var=var, ms=ms, mom=mom, lr=lr, rho=rho,
                                       momentum=momentum, epsilon=epsilon, grad=grad),
                  _locking(use_locking), name)


def sparse_apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, indices,
                          use_locking=False, name=None):
    return _apply("SparseApplyRMSProp", dict(var=var, ms=ms, mom=mom, lr=lr, rho=rho,
                                             momentum=momentum, epsilon=epsilon, grad=grad,
                                             indices=indices),
                  _locking(use_locking), name)


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad,
                            use_locking=False, name=None):
    return _apply("ApplyCenteredRMSProp", dict(var=var, mg=mg, ms=ms, mom=mom, lr=lr, rho=rho,
                                               momentum=momentum, epsilon=epsilon, grad=grad),
                  _locking(use_locking), name)


def sparse_apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, indices,
                                   use_locking=False, name=None):
    return _apply("SparseApplyCenteredRMSProp",
                  dict(var=var, mg=mg, ms=ms, mom=mom, lr=lr, rho=rho, momentum=momentum,
                       epsilon=epsilon, grad=grad, indices=indices),
                  _locking(use_locking), name)


def _ftrl_attrs(use_locking, multiply_linear_by_lr):
    return dict(_locking(use_locking), multiply_linear_by_lr=bool(multiply_linear_by_lr))


def apply_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, use_locking=False,
               multiply_linear_by_lr=False, name=None):
    return _apply("ApplyFtrl", dict(var=var, accum=accum, linear=linear, grad=grad, lr=lr, l1=l1,
                                    l2=l2, lr_power=lr_power),
                  _ftrl_attrs(use_locking, multiply_linear_by_lr), name)


def sparse_apply_ftrl(var, accum, linear, grad, indices, lr, l1, l2, lr_power, use_locking=False,
                      multiply_linear_by_lr=False, name=None):
    return _apply("SparseApplyFtrl", dict(var=var, accum=accum, linear=linear, grad=grad,
                                          indices=indices, lr=lr, l1=l1, l2=l2,
                                          lr_power=lr_power),
                  _ftrl_attrs(use_locking, multiply_linear_by_lr), name)


def apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power,
                  use_locking=False, multiply_linear_by_lr=False, name=None):
    return _apply("ApplyFtrlV2", dict(var=var, accum=accum, linear=linear, grad=grad, lr=lr,
                                      l1=l1, l2=l2, l2_shrinkage=l2_shrinkage,
                                      lr_power=lr_power),
                  _ftrl_attrs(use_locking, multiply_linear_by_lr), name)


def sparse_apply_ftrl_v2(var, accum, linear, grad, indices, lr, l1, l2, l2_shrinkage, lr_power,
                         use_locking=False, multiply_linear_by_lr=False, name=None):
    return _apply("SparseApplyFtrlV2", dict(var=var, accum=accum, linear=linear, grad=grad,
                                            indices=indices, lr=lr, l1=l1, l2=l2,
                                            l2_shrinkage=l2_shrinkage, lr_power=lr_power),
                  _ftrl_attrs(use_locking, multiply_linear_by_lr), name)
