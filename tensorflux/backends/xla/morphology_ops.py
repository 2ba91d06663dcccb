"""XLA kernels for grayscale dilation (ops/morphology_ops.py): the numpy backend's functions run
with jax.numpy. Shapes are static, so the taps unroll into strided slices; the gradients
scatter with `.at[].add` into the padded input."""

import jax.numpy as jnp

from tensorflux.backends.numpy import morphology_ops as np_morph
from tensorflux.backends.xla.kernel import kernel


def _jax_add_slice(target, index, values):
    return target.at[index].add(values)


@kernel("Dilation2D")
def _dilation(op):
    def run(x, w):
        return np_morph.dilate(x, w, np_morph.Geometry(op, x.shape, w.shape), jnp)[0]
    return run


@kernel("Dilation2DBackpropInput")
def _backprop_input(op):
    def run(x, w, grad):
        geo = np_morph.Geometry(op, x.shape, w.shape)
        np_morph.check_grad(grad, geo)
        return np_morph.backprop_input(x, w, grad, geo, _jax_add_slice, jnp)
    return run


@kernel("Dilation2DBackpropFilter")
def _backprop_filter(op):
    def run(x, w, grad):
        geo = np_morph.Geometry(op, x.shape, w.shape)
        np_morph.check_grad(grad, geo)
        return np_morph.backprop_filter(x, w, grad, geo, jnp)
    return run
