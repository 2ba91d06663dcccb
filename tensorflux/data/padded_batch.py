"""`Dataset.padded_batch`: batches of elements padded to a common shape.

Each component is padded (at the end of every dimension) to its padded shape; a None (or -1)
dimension there pads to the longest element of the batch. The padded shapes travel to the
kernel as int64 vectors (-1 for None) and the padding values as scalars of the component's
dtype, all inputs of the iterator op.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op
from tensorflux.ops.func_graph import flatten, pack_sequence_as

TS = tensor_shape.TensorShape


def _padded_shape(shape, padded, index):
    padded = tensor_shape.as_shape(padded)
    if padded.ndims is None:
        raise ValueError("Padded shape for component %d must have a known rank." % index)
    if shape.ndims is None:
        return padded
    fits = all(p is None or s is None or s <= p
               for s, p in zip(shape.as_list(), padded.as_list()))
    if shape.ndims != padded.ndims or not fits:
        raise ValueError("The padded shape %s is not compatible with the corresponding input "
                         "component shape %s." % (padded, shape))
    return padded


def _default_padding(dtype):
    return b"" if dtype == dtypes.string else np.zeros([], dtype.as_numpy_dtype)


def padded_batch(ds, batch_size, padded_shapes, padding_values, drop_remainder):
    """Builds the "padded_batch" dataset node on `ds` (see `Dataset.padded_batch`)."""
    from tensorflux.data.dataset_ops import _int64, _static

    types = flatten(ds._types)
    shapes = flatten(ds._shapes)
    if padded_shapes is None:
        for s in shapes:
            if s.ndims is None:
                raise ValueError("You must provide `padded_shapes` when an element shape has an "
                                 "unknown rank.")
        wanted = [TS([None] * s.ndims) for s in shapes]
    elif len(types) == 1 and not isinstance(ds._types, (tuple, dict)):
        wanted = [padded_shapes]
    else:
        wanted = [_unwrap(x) for x in flatten(_nest_shapes(ds._types, padded_shapes))]
    split = [_split_dims(p) for p in wanted]
    padded = [_padded_shape(s, p, i) for i, (s, (p, _)) in enumerate(zip(shapes, split))]
    if padding_values is None:
        values = [_default_padding(t) for t in types]
    elif len(types) == 1 and not isinstance(ds._types, (tuple, dict)):
        values = [padding_values]
    else:
        values = flatten(padding_values)
    size = _int64(batch_size, "batch_size")
    dim = _static(size) if drop_remainder else None
    shape_ts = [dims if dims is not None else
                constant_op.constant([-1 if d is None else d for d in p.as_list()],
                                     dtype=dtypes.int64, name="padded_shape")
                for p, (_, dims) in zip(padded, split)]
    value_ts = [constant_op.convert_to_tensor(v, dtype=t, name="padding_value")
                for v, t in zip(values, types)]
    out_shapes = pack_sequence_as(ds._types, [TS([dim]).concatenate(p) for p in padded])
    return ds._derive("padded_batch", shapes=out_shapes, tensors=[size] + shape_ts + value_ts,
                      drop_remainder=bool(drop_remainder))


def _split_dims(padded):
    """(static shape, int64 shape tensor or None) of a padded shape: a list whose dims may be
    scalar tensors (bucket_by_sequence_length pads to a bucket's boundary) gets a tensor."""
    if not isinstance(padded, (list, tuple)) or not any(isinstance(d, Tensor) for d in padded):
        return padded, None
    from tensorflux.ops import array_ops, math_ops

    dims = [math_ops.cast(d, dtypes.int64) if isinstance(d, Tensor) else
            constant_op.constant(-1 if d is None else int(d), dtype=dtypes.int64)
            for d in padded]
    static = TS([None if isinstance(d, Tensor) else d for d in padded])
    return static, array_ops.stack(dims, name="padded_shape")


def _nest_shapes(types, padded_shapes):
    """`padded_shapes` nested like `types`, each leaf a shape (a list of dims is one leaf)."""
    if isinstance(types, dict):
        return {k: _nest_shapes(types[k], padded_shapes[k]) for k in types}
    if isinstance(types, tuple):
        return tuple(_nest_shapes(t, p) for t, p in zip(types, padded_shapes))
    return _ShapeLeaf(padded_shapes)


class _ShapeLeaf:
    """Keeps a list-of-dims shape whole through `flatten` (lists would be split)."""

    def __init__(self, shape):
        self.shape = shape


def _unwrap(x):
    return x.shape if isinstance(x, _ShapeLeaf) else x


__all__ = ["padded_batch"]
