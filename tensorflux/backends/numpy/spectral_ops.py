"""Numpy kernels for complex numbers and FFTs (ops/spectral_ops.py).

numpy's FFTs compute in double precision: results are cast back to the op's declared dtype, so
complex64 stays complex64 as in TF. (Real, Imag and Conj kernels are in math_ops.py.)
"""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("Complex")
def _complex(op):
    dtype = op._attrs["Tout"].as_numpy_dtype

    def run(re, im):
        out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), dtype)
        out.real = re
        out.imag = im
        return out
    return run


@kernel("ComplexAbs")
def _complex_abs(op):
    dtype = op._attrs["Tout"].as_numpy_dtype
    return lambda x: np.abs(x).astype(dtype, copy=False)


@kernel("Angle")
def _angle(op):
    dtype = op._attrs["Tout"].as_numpy_dtype
    return lambda x: np.angle(x).astype(dtype, copy=False)


def _axes(rank):
    return tuple(range(-rank, 0))


def _fft_kernel(rank, inverse):
    def builder(op):
        def run(x):
            if x.ndim < rank:
                raise ValueError("Input must have rank of at least %d but got: %s"
                                 % (rank, list(x.shape)))
            if x.size == 0:
                return np.zeros(x.shape, x.dtype)
            fn = np.fft.ifftn if inverse else np.fft.fftn
            return fn(x, axes=_axes(rank)).astype(x.dtype, copy=False)
        return run
    return builder


for _name, _rank in [("FFT", 1), ("FFT2D", 2), ("FFT3D", 3)]:
    kernel(_name)(_fft_kernel(_rank, False))
    kernel("I" + _name)(_fft_kernel(_rank, True))


def _lengths(fft_length, rank):
    fft_length = np.asarray(fft_length).reshape(-1)
    if fft_length.size != rank:
        raise ValueError("fft_length must have %d elements, got %d" % (rank, fft_length.size))
    if (fft_length < 0).any():
        raise ValueError("fft_length must be non-negative, got %s" % list(fft_length))
    return [int(n) for n in fft_length]


def _rfft_kernel(rank):
    def builder(op):
        dtype = op._attrs["Tcomplex"].as_numpy_dtype

        def run(x, fft_length):
            n = _lengths(fft_length, rank)
            shape = list(x.shape[:-rank]) + n[:-1] + [n[-1] // 2 + 1]
            if x.size == 0 or 0 in n:
                return np.zeros(shape, dtype)
            return np.fft.rfftn(x, s=n, axes=_axes(rank)).astype(dtype, copy=False)
        return run
    return builder


def _irfft_kernel(rank):
    def builder(op):
        dtype = op._attrs["Treal"].as_numpy_dtype

        def run(x, fft_length):
            n = _lengths(fft_length, rank)
            shape = list(x.shape[:-rank]) + n
            if x.size == 0 or 0 in n:
                return np.zeros(shape, dtype)
            # Crop/pad the inner dims to (n..., n[-1] // 2 + 1) first, as TF's kernel does.
            inner = n[:-1] + [n[-1] // 2 + 1]
            index = [slice(None)] * (x.ndim - rank) + [slice(0, k) for k in inner]
            x = x[tuple(index)]
            pads = [(0, 0)] * (x.ndim - rank) + [(0, k - d) for k, d in
                                                 zip(inner, x.shape[-rank:])]
            if any(p for _, p in pads):
                x = np.pad(x, pads)
            return np.fft.irfftn(x, s=n, axes=_axes(rank)).astype(dtype, copy=False)
        return run
    return builder


for _name, _rank in [("RFFT", 1), ("RFFT2D", 2), ("RFFT3D", 3)]:
    kernel(_name)(_rfft_kernel(_rank))
    kernel("I" + _name)(_irfft_kernel(_rank))
