"""Matrix inverse, determinants, solvers, Cholesky, eigh, least squares and einsum: every case
of tools/fixtures/gen_linalg.py against real TensorFlow, finite-difference gradient checks of
each op, and TF 1.x's run-time errors.

Fixture cases are rebuilt from `cases.json` and compared with what TensorFlow recorded: output
names, static shapes, dtypes, values, gradients for the recorded upstream gradients, and for
error cases the exception class and message.
"""

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import check_case, check_error, load

import tensorflux as tf

CASES, ARRAYS = load("linalg")

# TF 1.15's tf.matrix_triangular_solve is the bare op (TF 2 wraps it in a name scope), and its
# einsum is a composite of other ops (TF 2 has an Einsum op): case -> tensorflux's names, or
# None where they are not compared.
TF1_NAMES = {c["name"]: ["MatrixTriangularSolve:0"] for c in CASES
             if c["name"].startswith("triangular_solve")}
TF1_NAMES.update({c["name"]: None for c in CASES if c["name"].startswith("einsum")})
# TF 2 prints the failing node as '{{node X}} = X[...](inputs)'; TF 1.x (and tensorflux) print
# "'X' (op: 'X')", so only the text before " for '" is compared.
EINSUM_MESSAGES = {
    "einsum_dim_mismatch": "Dimensions must be equal, but are 3 and 2 for label 'j'",
}


def _tol(dtype):
    return 1e-4 if dtype == np.float32 else 1e-5


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_case(spec, ARRAYS, names=TF1_NAMES.get(spec["name"], spec["names"]), tol=_tol,
               grad_tol=lambda dtype: 10 * _tol(dtype))


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    check_error(spec, ARRAYS, EINSUM_MESSAGES.get(spec["name"],
                                                   spec["message"].split(" for '")[0]))


# --- finite differences ----------------------------------------------------------------------
RNG = np.random.RandomState(3)


def _general(*shape):
    n = shape[-1]
    return RNG.uniform(-1, 1, shape) + np.diag([(2.5 + 0.5 * i) * (-1) ** i for i in range(n)])


def _spd(*shape):
    a = RNG.uniform(-1, 1, shape)
    return np.matmul(a, np.swapaxes(a, -1, -2)) + 2 * np.eye(shape[-1])


def _sym(a):
    return 0.5 * (a + tf.matrix_transpose(a))


@pytest.mark.parametrize("adjoint", [False, True])
def test_inverse_gradient(adjoint):
    check_gradients(lambda a: tf.matrix_inverse(a, adjoint=adjoint), {"a": _general(2, 3, 3)},
                    op_types=["MatrixInverse"])


def test_determinant_gradients():
    check_gradients(lambda a: tf.matrix_determinant(a), {"a": _general(2, 3, 3)},
                    op_types=["MatrixDeterminant"])
    check_gradients(lambda a: list(tf.log_matrix_determinant(a)), {"a": _general(3, 3)},
                    op_types=["LogMatrixDeterminant"])
    check_gradients(lambda a: tf.linalg.logdet(_sym(a)), {"a": _spd(2, 3, 3)},
                    op_types=["Cholesky"])


@pytest.mark.parametrize("adjoint", [False, True])
def test_solve_gradient(adjoint):
    check_gradients(lambda a, b: tf.matrix_solve(a, b, adjoint=adjoint),
                    {"a": _general(2, 3, 3), "b": RNG.randn(2, 3, 2)}, op_types=["MatrixSolve"])


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_triangular_solve_gradient(lower, adjoint):
    check_gradients(lambda a, b: tf.matrix_triangular_solve(a, b, lower=lower, adjoint=adjoint),
                    {"a": _general(2, 3, 3), "b": RNG.randn(2, 3, 2)},
                    op_types=["MatrixTriangularSolve"])


def test_cholesky_gradient():
    # TF's rule gives the symmetric gradient, so the check goes through a symmetric input.
    check_gradients(lambda a: tf.cholesky(_sym(a)), {"a": _spd(2, 3, 3)},
                    op_types=["Cholesky"])
    check_gradients(lambda a, b: tf.cholesky_solve(tf.cholesky(_sym(a)), b),
                    {"a": _spd(3, 3), "b": RNG.randn(3, 2)}, op_types=["Cholesky"])


def test_eigh_gradients():
    # Only the lower triangle is read, and the gradient is lower triangular: no symmetrizing.
    check_gradients(lambda a: list(tf.self_adjoint_eig(a)), {"a": _spd(2, 3, 3)},
                    op_types=["SelfAdjointEigV2"])
    check_gradients(lambda a: tf.self_adjoint_eigvals(a), {"a": _spd(4, 4)},
                    op_types=["SelfAdjointEigV2"])


@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("shape", [(4, 3), (2, 4)])
def test_solve_ls_gradient(l2, shape):
    check_gradients(lambda a, b: tf.matrix_solve_ls(a, b, l2_regularizer=l2),
                    {"a": RNG.randn(*shape), "b": RNG.randn(shape[0], 2)},
                    op_types=["Cholesky", "MatrixTriangularSolve"])


@pytest.mark.parametrize("equation,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 2), (2, 2)]),
    ("abc,cda->bd", [(2, 3, 4), (4, 2, 2)]),
    ("ij->j", [(2, 3)]),
])
def test_einsum_gradient(equation, shapes):
    inputs = {"x%d" % i: RNG.randn(*s) for i, s in enumerate(shapes)}
    check_gradients(lambda *xs: tf.einsum(equation, *xs), inputs)


# --- TF 1.x behaviour beyond the fixtures --------------------------------------------------------
def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_cholesky_of_indefinite_matrix_raises():
    # TF 1.x raises here (TF 2's kernel no longer does, so this is not a fixture case).
    a = tf.placeholder(tf.float64, [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cholesky decomposition was not "
                       "successful. The input might not be valid."):
        _run(tf.cholesky(a), {a: [[1.0, 2.0], [2.0, 1.0]]})


def test_cholesky_reads_the_lower_triangle():
    a = np.array([[4.0, 99.0], [2.0, 5.0]])
    np.testing.assert_allclose(_run(tf.cholesky(a)), [[2.0, 0.0], [1.0, 2.0]])


def test_triangular_solve_singular_raises():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix is not invertible"):
        _run(tf.matrix_triangular_solve([[1.0, 0.0], [1.0, 0.0]], [[1.0], [1.0]]))


def test_integer_input_is_rejected():
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.matrix_inverse([[1, 2], [3, 4]])


def test_matrix_solve_ls_slow_path_is_not_implemented():
    with pytest.raises(NotImplementedError, match="fast=False"):
        tf.matrix_solve_ls([[1.0], [1.0]], [[1.0], [3.0]], fast=False)


def test_eigvals_output_shapes():
    e, v = tf.self_adjoint_eig(tf.zeros([5, 3, 3]))
    assert e.shape.as_list() == [5, 3] and v.shape.as_list() == [5, 3, 3]
    op = tf.self_adjoint_eigvals(tf.zeros([3, 3])).op
    assert op.outputs[1].shape.as_list() == [0]


@pytest.mark.parametrize("equation,message", [
    ("ij,jk->ik", "Got 1 inputs"),
    ("ij->k", "Output subscript 'k'"),
    ("ijk->i", "does not match the subscripts"),
])
def test_einsum_errors(equation, message):
    with pytest.raises(ValueError, match=message):
        tf.einsum(equation, tf.zeros([2, 3]))


def test_einsum_rejects_unknown_keywords():
    with pytest.raises(TypeError, match="invalid keyword arguments"):
        tf.einsum("ij->ji", tf.zeros([2, 3]), axis=1)


def test_einsum_implicit_output_sorts_labels_like_numpy():
    x, y = RNG.randn(2, 3), RNG.randn(4, 2)
    np.testing.assert_allclose(_run(tf.einsum("ij,ki", x, y)), np.einsum("ij,ki", x, y))


def test_linalg_namespace_names():
    pairs = {"inv": "matrix_inverse", "det": "matrix_determinant",
             "slogdet": "log_matrix_determinant", "solve": "matrix_solve",
             "triangular_solve": "matrix_triangular_solve", "cholesky": "cholesky",
             "cholesky_solve": "cholesky_solve", "eigh": "self_adjoint_eig",
             "eigvalsh": "self_adjoint_eigvals", "lstsq": "matrix_solve_ls",
             "einsum": "einsum"}
    for short, top in pairs.items():
        assert getattr(tf.linalg, short) is getattr(tf, top), short
        assert short in tf.linalg.__all__
    assert callable(tf.linalg.logdet)
