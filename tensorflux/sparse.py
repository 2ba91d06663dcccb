"""`tf.sparse`: SparseTensor and the sparse ops under their TF 1.x `tf.sparse.*` names.

Example:
    >>> st = tf.sparse.SparseTensor([[0, 1]], [2.0], [2, 3])
    >>> tf.sparse.to_dense(st)
"""

from tensorflux.ops import sparse_math_ops as _math
from tensorflux.ops import sparse_ops as _ops
from tensorflux.ops import sparse_segment_ops as _segment
from tensorflux.ops import sparse_structure_ops as _structure
from tensorflux.ops.accumulator_ops import SparseConditionalAccumulator
from tensorflux.ops.sparse_tensor import SparseTensor, SparseTensorValue

add = _ops.sparse_add
concat = _structure.sparse_concat
expand_dims = _structure.sparse_expand_dims
eye = _structure.sparse_eye
fill_empty_rows = _structure.sparse_fill_empty_rows
from_dense = _structure.from_dense
mask = _math.sparse_mask
matmul = _ops.sparse_tensor_dense_matmul
maximum = _math.sparse_maximum
merge = _math.sparse_merge
minimum = _math.sparse_minimum
placeholder = _ops.sparse_placeholder
reduce_max = _math.sparse_reduce_max
reduce_max_sparse = _math.sparse_reduce_max_sparse
reduce_sum = _ops.sparse_reduce_sum
reduce_sum_sparse = _math.sparse_reduce_sum_sparse
reorder = _ops.sparse_reorder
reset_shape = _structure.sparse_reset_shape
reshape = _structure.sparse_reshape
retain = _structure.sparse_retain
segment_mean = _segment.sparse_segment_mean
segment_sqrt_n = _segment.sparse_segment_sqrt_n
segment_sum = _segment.sparse_segment_sum
slice = _structure.sparse_slice  # noqa: A001 - TF's name
softmax = _math.sparse_softmax
sparse_dense_matmul = _ops.sparse_tensor_dense_matmul
split = _structure.sparse_split
to_dense = _ops.sparse_tensor_to_dense
to_indicator = _math.sparse_to_indicator
transpose = _structure.sparse_transpose

__all__ = ["SparseConditionalAccumulator", "SparseTensor", "SparseTensorValue", "add", "concat",
           "expand_dims", "eye", "fill_empty_rows", "from_dense", "mask", "matmul", "maximum",
           "merge", "minimum",
           "placeholder", "reduce_max", "reduce_max_sparse", "reduce_sum", "reduce_sum_sparse",
           "reorder", "reset_shape", "reshape", "retain", "segment_mean", "segment_sqrt_n",
           "segment_sum", "slice", "softmax", "sparse_dense_matmul", "split", "to_dense",
           "to_indicator", "transpose"]
