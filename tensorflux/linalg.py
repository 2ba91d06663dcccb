"""`tf.linalg`: TF 1.15's linear-algebra namespace, the same functions as at the top level.

    >>> import tensorflux as tf
    >>> tf.linalg.trace(tf.linalg.matmul(a, b, transpose_b=True))

Provided are the names whose ops tensorflux has; `eig`, `lu`, `expm` and the LinearOperator
classes are not.
"""

from tensorflux.ops.clip_ops import global_norm
from tensorflux.ops.diag_ops import (
    eye,
    matrix_band_part,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
)
from tensorflux.ops.einsum_ops import einsum
from tensorflux.ops.linalg_impl import adjoint, matrix_transpose, matvec, norm, trace
from tensorflux.ops.linalg_ops import matmul, qr, svd, tensordot
from tensorflux.ops.matrix_ops import (
    cholesky,
    cholesky_solve,
    log_matrix_determinant,
    logdet,
    matrix_determinant,
    matrix_inverse,
    matrix_solve,
    matrix_solve_ls,
    matrix_triangular_solve,
    self_adjoint_eig,
    self_adjoint_eigvals,
)
from tensorflux.ops.norm_ops import l2_normalize

band_part = matrix_band_part
diag = matrix_diag
diag_part = matrix_diag_part
set_diag = matrix_set_diag
transpose = matrix_transpose
inv = matrix_inverse
det = matrix_determinant
slogdet = log_matrix_determinant
solve = matrix_solve
triangular_solve = matrix_triangular_solve
eigh = self_adjoint_eig
eigvalsh = self_adjoint_eigvals
lstsq = matrix_solve_ls

__all__ = [
    "adjoint", "band_part", "diag", "diag_part", "eye", "global_norm", "l2_normalize", "matmul",
    "matrix_transpose", "matvec", "norm", "qr", "set_diag", "tensordot", "trace", "transpose",
    "cholesky", "cholesky_solve", "det", "eigh", "eigvalsh", "einsum", "inv", "logdet", "lstsq",
    "slogdet", "solve", "svd", "triangular_solve",
]
