"""`tf.linalg.svd`: every case of tools/fixtures/gen_linalg_svd.py against real TensorFlow,
finite-difference checks of TF's gradient rule, and TF's shapes, names and errors.

Singular vectors are unique only up to sign, so the fixtures and the gradient checks use
quantities that do not depend on the sign choice: `s`, `u diag(s) v^T`, `|u|`, `|v|`.
"""

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import check_case, check_error, load

import tensorflux as tf

CASES, ARRAYS = load("linalg_svd")


def _tol(dtype):
    return 1e-4 if dtype == np.float32 else 1e-6


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_case(spec, ARRAYS, names=spec["names"], tol=_tol,
               grad_tol=lambda dtype: 10 * _tol(dtype))


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    # TF 2 names the failing node '{{node X}} = X[...]'; TF 1.x and tensorflux say "'X' (op:
    # 'X')", so only the text before " for '" is compared.
    check_error(spec, ARRAYS, spec["message"].split(" for '")[0])


# --- finite differences ----------------------------------------------------------------------
RNG = np.random.RandomState(5)


def _reconstruct(s, u, v):
    p = s.shape.as_list()[-1]
    return tf.matmul(u[..., :, :p] * tf.expand_dims(s, -2), v[..., :, :p], adjoint_b=True)


def _invariants(full_matrices=False):
    def build(a):
        s, u, v = tf.linalg.svd(a, full_matrices=full_matrices)
        return [s, _reconstruct(s, u, v), tf.abs(u), tf.abs(v)]
    return build


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 5), (2, 5, 3)])
def test_gradient(shape):
    check_gradients(_invariants(), {"a": RNG.uniform(-1, 1, shape)}, op_types=["Svd"])


@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 4), (2, 2, 3), (2, 3, 2)])
def test_gradient_full_matrices(shape):
    # with |M - N| <= 1 the extra singular vector is unique up to sign, so |u|, |v| are smooth
    check_gradients(_invariants(full_matrices=True), {"a": RNG.uniform(-1, 1, shape)},
                    op_types=["Svd"])


@pytest.mark.parametrize("shape", [(3, 3), (5, 2), (2, 2, 4)])
def test_gradient_of_singular_values_only(shape):
    # compute_uv=False: the rule decomposes the input again to get u and v
    check_gradients(lambda a: tf.linalg.svd(a, compute_uv=False),
                    {"a": RNG.uniform(-1, 1, shape)}, op_types=["Svd"])


def test_gradient_of_nuclear_norm_and_products():
    def build(a, b):
        s, u, v = tf.linalg.svd(tf.matmul(a, b))
        return [tf.reduce_sum(s), tf.matmul(u, v, adjoint_b=True)]
    check_gradients(build, {"a": RNG.uniform(-1, 1, (3, 4)), "b": RNG.uniform(-1, 1, (4, 3))},
                    op_types=["Svd"])


def test_gradient_of_only_u_and_v():
    # the unused s gets a zero upstream gradient
    def build(a):
        _, u, v = tf.linalg.svd(a)
        return [tf.abs(u), tf.square(v)]
    check_gradients(build, {"a": RNG.uniform(-1, 1, (4, 3))}, op_types=["Svd"])


# --- shapes, names and TF 1.x behaviour beyond the fixtures ------------------------------------
def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def _dims(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def test_static_shapes():
    a = tf.placeholder(tf.float32, [2, 4, 3])
    assert [_dims(t) for t in tf.linalg.svd(a)] == [[2, 3], [2, 4, 3], [2, 3, 3]]
    assert [_dims(t) for t in tf.linalg.svd(a, full_matrices=True)] == \
        [[2, 3], [2, 4, 4], [2, 3, 3]]
    s = tf.linalg.svd(a, compute_uv=False)
    assert [_dims(t) for t in s.op.outputs] == [[2, 3], [0], [0]]


def test_static_shapes_with_unknown_dims():
    # as TF 2.21 infers them: P = min(M, N) is unknown when either is
    b = tf.placeholder(tf.float32, [None, 3, None])
    assert [_dims(t) for t in tf.linalg.svd(b)] == [[None, None], [None, 3, None],
                                                     [None, None, None]]
    c = tf.placeholder(tf.float32, None)
    assert [_dims(t) for t in tf.linalg.svd(c)] == [None, None, None]


def test_unknown_shape_runs():
    b = tf.placeholder(tf.float64, None)
    value = RNG.uniform(-1, 1, (2, 3, 4))
    s = _run(tf.linalg.svd(b, compute_uv=False), {b: value})
    np.testing.assert_allclose(s, np.linalg.svd(value, compute_uv=False), rtol=1e-12)


def test_op_names_and_attrs():
    a = tf.zeros([3, 2])
    s, u, v = tf.linalg.svd(a)
    assert [t.name for t in (s, u, v)] == ["Svd:0", "Svd:1", "Svd:2"]
    s2 = tf.linalg.svd(a, full_matrices=True, compute_uv=False, name="mine")
    assert s2.name == "mine:0"
    assert s2.op.get_attr("full_matrices") is True and s2.op.get_attr("compute_uv") is False
    assert s.op.get_attr("full_matrices") is False and s.op.get_attr("compute_uv") is True
    # as TF's generated wrapper: a Python value becomes the op's `input` inside its scope
    s3 = tf.linalg.svd([[1.0, 2.0], [3.0, 4.0]], compute_uv=False)
    assert s3.name == "Svd_1:0" and s3.op.inputs[0].name == "Svd_1/input:0"


def test_values_are_a_decomposition():
    a = RNG.uniform(-1, 1, (2, 3, 5)).astype(np.float32)
    s, u, v = _run(tf.linalg.svd(a, full_matrices=True))
    assert s.dtype == u.dtype == v.dtype == np.float32
    assert np.all(np.diff(s, axis=-1) <= 0) and np.all(s >= 0)
    np.testing.assert_allclose(u @ np.swapaxes(u, -1, -2), np.broadcast_to(np.eye(3), u.shape),
                               atol=1e-5)
    np.testing.assert_allclose(np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(5), v.shape),
                               atol=1e-5)
    np.testing.assert_allclose((u * s[..., None, :]) @ np.swapaxes(v[..., :3], -1, -2), a,
                               atol=1e-5)


def test_nan_input_gives_nan_like_tf():
    # TF's kernel returns NaN everywhere for a matrix LAPACK cannot decompose; the other
    # matrices of the batch are unaffected
    a = np.array([[[np.nan, 1.0], [1.0, 1.0]], [[3.0, 0.0], [0.0, 2.0]]])
    s, u, v = _run(tf.linalg.svd(a))
    assert np.isnan(s[0]).all() and np.isnan(u[0]).all() and np.isnan(v[0]).all()
    np.testing.assert_allclose(s[1], [3.0, 2.0])
    np.testing.assert_allclose(np.abs(u[1]), np.eye(2))


def test_empty_matrices_like_tf():
    # TF 2.21: [2, 0, 3] in full mode gives s [2, 0], u [2, 0, 0] and v identity [2, 3, 3]
    s, u, v = _run(tf.linalg.svd(tf.zeros([2, 0, 3]), full_matrices=True))
    assert s.shape == (2, 0) and u.shape == (2, 0, 0)
    np.testing.assert_array_equal(v, np.broadcast_to(np.eye(3), (2, 3, 3)))
    s, u, v = _run(tf.linalg.svd(tf.zeros([0, 3])))
    assert (s.shape, u.shape, v.shape) == ((0,), (0, 0), (3, 0))


def test_float16_is_decomposed_in_float32():
    # TF has no CPU kernel for half; tensorflux computes it in float32
    a = np.array([[3.0, 0.0], [0.0, -2.0]], np.float16)
    s, u, v = _run(tf.linalg.svd(a))
    assert s.dtype == np.float16
    np.testing.assert_allclose(s, [3.0, 2.0])
    np.testing.assert_allclose((u * s) @ v.T, a)


def test_complex_input_forward():
    a = RNG.uniform(-1, 1, (3, 2)) + 1j * RNG.uniform(-1, 1, (3, 2))
    s, u, v = tf.linalg.svd(tf.constant(a.astype(np.complex128)))
    assert s.op.type == "Real" and u.dtype == tf.complex128
    s, u, v = _run([s, u, v])
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), rtol=1e-12)
    np.testing.assert_allclose((u * s) @ np.conj(v.T), a, atol=1e-12)


def test_gradient_needs_static_inner_dims():
    a = tf.placeholder(tf.float64, [3, None])
    with pytest.raises(NotImplementedError, match="unknown inner matrix shape"):
        tf.gradients(tf.linalg.svd(a)[1], a)


def test_rank_error_names_the_op():
    with pytest.raises(ValueError, match="at least rank 2 but is rank 0 for 'Svd'"):
        tf.linalg.svd(1.0)


def test_linalg_namespace():
    assert "svd" in tf.linalg.__all__
    from tensorflux.ops import linalg_ops
    assert tf.linalg.svd is linalg_ops.svd
