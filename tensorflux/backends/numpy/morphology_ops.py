"""numpy kernels for grayscale dilation (ops/morphology_ops.py) and its two backprop ops.

The functions take the array module `xp` (the XLA backend runs them with jax.numpy). The input
is zero-padded next to a validity mask; each filter tap `(i, j)` then reads one strided slice of
it. A running max with a strict `>` keeps the first maximum in row-major tap order, and the tap
index of that maximum routes the gradient, as TF's kernels do. A window with no in-image
position gives the dtype's lowest value (TF's initial value).
"""

import numpy as np

from tensorflux.ops import morphology_ops, registry


class Geometry:
    """Output size, paddings and tap slices of one Dilation2D op for concrete input shapes."""

    def __init__(self, op, x_shape, w_shape):
        self.strides = [int(s) for s in op._attrs["strides"]]
        self.rates = [int(r) for r in op._attrs["rates"]]
        padding = morphology_ops._padding(op)
        check_inputs(x_shape, w_shape, self.strides, self.rates)
        self.in_size = x_shape[1:3]
        self.ksize = w_shape[:2]
        dims = [morphology_ops.geometry(x_shape[1 + d], w_shape[d], self.strides[1 + d],
                                        self.rates[1 + d], padding) for d in (0, 1)]
        self.out_size = [o for o, _ in dims]
        self.before = [p for _, p in dims]
        self.out_shape = (x_shape[0], self.out_size[0], self.out_size[1], x_shape[3])

    def padded_size(self, d):
        """Enough room for the last tap's last strided read, and for the whole input."""
        reach = (self.ksize[d] - 1) * self.rates[d + 1] + (self.out_size[d] - 1) * \
            self.strides[d + 1] + 1
        return max(reach, self.before[d] + self.in_size[d])

    def pads(self):
        return [(0, 0)] + [(self.before[d], self.padded_size(d) - self.before[d]
                            - self.in_size[d]) for d in (0, 1)] + [(0, 0)]

    def taps(self):
        """(tap index, i, j, slice into the padded input) for every filter position."""
        for i in range(self.ksize[0]):
            for j in range(self.ksize[1]):
                rows = _strided(i * self.rates[1], self.out_size[0], self.strides[1])
                cols = _strided(j * self.rates[2], self.out_size[1], self.strides[2])
                yield i * self.ksize[1] + j, i, j, (slice(None), rows, cols, slice(None))

    def crop(self, padded):
        top, left = self.before
        return padded[:, top:top + self.in_size[0], left:left + self.in_size[1], :]


def _strided(start, count, step):
    return slice(start, start + (count - 1) * step + 1, step) if count > 0 else slice(0, 0)


def check_inputs(x_shape, w_shape, strides, rates):
    """TF's run-time checks of Dilation2D's inputs and attributes."""
    if len(x_shape) != 4:
        raise ValueError("input must be 4-dimensional[%s]" % ",".join(map(str, x_shape)))
    if len(w_shape) != 3:
        raise ValueError("filter must be 3-dimensional: [%s]" % ",".join(map(str, w_shape)))
    if x_shape[3] != w_shape[2]:
        raise ValueError("input and filter must have the same depth: %d vs %d"
                         % (x_shape[3], w_shape[2]))
    if strides[0] != 1 or strides[3] != 1 or rates[0] != 1 or rates[3] != 1:
        raise ValueError("Current implementation does not yet support strides/rates in the "
                         "batch and depth dimensions.")


def lowest(dtype):
    dtype = np.dtype(dtype)
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def dilate(x, w, geo, xp):
    """(output, index of the winning tap) of every output element."""
    padded = xp.pad(x, geo.pads())
    valid = xp.pad(xp.ones(x.shape[1:3], bool), geo.pads()[1:3])[None, :, :, None]
    floor = np.array(lowest(x.dtype), x.dtype)
    best = xp.full(geo.out_shape, floor, x.dtype)
    arg = xp.zeros(geo.out_shape, np.int32)
    for k, i, j, index in geo.taps():
        candidate = xp.where(valid[index], padded[index] + w[i, j], floor)
        better = candidate > best
        best = xp.where(better, candidate, best)
        arg = xp.where(better, np.int32(k), arg)
    return best, arg


def backprop_input(x, w, grad, geo, add_slice, xp):
    """Each output gradient added at the input position of its window's first maximum."""
    _, arg = dilate(x, w, geo, xp)
    padded_shape = [n + a + b for n, (a, b) in zip(x.shape, geo.pads())]
    acc = xp.zeros(padded_shape, grad.dtype)
    zero = np.zeros((), grad.dtype)
    for k, _, _, index in geo.taps():
        acc = add_slice(acc, index, xp.where(arg == k, grad, zero))
    return geo.crop(acc)


def backprop_filter(x, w, grad, geo, xp):
    """Each output gradient added at the filter tap of its window's first maximum."""
    _, arg = dilate(x, w, geo, xp)
    zero = np.zeros((), grad.dtype)
    per_tap = [xp.sum(xp.where(arg == k, grad, zero), axis=(0, 1, 2)) for k, _, _, _ in
               geo.taps()]
    return xp.stack(per_tap).reshape(w.shape).astype(grad.dtype)


def check_grad(grad, geo):
    if tuple(grad.shape) != tuple(geo.out_shape):
        raise ValueError("out_backprop has incompatible size: %s vs expected %s"
                         % (list(grad.shape), list(geo.out_shape)))


def _np_add_slice(target, index, values):
    target[index] += values
    return target


@registry.kernel("Dilation2D")
def _dilation(op):
    def run(x, w):
        return dilate(x, w, Geometry(op, x.shape, w.shape), np)[0]
    return run


@registry.kernel("Dilation2DBackpropInput")
def _backprop_input(op):
    def run(x, w, grad):
        geo = Geometry(op, x.shape, w.shape)
        check_grad(grad, geo)
        return backprop_input(x, w, grad, geo, _np_add_slice, np)
    return run


@registry.kernel("Dilation2DBackpropFilter")
def _backprop_filter(op):
    def run(x, w, grad):
        geo = Geometry(op, x.shape, w.shape)
        check_grad(grad, geo)
        return backprop_filter(x, w, grad, geo, np)
    return run
