"""The gamma-function family: regularized incomplete gamma (`Igamma`, `Igammac`) and beta
(`Betainc`) functions, and the gamma sampler `RandomGamma` with TF's implicit
reparameterization gradient (`RandomGammaGrad`).

    >>> p = igamma(2., 1.5)                  # P(2, 1.5) = 0.4421...
    >>> x = random_gamma([10], alpha=[0.5, 1.5], seed=1)   # shape [10, 2]
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    random_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import apply1, convert

ND = registry.NOT_DIFFERENTIABLE


# --- incomplete gamma / beta -----------------------------------------------------------------
def _igamma_partial_x(a, x):
    """d/dx P(a, x): the gamma density, computed in log space."""
    return math_ops.exp(-x + (a - 1) * math_ops.log(x) - math_ops.lgamma(a))


def _igamma_grad(op, grad):
    a, x = op.inputs
    partial_a = registry.make_tensor("IgammaGradA", [a, x], {}, name="IgammaGradA")
    partial_x = _igamma_partial_x(a, x)
    return [math_ops._sum_to(partial_a * grad, a), math_ops._sum_to(partial_x * grad, x)]


def _igammac_grad(op, grad):
    ga, gx = _igamma_grad(op, grad)
    return [-ga, -gx]


def _betainc_grad(op, grad):
    a, b, x = op.inputs
    log_beta = math_ops.lgamma(a) + math_ops.lgamma(b) - math_ops.lgamma(a + b)
    partial_x = math_ops.exp((b - 1) * math_ops.log1p(-x) + (a - 1) * math_ops.log(x) - log_beta)
    return [None, None, math_ops._sum_to(partial_x * grad, x)]


def _ternary_shape(op):
    shape = op.inputs[0].shape
    for t in op.inputs[1:]:
        shape = array_ops.broadcast_static_shape(shape, t.shape)
    return [(op.inputs[0].dtype.base_dtype, shape)]


registry.register("Igamma", shape=math_ops._binary_shape, grad=_igamma_grad)
registry.register("Igammac", shape=math_ops._binary_shape, grad=_igammac_grad)
registry.register("IgammaGradA", shape=math_ops._binary_shape, grad=None)
registry.register("Betainc", shape=_ternary_shape, grad=_betainc_grad)


def igamma(a, x, name=None):
    """The regularized lower incomplete gamma function `P(a, x)`."""
    return apply1("Igamma", [a, x], name=name, input_names=["a", "x"])


def igammac(a, x, name=None):
    """The regularized upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`."""
    return apply1("Igammac", [a, x], name=name, input_names=["a", "x"])


def betainc(a, b, x, name=None):
    """The regularized incomplete beta function `I_x(a, b)` (gradient only w.r.t. `x`)."""
    return apply1("Betainc", [a, b, x], name=name, input_names=["a", "b", "x"])


# --- the gamma sampler -----------------------------------------------------------------------
def _random_gamma_shape(op):
    shape = constant_op.constant_value_as_shape(op.inputs[0], evaluate=True)
    return [(op.inputs[1].dtype.base_dtype, shape.concatenate(op.inputs[1].shape))]


def _random_gamma_grad(op, grad):
    """Implicit reparameterization: d sample / d alpha = -(dP/dalpha) / density."""
    shape, alpha = op.inputs
    sample = op.outputs[0]
    num_sample_dims = array_ops.shape(shape)[0]
    alpha_b = array_ops.reshape(alpha, array_ops.concat(
        [array_ops.ones([num_sample_dims], dtypes.int32), array_ops.shape(alpha)], 0))
    partial_a = registry.make_tensor("RandomGammaGrad", [alpha_b, sample], {},
                                     name="RandomGammaGrad")
    axes = fill_ops.range(num_sample_dims)
    return [None, reduction_ops.reduce_sum(grad * partial_a, axes)]


registry.register("RandomGamma", shape=_random_gamma_shape, grad=_random_gamma_grad,
                  stateful=True)
registry.register("RandomGammaGrad", shape=math_ops._binary_shape, grad=None)


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws `shape + broadcast(alpha, beta).shape` samples of Gamma(alpha, rate=beta).

        >>> x = random_gamma([10], alpha=[0.5, 1.5])   # shape [10, 2]

    Gradients reach `beta` (through the division) and `alpha` (TF's implicit
    reparameterization, `RandomGammaGrad`).
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    with graph_lib.name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = convert(shape, dtype=dtypes.int32, name="shape")
        alpha = convert(alpha, dtype=dtype, name="alpha")
        beta = convert(beta if beta is not None else 1, dtype=dtype, name="beta")
        broadcast_shape = array_ops.broadcast_dynamic_shape(array_ops.shape(alpha),
                                                            array_ops.shape(beta))
        alpha_broadcast = manip_ops.broadcast_to(alpha, broadcast_shape)
        alpha_broadcast.set_shape(array_ops.broadcast_static_shape(alpha.shape, beta.shape))
        s1, s2 = random_ops.get_seed(seed)
        attrs = {"seed": s1 or 0, "seed2": s2 or 0, "T": dtype}
        sample = registry.make_tensor("RandomGamma", [shape, alpha_broadcast], attrs,
                                      name="RandomGamma")
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        return math_ops.maximum(tiny, sample / beta)
