"""`tf.sparse`: SparseTensor and the sparse ops under their TF 1.x `tf.sparse.*` names.

Example:
    >>> st = tf.sparse.SparseTensor([[0, 1]], [2.0], [2, 3])
    >>> tf.sparse.to_dense(st)
"""

from tensorflux.ops import sparse_ops as _ops
from tensorflux.ops.sparse_tensor import SparseTensor, SparseTensorValue

add = _ops.sparse_add
matmul = _ops.sparse_tensor_dense_matmul
placeholder = _ops.sparse_placeholder
reduce_sum = _ops.sparse_reduce_sum
reorder = _ops.sparse_reorder
sparse_dense_matmul = _ops.sparse_tensor_dense_matmul
to_dense = _ops.sparse_tensor_to_dense

__all__ = ["SparseTensor", "SparseTensorValue", "add", "matmul", "placeholder", "reduce_sum",
           "reorder", "sparse_dense_matmul", "to_dense"]
