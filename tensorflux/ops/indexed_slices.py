"""IndexedSlices: the sparse gradient of gather/embedding_lookup, densified where needed.

`tf.gradients` returns an IndexedSlices for the parameters of `tf.gather` (as TF does). Any op
that receives one converts it to a dense tensor (an unsorted segment sum), so it can be passed
to `assign_sub`, multiplied by a learning rate, added, or fetched.
"""

import collections

from tensorflux.graph import tensor_shape
from tensorflux.ops import constant_op

IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])


class IndexedSlices:
    """A sparse slice of a dense tensor: `values` at rows `indices` of a `dense_shape` tensor.

    Example:
        >>> g = tf.gradients(tf.reduce_sum(tf.gather(v, [0, 2])), v)[0]  # an IndexedSlices
        >>> sess.run(v.assign_sub(0.1 * g))
    """

    value_type = IndexedSlicesValue

    def __init__(self, values, indices, dense_shape=None):
        self.values = values
        self.indices = indices
        self.dense_shape = dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def graph(self):
        return self.values.graph

    @property
    def name(self):
        return self.values.name

    @property
    def op(self):
        return self.values.op

    @property
    def device(self):
        return self.values.device

    @property
    def shape(self):
        """The static shape of the dense tensor this stands for."""
        if self.dense_shape is None:
            return tensor_shape.unknown_shape()
        return constant_op.constant_value_as_shape(self.dense_shape)

    def get_shape(self):
        return self.shape

    def __neg__(self):
        from tensorflux.ops import math_ops

        return IndexedSlices(math_ops.negative(self.values), self.indices, self.dense_shape)

    def __mul__(self, other):
        """Scaling by a scalar keeps the slices sparse; anything else densifies first."""
        from tensorflux.ops import math_ops

        t = constant_op.convert_to_tensor(other, dtype=self.dtype.base_dtype)
        if t.shape.ndims == 0:
            return IndexedSlices(math_ops.multiply(self.values, t), self.indices,
                                 self.dense_shape)
        return math_ops.multiply(densify(self), t)

    __rmul__ = __mul__

    def __repr__(self):
        return "IndexedSlices(indices=%s, values=%s%s)" % (
            self.indices, self.values,
            ", dense_shape=%s" % self.dense_shape if self.dense_shape is not None else "")


def densify(x):
    """A dense Tensor for an IndexedSlices (summing duplicate rows), or `x` itself."""
    if not isinstance(x, IndexedSlices):
        return x
    if x.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices without dense_shape: %s"
                         % x)
    from tensorflux.ops import segment_ops

    out = segment_ops.unsorted_segment_sum(x.values, x.indices, x.dense_shape[0])
    out.set_shape(x.shape)
    return out


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError("Tensor conversion requested dtype %s for IndexedSlices with dtype %s"
                         % (dtype.name, value.dtype.name))
    return densify(value)


constant_op.register_tensor_conversion_function(IndexedSlices, _to_tensor)

__all__ = ["IndexedSlices", "IndexedSlicesValue", "densify"]
