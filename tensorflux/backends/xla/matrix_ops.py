"""XLA kernels for the inverse, determinants, solvers, Cholesky and eigh ops
(ops/matrix_ops.py). Inside a compiled program singular or indefinite input gives inf/NaN
instead of TF's run-time error."""

import jax.numpy as jnp
from jax import lax

from tensorflux.backends.xla.kernel import kernel


def _adjoint(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


@kernel("MatrixInverse")
def _inverse(op):
    adjoint = op._attrs["adjoint"]
    return lambda a: jnp.linalg.inv(_adjoint(a) if adjoint else a).astype(a.dtype)


@kernel("MatrixDeterminant")
def _determinant(op):
    return lambda a: jnp.linalg.det(a).astype(a.dtype)


@kernel("LogMatrixDeterminant")
def _log_determinant(op):
    def run(a):
        sign, logabs = jnp.linalg.slogdet(a)
        return sign.astype(a.dtype), logabs.astype(a.dtype)
    return run


@kernel("MatrixSolve")
def _solve(op):
    adjoint = op._attrs["adjoint"]
    return lambda a, b: jnp.linalg.solve(_adjoint(a) if adjoint else a, b).astype(a.dtype)


@kernel("MatrixTriangularSolve")
def _triangular_solve(op):
    lower, adjoint = op._attrs["lower"], op._attrs["adjoint"]

    def run(a, b):
        return lax.linalg.triangular_solve(a, b, left_side=True, lower=lower,
                                           transpose_a=adjoint, conjugate_a=adjoint)
    return run


@kernel("Cholesky")
def _cholesky(op):
    def run(a):
        full = jnp.tril(a) + jnp.swapaxes(jnp.tril(a, -1), -1, -2)
        return lax.linalg.cholesky(full, symmetrize_input=False)
    return run


@kernel("SelfAdjointEigV2")
def _eigh(op):
    compute_v = op._attrs["compute_v"]

    def run(a):
        v, e = lax.linalg.eigh(a, lower=True, symmetrize_input=False)
        return e.astype(a.dtype), (v if compute_v else jnp.zeros([0], a.dtype))
    return run
