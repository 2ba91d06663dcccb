"""numpy kernels for the inverse, determinants, solvers, Cholesky and eigh ops
(ops/matrix_ops.py), with TF's run-time errors for singular or indefinite input."""

import numpy as np

from tensorflux import errors
from tensorflux.ops.registry import kernel


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def _adjoint(x):
    return np.conj(np.swapaxes(x, -1, -2))


@kernel("MatrixInverse")
def _inverse(op):
    adjoint = op._attrs["adjoint"]

    def run(a):
        try:
            out = np.linalg.inv(_adjoint(a) if adjoint else a)
        except np.linalg.LinAlgError:
            raise _invalid("Input is not invertible.") from None
        return out.astype(a.dtype, copy=False)
    return run


@kernel("MatrixDeterminant")
def _determinant(op):
    return lambda a: np.asarray(np.linalg.det(a), a.dtype)


@kernel("LogMatrixDeterminant")
def _log_determinant(op):
    def run(a):
        sign, logabs = np.linalg.slogdet(a)
        return np.asarray(sign, a.dtype), np.asarray(logabs, a.dtype)
    return run


def _check_solve(a, b):
    if a.shape[:-2] != b.shape[:-2] or a.shape[-1] != b.shape[-2]:
        raise _invalid("Input matrix and right-hand side must have matching shapes, got %s and "
                       "%s" % (list(a.shape), list(b.shape)))


@kernel("MatrixSolve")
def _solve(op):
    adjoint = op._attrs["adjoint"]

    def run(a, b):
        _check_solve(a, b)
        try:
            out = np.linalg.solve(_adjoint(a) if adjoint else a, b)
        except np.linalg.LinAlgError:
            raise _invalid("Input matrix is not invertible.") from None
        return out.astype(a.dtype, copy=False)
    return run


@kernel("MatrixTriangularSolve")
def _triangular_solve(op):
    lower, adjoint = op._attrs["lower"], op._attrs["adjoint"]

    def run(a, b):
        _check_solve(a, b)
        t = np.tril(a) if lower else np.triu(a)
        if np.any(np.diagonal(t, axis1=-2, axis2=-1) == 0):
            raise _invalid("Input matrix is not invertible.")
        out = np.linalg.solve(_adjoint(t) if adjoint else t, b)
        return out.astype(a.dtype, copy=False)
    return run


@kernel("Cholesky")
def _cholesky(op):
    def run(a):
        lower = np.tril(a)  # only the lower triangle is read, as in TF
        try:
            out = np.linalg.cholesky(lower + np.swapaxes(np.tril(a, -1), -1, -2))
        except np.linalg.LinAlgError:
            raise _invalid("Cholesky decomposition was not successful. The input might not be "
                           "valid.") from None
        return out.astype(a.dtype, copy=False)
    return run


@kernel("SelfAdjointEigV2")
def _eigh(op):
    compute_v = op._attrs["compute_v"]

    def run(a):
        if compute_v:
            e, v = np.linalg.eigh(a, UPLO="L")
            return e.astype(a.dtype, copy=False), v.astype(a.dtype, copy=False)
        e = np.linalg.eigvalsh(a, UPLO="L")
        return e.astype(a.dtype, copy=False), np.zeros([0], a.dtype)
    return run
