"""Matrix inverse, determinants, solvers, Cholesky and symmetric eigendecomposition (one op
each, with TF's linalg_grad rules), and the composites logdet, cholesky_solve and
matrix_solve_ls.

Every op works on batches of matrices `[..., M, N]` of float32 or float64:

    >>> tf.matrix_inverse([[2., 0.], [0., 4.]])  # [[0.5, 0.], [0., 0.25]]
    >>> tf.matrix_solve(a, b)                     # x with a @ x == b
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    diag_ops,
    linalg_impl,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

_FLOATS = (dtypes.float64, dtypes.float32)


# --- shape functions -------------------------------------------------------------------------
def _square(shape):
    """`shape` as a list after TF's checks that it is a batch of square matrices."""
    if shape.ndims is None:
        return None
    if shape.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % shape.ndims)
    dims = shape.as_list()
    if dims[-1] is not None and dims[-2] is not None and dims[-1] != dims[-2]:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (dims[-2], dims[-1]))
    return dims


def _same_shape(op):
    x = op.inputs[0]
    dims = _square(x.shape)
    return [(x.dtype.base_dtype, tensor_shape.TensorShape(dims))]


def _batch_shape(op):
    x = op.inputs[0]
    dims = _square(x.shape)
    return [(x.dtype.base_dtype, tensor_shape.TensorShape(None if dims is None else dims[:-2]))]


def _sign_logdet_shape(op):
    return _batch_shape(op) * 2


def _merge(a, b):
    if a is not None and b is not None and a != b:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (a, b))
    return a if a is not None else b


def _solve_shape(op):
    matrix, rhs = op.inputs
    dims = _square(matrix.shape)
    if dims is None or rhs.shape.ndims is None:
        return [(matrix.dtype.base_dtype, tensor_shape.unknown_shape())]
    if rhs.shape.ndims != len(dims):
        raise ShapeError("Shapes must be equal rank, but are %d and %d"
                         % (len(dims), rhs.shape.ndims))
    rdims = rhs.shape.as_list()
    batch = [_merge(a, b) for a, b in zip(dims[:-2], rdims[:-2])]
    rows = _merge(dims[-1], rdims[-2])
    return [(matrix.dtype.base_dtype, tensor_shape.TensorShape(batch + [rows, rdims[-1]]))]


def _eig_shape(op):
    x = op.inputs[0]
    dims = _square(x.shape)
    dt = x.dtype.base_dtype
    if dims is None:
        e = v = tensor_shape.unknown_shape()
    else:
        e = tensor_shape.TensorShape(dims[:-1])
        v = tensor_shape.TensorShape(dims)
    if not op._attrs["compute_v"]:
        v = tensor_shape.TensorShape([0])
    return [(dt, e), (dt, v)]


# --- gradients (TF's linalg_grad rules) ------------------------------------------------------
def _inverse_grad(op, g):
    ainv = op.outputs[0]
    adj = op._attrs["adjoint"]
    inner = linalg_ops.matmul(g, ainv, adjoint_a=adj, adjoint_b=not adj)
    return [math_ops.negative(linalg_ops.matmul(ainv, inner, adjoint_a=not adj))]


def _expand2(x):
    return manip_ops.expand_dims(manip_ops.expand_dims(x, -1), -1)


def _determinant_grad(op, g):
    a_adj_inv = matrix_inverse(op.inputs[0], adjoint=True)
    return [math_ops.multiply(_expand2(math_ops.multiply(g, op.outputs[0])), a_adj_inv)]


def _log_determinant_grad(op, _, g_log_abs_det):
    a_adj_inv = matrix_inverse(op.inputs[0], adjoint=True)
    return [math_ops.multiply(_expand2(g_log_abs_det), a_adj_inv)]


def _solve_grads(op, g, solve, **kw):
    """`grad_b` solves the adjoint system; `grad_a = -grad_b c^H` (or its adjoint)."""
    a, c = op.inputs[0], op.outputs[0]
    adj = op._attrs["adjoint"]
    grad_b = solve(a, g, adjoint=not adj, **kw)
    if adj:
        grad_a = linalg_ops.matmul(c, grad_b, adjoint_b=True)
    else:
        grad_a = linalg_ops.matmul(grad_b, c, adjoint_b=True)
    return math_ops.negative(grad_a), grad_b


def _solve_grad(op, g):
    return list(_solve_grads(op, g, matrix_solve))


def _triangular_solve_grad(op, g):
    lower = op._attrs["lower"]
    grad_a, grad_b = _solve_grads(op, g, matrix_triangular_solve, lower=lower)
    grad_a = diag_ops.matrix_band_part(grad_a, -1, 0) if lower else \
        diag_ops.matrix_band_part(grad_a, 0, -1)
    return [grad_a, grad_b]


def _cholesky_grad(op, g):
    """Murray's formula (arXiv:1602.07527), symmetric in the input."""
    chol = op.outputs[0]
    if not chol.shape.is_fully_defined():
        raise NotImplementedError("the Cholesky gradient needs a static input shape in "
                                  "tensorflux")
    *batch, n, _ = chol.shape.as_list()
    identity = diag_ops.eye(n, batch_shape=batch or None, dtype=chol.dtype.base_dtype)
    chol_inv = matrix_triangular_solve(chol, identity)
    middle = linalg_ops.matmul(chol, g, adjoint_a=True)
    half = math_ops.cast(0.5, chol.dtype.base_dtype)
    middle = diag_ops.matrix_set_diag(middle, half * diag_ops.matrix_diag_part(middle))
    middle = diag_ops.matrix_band_part(middle, -1, 0)
    grad_a = linalg_ops.matmul(linalg_ops.matmul(chol_inv, middle, adjoint_a=True), chol_inv)
    grad_a = grad_a + linalg_impl.adjoint(grad_a)
    return [half * grad_a]


def _safe_reciprocal(x):
    eps = math_ops.cast(1e-20, x.dtype.base_dtype)
    return x * math_ops.reciprocal(x * x + eps)


def _eig_grad(op, grad_e, grad_v):
    """Only the lower triangle of the input is read, so its gradient is lower triangular."""
    e, v = op.outputs
    if op._attrs["compute_v"]:
        f = _safe_reciprocal(manip_ops.expand_dims(e, -2) - manip_ops.expand_dims(e, -1))
        f = diag_ops.matrix_set_diag(f, array_ops.zeros_like(e))
        inner = diag_ops.matrix_diag(grad_e)
        if grad_v is not None:
            inner = inner + f * linalg_ops.matmul(v, grad_v, adjoint_a=True)
    else:
        _, v = self_adjoint_eig(op.inputs[0])
        inner = diag_ops.matrix_diag(grad_e)
    grad_a = linalg_ops.matmul(v, linalg_ops.matmul(inner, v, adjoint_b=True))
    grad_a = diag_ops.matrix_band_part(grad_a + linalg_impl.adjoint(grad_a), -1, 0)
    half = math_ops.cast(0.5, grad_a.dtype.base_dtype)
    return [diag_ops.matrix_set_diag(grad_a, half * diag_ops.matrix_diag_part(grad_a))]


registry.register("MatrixInverse", shape=_same_shape, grad=_inverse_grad)
registry.register("MatrixDeterminant", shape=_batch_shape, grad=_determinant_grad)
registry.register("LogMatrixDeterminant", shape=_sign_logdet_shape, grad=_log_determinant_grad)
registry.register("MatrixSolve", shape=_solve_shape, grad=_solve_grad)
registry.register("MatrixTriangularSolve", shape=_solve_shape, grad=_triangular_solve_grad)
registry.register("Cholesky", shape=_same_shape, grad=_cholesky_grad)
registry.register("SelfAdjointEigV2", shape=_eig_shape, grad=_eig_grad)


# --- wrappers --------------------------------------------------------------------------------
def _float_input(x, arg="input", dtype=None):
    t = convert(x, dtype=dtype, name=arg)
    if t.dtype.base_dtype not in _FLOATS:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: float64, float32" % (arg, t.dtype.base_dtype.name))
    return t


def _pair(matrix, rhs):
    m = _float_input(matrix, "matrix")
    r = _float_input(rhs, "rhs", dtype=m.dtype.base_dtype)
    return m, r


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002 - TF's keyword
    """The inverses (or, with `adjoint`, the inverse adjoints) of a batch of square matrices.

    Example:
        >>> tf.matrix_inverse([[2., 0.], [0., 4.]])  # [[0.5, 0.], [0., 0.25]]
    """
    x = _float_input(input)
    return registry.make_tensor("MatrixInverse", [x], {"adjoint": bool(adjoint)},
                                name=name or "MatrixInverse")


def matrix_determinant(input, name=None):  # noqa: A002 - TF's keyword
    """The determinants of a batch of square matrices: `[..., M, M]` -> `[...]`.

    Example:
        >>> tf.matrix_determinant([[1., 2.], [3., 4.]])  # -2.
    """
    return registry.make_tensor("MatrixDeterminant", [_float_input(input)],
                                name=name or "MatrixDeterminant")


def log_matrix_determinant(input, name=None):  # noqa: A002 - TF's keyword
    """`(sign, log_abs_determinant)` of a batch of square matrices, without overflow.

    Example:
        >>> tf.log_matrix_determinant([[1., 2.], [3., 4.]])  # (-1., 0.6931472)
    """
    op = registry.make_op("LogMatrixDeterminant", [_float_input(input)],
                          name=name or "LogMatrixDeterminant")
    return op.outputs[0], op.outputs[1]


def logdet(matrix, name=None):
    """`log(det(matrix))` of Hermitian positive definite matrices, via their Cholesky factors.

    Example:
        >>> tf.linalg.logdet([[4., 0.], [0., 9.]])  # log(36.) = 3.583519
    """
    with graph_lib.name_scope(name, "logdet", [matrix]):
        chol = cholesky(matrix)
        diag = diag_ops.matrix_diag_part(chol)
        total = reduction_ops.reduce_sum(math_ops.log(diag), axis=[-1])
        return math_ops.cast(2.0, chol.dtype.base_dtype) * total


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """Solves `matrix @ x = rhs` (or `adjoint(matrix) @ x = rhs`) for a batch of systems.

    Example:
        >>> tf.matrix_solve([[2., 0.], [0., 4.]], [[2.], [2.]])  # [[1.], [0.5]]
    """
    m, r = _pair(matrix, rhs)
    return registry.make_tensor("MatrixSolve", [m, r], {"adjoint": bool(adjoint)},
                                name=name or "MatrixSolve")


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solves a triangular system; only the lower (or, with `lower=False`, upper) triangle of
    `matrix` is read.

    Example:
        >>> tf.matrix_triangular_solve([[2., 0.], [1., 1.]], [[2.], [3.]])  # [[1.], [2.]]
    """
    m, r = _pair(matrix, rhs)
    return registry.make_tensor("MatrixTriangularSolve", [m, r],
                                {"lower": bool(lower), "adjoint": bool(adjoint)},
                                name=name or "MatrixTriangularSolve")


def cholesky(input, name=None):  # noqa: A002 - TF's keyword
    """The lower-triangular Cholesky factors `L` (`L @ L^H == input`) of positive definite
    matrices; only the lower triangle of `input` is read.

    Example:
        >>> tf.cholesky([[4., 2.], [2., 5.]])  # [[2., 0.], [1., 2.]]
    """
    return registry.make_tensor("Cholesky", [_float_input(input)], name=name or "Cholesky")


def cholesky_solve(chol, rhs, name=None):
    """Solves `A x = rhs` given `chol = tf.cholesky(A)`, with two triangular solves.

    Example:
        >>> tf.cholesky_solve(tf.cholesky(a), b)  # same as tf.matrix_solve(a, b)
    """
    with graph_lib.name_scope(name, "cholesky_solve", [chol, rhs]):
        y = matrix_triangular_solve(chol, rhs, adjoint=False, lower=True)
        return matrix_triangular_solve(chol, y, adjoint=True, lower=True)


def self_adjoint_eig(tensor, name=None):
    """`(e, v)`: ascending eigenvalues and eigenvectors (columns) of self-adjoint matrices;
    only the lower triangle is read.

    Example:
        >>> e, v = tf.self_adjoint_eig([[2., 1.], [1., 2.]])  # e == [1., 3.]
    """
    op = registry.make_op("SelfAdjointEigV2", [_float_input(tensor)], {"compute_v": True},
                          name=name or "SelfAdjointEigV2")
    return op.outputs[0], op.outputs[1]


def self_adjoint_eigvals(tensor, name=None):
    """The ascending eigenvalues of self-adjoint matrices (no eigenvectors are computed).

    Example:
        >>> tf.self_adjoint_eigvals([[2., 1.], [1., 2.]])  # [1., 3.]
    """
    op = registry.make_op("SelfAdjointEigV2", [_float_input(tensor)], {"compute_v": False},
                          name=name or "SelfAdjointEigV2")
    return op.outputs[0]


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Least-squares solutions of `matrix @ x = rhs`, with optional L2 regularization, from the
    normal equations (TF's `fast=True` path: Cholesky of the Gramian).

    Example:
        >>> tf.matrix_solve_ls([[1.], [1.]], [[1.], [3.]])  # [[2.]]
    """
    if not fast:
        raise NotImplementedError("matrix_solve_ls(fast=False) (complete orthogonal "
                                  "decomposition) is not implemented in tensorflux")
    with graph_lib.name_scope(name, "matrix_solve_ls", [matrix, rhs, l2_regularizer]):
        matrix, rhs = _pair(matrix, rhs)
        dims = matrix.shape.as_list() if matrix.shape.ndims is not None else None
        if dims is None or dims[-1] is None or dims[-2] is None:
            raise ValueError("matrix_solve_ls needs static matrix dimensions in tensorflux")
        rows, cols = dims[-2], dims[-1]
        dtype = matrix.dtype.base_dtype
        l2 = convert(l2_regularizer, dtype=dtype, name="l2_regularizer")
        if rows >= cols:
            gramian = linalg_ops.matmul(matrix, matrix, adjoint_a=True)
            gramian = gramian + l2 * diag_ops.eye(cols, dtype=dtype)
            chol = cholesky(gramian)
            z = linalg_ops.matmul(matrix, rhs, adjoint_a=True)
            return cholesky_solve(chol, z)
        gramian = linalg_ops.matmul(matrix, matrix, adjoint_b=True)
        gramian = gramian + l2 * diag_ops.eye(rows, dtype=dtype)
        chol = cholesky(gramian)
        z = cholesky_solve(chol, rhs)
        return linalg_ops.matmul(matrix, z, adjoint_a=True)
