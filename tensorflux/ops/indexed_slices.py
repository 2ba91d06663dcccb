"""IndexedSlices: the sparse gradient of gather/embedding_lookup, densified where needed."""

from tensorflux.graph.tensor import Tensor


class IndexedSlices:
    """A sparse slice of a dense tensor: `values` at rows `indices` of a `dense_shape` tensor."""

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

    def __repr__(self):
        return "IndexedSlices(indices=%s, values=%s)" % (self.indices, self.values)


def densify(x):
    """A dense Tensor for an IndexedSlices (unsorted segment sum), or `x` itself."""
    if isinstance(x, Tensor) or not isinstance(x, IndexedSlices):
        return x
    from tensorflux.ops import manip_ops

    return manip_ops.unsorted_segment_sum(x.values, x.indices, x.dense_shape[0]) \
        if x.values.shape.ndims == 1 else manip_ops.scatter_nd_rows(x)
