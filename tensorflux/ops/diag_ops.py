"""Matrix diagonals and bands: matrix_diag(_part), matrix_set_diag, matrix_band_part, eye; and
TF1's tensor diagonals `tf.diag` / `tf.diag_part` (rank k <-> rank 2k)."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, registry
from tensorflux.ops._helpers import convert, same_shape
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


def _at_least(x, r):
    if x.shape.ndims is not None and x.shape.ndims < r:
        raise ShapeError("Shape must be at least rank %d but is rank %d" % (r, x.shape.ndims))


def _diag_shape(op):
    x = op.inputs[0]
    _at_least(x, 1)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    d = x.shape.as_list()
    return [(x.dtype.base_dtype, TS(d + [d[-1]]))]


def _diag_part_dims(shape):
    """`[..., M, N]` -> `[..., min(M, N)]` (unknown where M or N is unknown)."""
    d = shape.as_list()
    m, n = d[-2], d[-1]
    return TS(d[:-2] + [None if m is None or n is None else min(m, n)])


def _diag_part_shape(op):
    x = op.inputs[0]
    _at_least(x, 2)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(x.dtype.base_dtype, _diag_part_dims(x.shape))]


def _set_diag_shape(op):
    x, diag = op.inputs
    _at_least(x, 2)
    _at_least(diag, 1)
    if x.shape.ndims is not None and diag.shape.ndims is not None:
        if diag.shape.ndims != x.shape.ndims - 1:
            raise ShapeError("Shape must be rank %d but is rank %d"
                             % (x.shape.ndims - 1, diag.shape.ndims))
        want = _diag_part_dims(x.shape)
        if not want.is_compatible_with(diag.shape):
            raise ShapeError("Dimensions must be equal, but are %s and %s" % (want, diag.shape))
    return [(x.dtype.base_dtype, x.shape)]


def _diag_part_grad(op, g):
    x = op.inputs[0]
    m = x.shape[-2:] if x.shape.ndims is not None else TS(None)
    if m.is_fully_defined() and m[0].value == m[1].value:
        return [matrix_diag(g)]
    return [matrix_set_diag(array_ops.zeros_like(x), g)]


def _set_diag_grad(op, g):
    return [matrix_set_diag(g, array_ops.zeros_like(op.inputs[1])), matrix_diag_part(g)]


registry.register("MatrixDiag", shape=_diag_shape, grad=lambda op, g: [matrix_diag_part(g)])
registry.register("MatrixDiagPart", shape=_diag_part_shape, grad=_diag_part_grad)
registry.register("MatrixSetDiag", shape=_set_diag_shape, grad=_set_diag_grad)
registry.register("MatrixBandPart", shape=same_shape,
                  grad=lambda op, g: [matrix_band_part(g, op.inputs[1], op.inputs[2]), None,
                                      None])


def _tensor_diag_shape(op):
    """Diag: `[D1, ..., Dk]` -> `[D1, ..., Dk, D1, ..., Dk]`."""
    x = op.inputs[0]
    _at_least(x, 1)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(x.dtype.base_dtype, x.shape.concatenate(x.shape))]


def _tensor_diag_part_shape(op):
    """DiagPart: `[D1, ..., Dk, D1, ..., Dk]` -> `[D1, ..., Dk]`; the halves must agree (an
    unknown dimension takes its partner's size)."""
    x = op.inputs[0]
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    rank = x.shape.ndims
    if rank == 0 or rank % 2:
        raise ShapeError("Input must have even and non-zero rank, input rank is %d" % rank)
    dims = x.shape.as_list()
    half = rank // 2
    out = []
    for a, b in zip(dims[:half], dims[half:]):
        if a is not None and b is not None and a != b:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (a, b))
        out.append(a if a is not None else b)
    return [(x.dtype.base_dtype, TS(out))]


registry.register("Diag", shape=_tensor_diag_shape, grad=lambda op, g: [diag_part(g)])
registry.register("DiagPart", shape=_tensor_diag_part_shape, grad=lambda op, g: [diag(g)])


def diag(diagonal, name=None):
    """TF1's `tf.diag`: a rank-2k tensor with `diagonal` (rank k >= 1) on its diagonal,
    `out[i1..ik, i1..ik] = diagonal[i1..ik]` and zeros elsewhere (op type Diag).

    Example:
        >>> tf.diag([1, 2])  # [[1, 0], [0, 2]]
    """
    with graph_lib.name_scope(name, "Diag", [diagonal]) as scope:
        d = convert(diagonal, name="diagonal")
        return registry.make_tensor("Diag", [d], name=scope)


def diag_part(input, name=None):  # noqa: A002 - TF's keyword
    """TF1's `tf.diag_part`, the inverse of `tf.diag`: rank 2k -> rank k, `out[i1..ik] =
    input[i1..ik, i1..ik]` (op type DiagPart).

    Example:
        >>> tf.diag_part([[1, 0], [0, 2]])  # [1, 2]
    """
    with graph_lib.name_scope(name, "DiagPart", [input]) as scope:
        x = convert(input, name="input")
        return registry.make_tensor("DiagPart", [x], name=scope)


def _only_main_diagonal(fn, k, **others):
    if (k if not isinstance(k, (list, tuple)) else tuple(k)) not in (0, (0, 0)) or \
            any(v not in (-1, 0) for v in others.values()):
        raise NotImplementedError("%s supports the main diagonal only (k=0, default sizes and "
                                  "padding)" % fn)


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0):
    """Batched diagonal matrices: `[..., N]` -> `[..., N, N]` with the values on the diagonal.

    Example:
        >>> tf.matrix_diag([[1, 2], [3, 4]])  # [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
    """
    _only_main_diagonal("matrix_diag", k, num_rows=num_rows, num_cols=num_cols,
                        padding_value=padding_value)
    with graph_lib.name_scope(name, "MatrixDiag", [diagonal]) as scope:
        d = convert(diagonal, name="diagonal")
        return registry.make_tensor("MatrixDiag", [d], name=scope)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0):  # noqa: A002
    """The main diagonals of a batch of matrices: `[..., M, N]` -> `[..., min(M, N)]`."""
    _only_main_diagonal("matrix_diag_part", k, padding_value=padding_value)
    with graph_lib.name_scope(name, "MatrixDiagPart", [input]) as scope:
        x = convert(input, name="input")
        return registry.make_tensor("MatrixDiagPart", [x], name=scope)


def matrix_set_diag(input, diagonal, name="set_diag", k=0):  # noqa: A002
    """`input` with its main diagonals replaced by `diagonal`."""
    _only_main_diagonal("matrix_set_diag", k)
    with graph_lib.name_scope(name, "MatrixSetDiag", [input, diagonal]) as scope:
        x = convert(input, name="input")
        d = convert(diagonal, dtype=x.dtype.base_dtype, name="diagonal")
        return registry.make_tensor("MatrixSetDiag", [x, d], name=scope)


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keeps a band of each matrix: `num_lower` sub- and `num_upper` super-diagonals (a negative
    count keeps the whole triangle), zeros elsewhere.

    Example:
        >>> tf.matrix_band_part(tf.ones([3, 3]), 0, -1)  # upper triangle
    """
    with graph_lib.name_scope(name, "MatrixBandPart", [input, num_lower, num_upper]) as scope:
        x = convert(input, name="input")
        lo = num_lower if isinstance(num_lower, Tensor) else convert(
            num_lower, dtype=dtypes.int64, name="num_lower")
        hi = num_upper if isinstance(num_upper, Tensor) else convert(
            num_upper, dtype=lo.dtype.base_dtype, name="num_upper")
        return registry.make_tensor("MatrixBandPart", [x, lo, hi],
                                    {"Tindex": lo.dtype.base_dtype}, name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Identity matrices, optionally rectangular and batched.

    Example:
        >>> tf.eye(2, num_columns=3)  # [[1., 0., 0.], [0., 1., 0.]]
    """
    from tensorflux.ops import math_ops

    with graph_lib.name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        batch_shape = [] if batch_shape is None else batch_shape
        num_columns = num_rows if num_columns is None else num_columns
        if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
            diag_size = math_ops.minimum(num_rows, num_columns)
        else:
            ints = (int, np.integer)
            if not isinstance(num_rows, ints) or not isinstance(num_columns, ints):
                raise TypeError("Arguments `num_rows` and `num_columns` must be positive integer "
                                "values. Received: num_rows=%s, num_columns=%s"
                                % (num_rows, num_columns))
            is_square = num_rows == num_columns
            diag_size = int(min(num_rows, num_columns))
        if isinstance(batch_shape, Tensor) or isinstance(diag_size, Tensor):
            batch_shape = convert(batch_shape, dtype=dtypes.int32, name="shape")
            diag_shape = array_ops.concat([batch_shape, [diag_size]], 0)
            if not is_square:
                shape = array_ops.concat([batch_shape, [num_rows, num_columns]], 0)
        else:
            batch_shape = list(batch_shape)
            diag_shape = batch_shape + [diag_size]
            if not is_square:
                shape = batch_shape + [num_rows, num_columns]
        diag_ones = array_ops.ones(diag_shape, dtype=dtype)
        if is_square:
            return matrix_diag(diag_ones)
        return matrix_set_diag(array_ops.zeros(shape, dtype=dtype), diag_ones)
