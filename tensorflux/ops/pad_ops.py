"""Padding and block rearrangement: `pad` (constant/reflect/symmetric), space_to_depth and back."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


# --- pad -------------------------------------------------------------------------------------
def _padded_shape(x, p, sign):
    """Output shape of padding `x` by paddings tensor `p` (sign -1: the MirrorPadGrad shape)."""
    dtype = x.dtype.base_dtype
    ps = p.shape
    if ps.ndims is not None and ps.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % ps.ndims)
    r = x.shape.ndims
    rows = ps[0].value if ps.ndims == 2 else None
    if ps.ndims == 2 and ps[1].value is not None and ps[1].value != 2:
        raise ShapeError("Dimension must be 2 but is %d" % ps[1].value)
    if r is not None and rows is not None and r != rows:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rows, r))
    r = r if r is not None else rows
    v = constant_op.constant_value(p)
    if v is None:
        return [(dtype, tensor_shape.unknown_shape(r))]
    v = np.asarray(v).reshape(-1, 2)
    if (v < 0).any():
        raise ShapeError("Paddings must be non-negative")
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * len(v)
    out = [None if d is None else d + sign * int(a + b) for d, (a, b) in zip(dims, v)]
    return [(dtype, TS(out))]


def _pad_shape(op):
    x, p = op.inputs[0], op.inputs[1]
    if op.type == "PadV2":
        c = op.inputs[2]
        if c.shape.ndims is not None and c.shape.ndims != 0:
            raise ShapeError("Shape must be rank 0 but is rank %d" % c.shape.ndims)
    return _padded_shape(x, p, 1)


def _pad_grad(op, g):
    from tensorflux.ops import slicing_ops

    x, p = op.inputs[0], op.inputs[1]
    pad_before = slicing_ops.slice(p, [0, 0], array_ops.stack([array_ops.rank(x), 1]))
    begin = array_ops.reshape(pad_before, [-1])
    x_grad = slicing_ops.slice(g, begin, array_ops.shape(x, out_type=p.dtype.base_dtype))
    return [x_grad] + [None] * (len(op.inputs) - 1)


def _mirror_pad_grad(op, g):
    return [mirror_pad_grad(g, op.inputs[1], op._attrs["mode"]), None]


def _mirror_pad_grad_grad(op, g):
    return [_mirror_pad(g, op.inputs[1], op._attrs["mode"]), None]


registry.register("Pad", shape=_pad_shape, grad=_pad_grad)
registry.register("PadV2", shape=_pad_shape, grad=_pad_grad)
registry.register("MirrorPad", shape=_pad_shape, grad=_mirror_pad_grad)
registry.register("MirrorPadGrad", shape=lambda op: _padded_shape(op.inputs[0], op.inputs[1], -1),
                  grad=_mirror_pad_grad_grad)


def _paddings_tensor(paddings):
    return paddings if isinstance(paddings, Tensor) else convert(paddings, dtype=dtypes.int32,
                                                                 name="paddings")


def _mirror_pad(x, paddings, mode, name=None):
    with graph_lib.name_scope(name, "MirrorPad", [x, paddings]) as scope:
        x = convert(x, name="input")
        p = _paddings_tensor(paddings)
        return registry.make_tensor("MirrorPad", [x, p], {"mode": mode,
                                                          "Tpaddings": p.dtype.base_dtype},
                                    name=scope)


def mirror_pad_grad(grad, paddings, mode, name=None):
    """Folds the gradient of a mirror-padded tensor back onto the unpadded input."""
    with graph_lib.name_scope(name, "MirrorPadGrad", [grad, paddings]) as scope:
        g = convert(grad, name="input")
        p = _paddings_tensor(paddings)
        return registry.make_tensor("MirrorPadGrad", [g, p], {"mode": mode,
                                                              "Tpaddings": p.dtype.base_dtype},
                                    name=scope)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pads `tensor`: `paddings[i] = [before, after]` elements around dimension i.

    `mode` is "CONSTANT" (with `constant_values`), "REFLECT" (mirror without the edge) or
    "SYMMETRIC" (mirror with the edge), in any letter case.

    Example:
        >>> tf.pad([[1, 2, 3], [4, 5, 6]], [[1, 1], [2, 2]], "REFLECT")  # shape [4, 7]
    """
    mode = mode.upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            with graph_lib.name_scope(name, "Pad", [tensor, paddings]) as scope:
                x = convert(tensor, name="input")
                p = _paddings_tensor(paddings)
                return registry.make_tensor("Pad", [x, p], {"Tpaddings": p.dtype.base_dtype},
                                            name=scope)
        with graph_lib.name_scope(name, "PadV2", [tensor, paddings, constant_values]) as scope:
            x = convert(tensor, name="input")
            p = _paddings_tensor(paddings)
            c = convert(constant_values, dtype=x.dtype.base_dtype, name="constant_values")
            return registry.make_tensor("PadV2", [x, p, c], {"Tpaddings": p.dtype.base_dtype},
                                        name=scope)
    if mode in ("REFLECT", "SYMMETRIC"):
        return _mirror_pad(tensor, paddings, mode, name=name)
    raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
                     '"SYMMETRIC". Received `mode` = %s' % mode)


# --- space_to_depth / depth_to_space ---------------------------------------------------------
def _block_shape(op):
    x = op.inputs[0]
    bs, fmt = op._attrs["block_size"], op._attrs["data_format"]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(4))]
    if x.shape.ndims != 4:
        raise ShapeError("Shape must be rank 4 but is rank %d" % x.shape.ndims)
    dims = x.shape.as_list()
    h, w, c = (1, 2, 3) if fmt == "NHWC" else (2, 3, 1)
    out = list(dims)
    if op.type == "SpaceToDepth":
        for i in (h, w):
            if dims[i] is not None:
                if dims[i] % bs:
                    raise ShapeError("Dimension size must be evenly divisible by %d but is %d"
                                     % (bs, dims[i]))
                out[i] = dims[i] // bs
        out[c] = None if dims[c] is None else dims[c] * bs * bs
    else:
        if dims[c] is not None:
            if dims[c] % (bs * bs):
                raise ShapeError("Dimension size must be evenly divisible by %d but is %d"
                                 % (bs * bs, dims[c]))
            out[c] = dims[c] // (bs * bs)
        for i in (h, w):
            out[i] = None if dims[i] is None else dims[i] * bs
    return [(dtype, TS(out))]


registry.register("SpaceToDepth", shape=_block_shape,
                  grad=lambda op, g: [depth_to_space(g, op._attrs["block_size"],
                                                     data_format=op._attrs["data_format"])])
registry.register("DepthToSpace", shape=_block_shape,
                  grad=lambda op, g: [space_to_depth(g, op._attrs["block_size"],
                                                     data_format=op._attrs["data_format"])])


def _block_op(op_type, x, block_size, name, data_format):
    block_size = int(block_size)
    if block_size < 2:
        raise ValueError("Attr 'block_size' of '%s' Op passed %d less than minimum 2."
                         % (op_type, block_size))
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError("Value for attr 'data_format' of \"%s\" is not in the list of allowed "
                         "values: \"NHWC\", \"NCHW\"" % data_format)
    with graph_lib.name_scope(name, op_type, [x]) as scope:
        x = convert(x, name="input")
        return registry.make_tensor(op_type, [x], {"block_size": block_size,
                                                   "data_format": data_format}, name=scope)


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """Moves `block_size` x `block_size` spatial blocks into the depth dimension.

    Example:
        >>> tf.space_to_depth(tf.zeros([1, 4, 4, 3]), 2).shape  # (1, 2, 2, 12)
    """
    return _block_op("SpaceToDepth", input, block_size, name, data_format)


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """The inverse of `space_to_depth`: depth becomes `block_size` x `block_size` blocks."""
    return _block_op("DepthToSpace", input, block_size, name, data_format)
