"""XLA kernels for complex numbers and FFTs (ops/spectral_ops.py).

RFFT/IRFFT lengths decide the output shape, so `fft_length` is a static input. (Real, Imag and
Conj kernels are in math_ops.py.)
"""

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.backends.xla.kernel import kernel


@kernel("Complex")
def _complex(op):
    dtype = op._attrs["Tout"].as_numpy_dtype

    def run(re, im):
        re, im = jnp.broadcast_arrays(re, im)
        return lax.complex(re, im).astype(dtype)
    return run


@kernel("ComplexAbs")
def _complex_abs(op):
    dtype = op._attrs["Tout"].as_numpy_dtype
    return lambda x: jnp.abs(x).astype(dtype)


@kernel("Angle")
def _angle(op):
    dtype = op._attrs["Tout"].as_numpy_dtype
    return lambda x: jnp.angle(x).astype(dtype)


def _axes(rank):
    return tuple(range(-rank, 0))


def _fft_kernel(rank, inverse):
    def builder(op):
        def run(x):
            if x.ndim < rank:
                raise ValueError("Input must have rank of at least %d" % rank)
            if x.size == 0:
                return jnp.zeros(x.shape, x.dtype)
            fn = jnp.fft.ifftn if inverse else jnp.fft.fftn
            return fn(x, axes=_axes(rank)).astype(x.dtype)
        return run
    return builder


for _name, _rank in [("FFT", 1), ("FFT2D", 2), ("FFT3D", 3)]:
    kernel(_name)(_fft_kernel(_rank, False))
    kernel("I" + _name)(_fft_kernel(_rank, True))


def _lengths(fft_length, rank):
    n = [int(v) for v in np.asarray(fft_length).reshape(-1)]
    if len(n) != rank or min(n) < 0:
        raise ValueError("bad fft_length %s" % n)
    return n


def _rfft_kernel(rank):
    def builder(op):
        dtype = op._attrs["Tcomplex"].as_numpy_dtype

        def run(x, fft_length):
            n = _lengths(fft_length, rank)
            if x.size == 0 or 0 in n:
                return jnp.zeros(x.shape[:-rank] + tuple(n[:-1]) + (n[-1] // 2 + 1,), dtype)
            return jnp.fft.rfftn(x, s=n, axes=_axes(rank)).astype(dtype)
        return run
    return builder


def _irfft_kernel(rank):
    def builder(op):
        dtype = op._attrs["Treal"].as_numpy_dtype

        def run(x, fft_length):
            n = _lengths(fft_length, rank)
            if x.size == 0 or 0 in n:
                return jnp.zeros(x.shape[:-rank] + tuple(n), dtype)
            # Crop/pad the inner dims to (n..., n[-1] // 2 + 1) first, as the numpy kernel.
            inner = n[:-1] + [n[-1] // 2 + 1]
            x = x[(Ellipsis,) + tuple(slice(0, k) for k in inner)]
            pads = [(0, 0)] * (x.ndim - rank) + [(0, k - d) for k, d in
                                                 zip(inner, x.shape[-rank:])]
            if any(p for _, p in pads):
                x = jnp.pad(x, pads)
            return jnp.fft.irfftn(x, s=n, axes=_axes(rank)).astype(dtype)
        return run
    return builder


for _name, _rank in [("RFFT", 1), ("RFFT2D", 2), ("RFFT3D", 3)]:
    kernel(_name, static=(1,))(_rfft_kernel(_rank))
    kernel("I" + _name, static=(1,))(_irfft_kernel(_rank))
