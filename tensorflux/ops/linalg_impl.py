"""Matrix helpers built from other ops: matrix_transpose, adjoint, trace, matvec and norm.

They add no op types (their gradients come from the ops they are made of); `tf.linalg` and the
top level re-export them.
"""

import numpy as np

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, diag_ops, linalg_ops, manip_ops, math_ops, reduction_ops
from tensorflux.ops._helpers import convert


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dimensions of a batch of matrices.

    Example:
        >>> tf.matrix_transpose(tf.zeros([5, 2, 3])).shape  # [5, 3, 2]
    """
    with graph_lib.name_scope(name, "matrix_transpose", [a]):
        a = convert(a, name="a")
        ndims = a.shape.ndims
        if ndims is not None:
            if ndims < 2:
                raise ValueError("Argument 'a' should be a (batch) matrix, with rank >= 2.  "
                                 "Found: %s" % a.shape)
            perm = list(range(ndims - 2)) + [ndims - 1, ndims - 2]
        else:
            rank = array_ops.rank(a)
            perm = array_ops.concat([array_ops.range(0, rank - 2), [rank - 1, rank - 2]], 0)
        return array_ops.transpose(a, perm, conjugate=conjugate)


def adjoint(matrix, name=None):
    """The conjugate transpose of (a batch of) matrices; the transpose for real dtypes."""
    with graph_lib.name_scope(name, "adjoint", [matrix]):
        return matrix_transpose(convert(matrix, name="matrix"), conjugate=True)


def trace(x, name=None):
    """The sum of the main diagonal of each matrix: `[..., M, N]` -> `[...]`.

    Example:
        >>> tf.trace([[1, 2], [3, 4]])  # 5
    """
    with graph_lib.name_scope(name, "Trace", [x]) as scope:
        x = convert(x, name="x")
        return reduction_ops.reduce_sum(diag_ops.matrix_diag_part(x), [-1], name=scope)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Matrix times vector, batched: `[..., M, N] x [..., N]` -> `[..., M]`.

    Example:
        >>> tf.linalg.matvec([[1., 2.], [3., 4.]], [1., 1.])  # [3., 7.]
    """
    with graph_lib.name_scope(name, "MatVec", [a, b]):
        b = manip_ops.expand_dims(convert(b, name="b"), -1)
        out = linalg_ops.matmul(a, b, transpose_a=transpose_a, adjoint_a=adjoint_a,
                                a_is_sparse=a_is_sparse, b_is_sparse=b_is_sparse)
        return manip_ops.squeeze(out, [-1])


_VECTOR_ORDS = ["euclidean", 1, 2, np.inf]
_MATRIX_ORDS = ["euclidean", "fro", 1, np.inf]


def _check_norm_args(ord, axis):  # noqa: A002 - TF's keyword
    """Returns (axis as a tuple or None, whether it is a matrix norm); TF 1.15's checks."""
    bad_axis = "'axis' must be None, an integer, or a tuple of 2 unique integers, got %s"
    if isinstance(axis, (tuple, list)) and len(axis) == 2:
        if not all(isinstance(a, int) for a in axis) or axis[0] == axis[1]:
            raise ValueError(bad_axis % (tuple(axis),))
        if ord not in _MATRIX_ORDS:
            raise ValueError("'ord' must be a supported matrix norm in %s, got %s"
                             % (_MATRIX_ORDS, ord))
        return tuple(axis), True
    if axis is not None and not isinstance(axis, int):
        raise ValueError(bad_axis % (axis,))
    numeric = isinstance(ord, (int, float)) and not isinstance(ord, bool)
    if ord not in _VECTOR_ORDS and not (numeric and ord > 0):
        raise ValueError("'ord' must be a supported vector norm, got %s" % ord)
    return (None if axis is None else (axis,)), False


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None,  # noqa: A002
         keep_dims=None):
    """Vector p-norms and matrix norms ('fro'/'euclidean', 1, inf) of a tensor.

    `axis=None` treats the whole tensor as one vector; an int picks a vector axis; a pair of
    ints picks the two matrix axes.

    Example:
        >>> tf.norm([3., 4.])  # 5.
        >>> tf.norm([[1., -2.], [3., 4.]], ord=1, axis=[0, 1])  # 6. (largest column sum)
    """
    if keepdims is not None and keep_dims is not None and bool(keepdims) != bool(keep_dims):
        raise ValueError("The `keep_dims` and `keepdims` arguments may not both be set.")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axis, is_matrix = _check_norm_args(ord, axis)
    with graph_lib.name_scope(name, "norm", [tensor]):
        x = convert(tensor, name="tensor")
        if ord in ("fro", "euclidean", 2, 2.0):
            squares = math_ops.multiply(x, math_ops.conj(x))
            out = math_ops.sqrt(reduction_ops.reduce_sum(squares, axis, keepdims=True))
        else:
            out = _abs_norm(math_ops.abs(x), ord, axis, is_matrix)
        return out if keep else manip_ops.squeeze(out, axis)


def _abs_norm(a, ord, axis, is_matrix):  # noqa: A002 - TF's keyword
    first = None if axis is None else axis[0]
    if ord == 1:
        out = reduction_ops.reduce_sum(a, first, keepdims=True)
        return reduction_ops.reduce_max(out, axis[1], keepdims=True) if is_matrix else out
    if ord == np.inf:
        if is_matrix:
            a = reduction_ops.reduce_sum(a, axis[1], keepdims=True)
        return reduction_ops.reduce_max(a, first, keepdims=True)
    p = math_ops.cast(ord, a.dtype.base_dtype)
    total = reduction_ops.reduce_sum(math_ops.pow(a, p), axis, keepdims=True)
    return math_ops.pow(total, math_ops.reciprocal(p))
