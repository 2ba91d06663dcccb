"""`tf.SparseTensor` and `tf.SparseTensorValue`: a sparse tensor as three dense tensors.

`indices` (int64 [N, rank]), `values` ([N]) and `dense_shape` (int64 [rank]), exactly TF's COO
form. A SparseTensor is fetched as a `SparseTensorValue` and can be fed with one (or with an
`(indices, values, dense_shape)` tuple).
"""

import collections

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])


class SparseTensor:
    """A sparse tensor: `values[i]` sits at `indices[i]` of a `dense_shape` tensor.

    Example:
        >>> st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0],
        ...                      dense_shape=[3, 4])
        >>> tf.sparse.to_dense(st)  # [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]
    """

    value_type = SparseTensorValue

    @classmethod
    def from_value(cls, sparse_tensor_value):
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        if not is_sparse(sparse_tensor_value):
            raise TypeError("Neither a SparseTensor nor SparseTensorValue: %s."
                            % (sparse_tensor_value,))
        return SparseTensor(indices=sparse_tensor_value.indices,
                            values=sparse_tensor_value.values,
                            dense_shape=sparse_tensor_value.dense_shape)

    def __init__(self, indices, values, dense_shape):
        tensors = [x for x in (indices, values, dense_shape) if isinstance(x, Tensor)]
        g = graph_lib._graph_from_values(tensors)
        with g.as_default(), g.name_scope("SparseTensor"):
            indices = constant_op.convert_to_tensor(indices, name="indices",
                                                    dtype=dtypes.int64)
            values = constant_op.convert_to_tensor(values, name="values")
            dense_shape = constant_op.convert_to_tensor(dense_shape, name="dense_shape",
                                                        dtype=dtypes.int64)
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._shape_hint = None
        indices.get_shape().with_rank(2)
        values.get_shape().with_rank(1)
        dense_shape.get_shape().with_rank(1)
        # The number of indices and values, and the rank, must agree.
        indices.get_shape()[0].merge_with(values.get_shape()[0])
        indices.get_shape()[1].merge_with(dense_shape.get_shape()[0])

    @property
    def indices(self):
        return self._indices

    @property
    def values(self):
        return self._values

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def op(self):
        return self._values.op

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def graph(self):
        return self._indices.graph

    @property
    def shape(self):
        """The static shape of the dense tensor, as far as `dense_shape` is known."""
        shape = constant_op.constant_value_as_shape(self._dense_shape)
        if self._shape_hint is not None:
            shape = self._shape_hint.merge_with(shape)
        return shape

    def get_shape(self):
        return self.shape

    def consumers(self):
        seen = []
        for t in (self._indices, self._values, self._dense_shape):
            for op in t.consumers():
                if op not in seen:
                    seen.append(op)
        return seen

    def eval(self, feed_dict=None, session=None):
        """The value (a SparseTensorValue) in the default or given session."""
        from tensorflux.client import session as session_lib

        return session_lib._eval_using_default_session(self, feed_dict, self.graph, session)

    def __str__(self):
        return "SparseTensor(indices=%s, values=%s, dense_shape=%s)" % (
            self._indices, self._values, self._dense_shape)

    __repr__ = __str__


def is_sparse(x):
    """True for a SparseTensor or a SparseTensorValue."""
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """A SparseTensor (from a SparseTensor or SparseTensorValue) or a dense Tensor."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError("Sparse dtype: requested = %s, actual = %s" % (
                dtype.name, value.dtype.name))
        return value
    return constant_op.convert_to_tensor(value, dtype=dtype, name=name)


def _sparse_to_tensor(value, dtype=None, name=None, as_ref=False):
    raise TypeError("Failed to convert object of type %s to Tensor. Contents: %s. Consider "
                    "casting elements to a supported type." % (type(value), value))


constant_op.register_tensor_conversion_function(SparseTensor, _sparse_to_tensor)
