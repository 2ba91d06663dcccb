"""SpaceToBatchND and BatchToSpaceND (each the other's gradient), and the TF 1.x wrappers
tf.space_to_batch_nd / tf.batch_to_space_nd / tf.space_to_batch / tf.batch_to_space.

SpaceToBatchND pads the M spatial dimensions (those after the batch) and moves each
`block_shape` tile offset into the batch dimension; BatchToSpaceND undoes it and crops:

    >>> x = tf.reshape(tf.range(16.), [1, 4, 4, 1])
    >>> tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]).shape  # (4, 2, 2, 1)
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.constant_op import constant_value

TS = tensor_shape.TensorShape


def _static(block, pads):
    b, p = constant_value(block), constant_value(pads)
    return (None, None) if b is None or p is None else (np.asarray(b), np.asarray(p))


def _space_to_batch_shape(op):
    x, block, pads = op.inputs
    b, p = _static(block, pads)
    if b is None or x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(x.shape.ndims))]
    dims = x.shape.as_list()
    m = len(b)
    out = [None if dims[0] is None else dims[0] * int(np.prod(b))]
    for i in range(m):
        d = dims[1 + i]
        if d is None:
            out.append(None)
            continue
        padded = d + int(p[i][0]) + int(p[i][1])
        if padded % int(b[i]):
            raise registry.ShapeError("Dimension size must be evenly divisible by %d but is %d"
                                      % (int(b[i]), padded))
        out.append(padded // int(b[i]))
    return [(x.dtype.base_dtype, TS(out + dims[1 + m:]))]


def _batch_to_space_shape(op):
    x, block, crops = op.inputs
    b, c = _static(block, crops)
    if b is None or x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(x.shape.ndims))]
    dims = x.shape.as_list()
    m, prod = len(b), int(np.prod(b))
    if dims[0] is not None and dims[0] % prod:
        raise registry.ShapeError("Input batch dimension (%d) is not divisible by product of "
                                  "block sizes (%d)" % (dims[0], prod))
    out = [None if dims[0] is None else dims[0] // prod]
    for i in range(m):
        d = dims[1 + i]
        out.append(None if d is None else d * int(b[i]) - int(c[i][0]) - int(c[i][1]))
    return [(x.dtype.base_dtype, TS(out + dims[1 + m:]))]


def _space_to_batch_grad(op, g):
    _, block, pads = op.inputs
    return [batch_to_space_nd(g, block, pads), None, None]


def _batch_to_space_grad(op, g):
    _, block, crops = op.inputs
    return [space_to_batch_nd(g, block, crops), None, None]


registry.register("SpaceToBatchND", shape=_space_to_batch_shape, grad=_space_to_batch_grad)
registry.register("BatchToSpaceND", shape=_batch_to_space_shape, grad=_batch_to_space_grad)


def _apply(op_type, x, block, amounts, amounts_name, name):
    with graph_lib.name_scope(name or op_type) as scope:
        x = convert(x, name="input")
        block = convert(block, dtype=dtypes.int32 if not hasattr(block, "dtype") else None,
                        name="block_shape")
        amounts = convert(amounts, dtype=block.dtype.base_dtype, name=amounts_name)
        return registry.make_tensor(op_type, [x, block, amounts],
                                    {"T": x.dtype.base_dtype,
                                     "Tblock_shape": block.dtype.base_dtype}, name=scope)


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002 - TF's keyword
    """Zero-pads the spatial dimensions and moves `block_shape` tiles into the batch.

    Example:
        >>> tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]])  # [1, 4, 4, 1] -> [4, 2, 2, 1]
    """
    return _apply("SpaceToBatchND", input, block_shape, paddings, "paddings", name)


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002 - TF's keyword
    """The inverse of `space_to_batch_nd`: moves batch tiles back into space, then crops.

    Example:
        >>> tf.batch_to_space_nd(y, [2, 2], [[0, 0], [0, 0]])  # [4, 2, 2, 1] -> [1, 4, 4, 1]
    """
    return _apply("BatchToSpaceND", input, block_shape, crops, "crops", name)


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):  # noqa: A002
    """TF 1.x's 4-D form: `space_to_batch_nd` with a square `block_size` block."""
    block_size = block_shape if block_size is None else block_size
    out = space_to_batch_nd(input, np.array([block_size, block_size], np.int64), paddings,
                            name=name)
    out.set_shape(out.shape.with_rank(4))
    return out


def batch_to_space(input, crops, block_size, name=None, block_shape=None):  # noqa: A002
    """TF 1.x's 4-D form: `batch_to_space_nd` with a square `block_size` block."""
    block_size = block_shape if block_size is None else block_size
    out = batch_to_space_nd(input, np.array([block_size, block_size], np.int64), crops,
                            name=name)
    out.set_shape(out.shape.with_rank(4))
    return out
