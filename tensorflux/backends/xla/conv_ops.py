"""XLA kernels for convolutions (ops/conv_ops.py) via `lax.conv_general_dilated`.

Padding follows TF exactly: `conv_ops.window_geometry` gives the (before, after) pairs for SAME,
VALID and EXPLICIT, so SAME's odd element goes after, as in TF. The backprop ops are the exact
transposes of the forward convolution (`jax.linear_transpose`), which XLA lowers to the usual
transposed convolutions. Depthwise convolutions are grouped convolutions (one group per input
channel, TF's `c * multiplier + m` output order).
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.backends.xla.kernel import kernel
from tensorflux.ops import conv_ops


class Geometry:
    """A conv op's layout, strides, dilations and padding rule, resolved from its attrs."""

    def __init__(self, op, rank):
        fmt = conv_ops.attr_str(op, "data_format")
        self.rank = rank
        self.channels_first = fmt.startswith("NC")
        self.strides, self.dilations, self.padding, self.explicit = conv_ops.spatial_attrs(op, rank)
        sp = "DHW"[3 - (rank - 2):]
        self.lhs = ("NC" + sp) if self.channels_first else ("N" + sp + "C")
        self.rhs = sp + "IO"

    def pads(self, x_shape, k_sizes):
        sizes = x_shape[2:] if self.channels_first else x_shape[1:-1]
        _, pads = conv_ops.window_geometry(list(sizes), list(k_sizes), self.strides,
                                           self.dilations, self.padding, self.explicit)
        return pads

    def conv(self, x, w, groups=1):
        pads = self.pads(x.shape, w.shape[:-2])
        extents = [(k - 1) * d + 1 for k, d in zip(w.shape[:-2], self.dilations)]
        if any(max(p) > e - 1 for p, e in zip(pads, extents)):
            # Padding wider than the window: pad explicitly. (XLA:CPU's float32 transposed
            # convolution, which the backprop ops become, returns garbage for such padding.)
            full = [(0, 0)] * x.ndim
            for axis, p in zip(self.spatial_axes(x.ndim), pads):
                full[axis] = p
            x = jnp.pad(x, full)
            pads = [(0, 0)] * len(pads)
        dn = lax.conv_dimension_numbers(x.shape, w.shape, (self.lhs, self.rhs, self.lhs))
        return lax.conv_general_dilated(
            x, w, window_strides=self.strides, padding=pads, rhs_dilation=self.dilations,
            dimension_numbers=dn, feature_group_count=groups)

    def spatial_axes(self, ndim):
        return list(range(2, ndim)) if self.channels_first else list(range(1, ndim - 1))

    def channels(self, shape):
        return shape[1] if self.channels_first else shape[-1]


def _sizes(v):
    return tuple(int(d) for d in np.asarray(v).ravel())


def _depthwise_filter(w):
    kh, kw, c, m = w.shape
    return jnp.reshape(w, (kh, kw, 1, c * m)), c


def _forward(rank, depthwise=False):
    def builder(op):
        geo = Geometry(op, rank)

        def run(x, w):
            if depthwise:
                w2, c = _depthwise_filter(w)
                if geo.channels(x.shape) != c:
                    raise ValueError("input depth differs from the filter's")
                return geo.conv(x, w2, groups=c)
            if geo.channels(x.shape) != w.shape[-2]:
                raise ValueError("input depth differs from the filter's")
            return geo.conv(x, w)
        return run
    return builder


def _backprop_input(rank, depthwise=False):
    def builder(op):
        forward = _forward(rank, depthwise)(op)

        def run(sizes, w, dy):
            spec = jax.ShapeDtypeStruct(_sizes(sizes), dy.dtype)
            (dx,) = jax.linear_transpose(lambda x: forward(x, w), spec)(dy)
            return dx
        return run
    return builder


def _backprop_filter(rank, depthwise=False):
    def builder(op):
        forward = _forward(rank, depthwise)(op)

        def run(x, sizes, dy):
            spec = jax.ShapeDtypeStruct(_sizes(sizes), dy.dtype)
            (dw,) = jax.linear_transpose(lambda w: forward(x, w), spec)(dy)
            return dw
        return run
    return builder


kernel("Conv2D")(_forward(4))
kernel("Conv3D")(_forward(5))
kernel("Conv2DBackpropInput", static=(0,))(_backprop_input(4))
kernel("Conv3DBackpropInputV2", static=(0,))(_backprop_input(5))
kernel("Conv2DBackpropFilter", static=(1,))(_backprop_filter(4))
kernel("Conv3DBackpropFilterV2", static=(1,))(_backprop_filter(5))
kernel("DepthwiseConv2dNative")(_forward(4, depthwise=True))
kernel("DepthwiseConv2dNativeBackpropInput", static=(0,))(_backprop_input(4, depthwise=True))
kernel("DepthwiseConv2dNativeBackpropFilter", static=(1,))(_backprop_filter(4, depthwise=True))
