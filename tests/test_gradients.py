"""tf.gradients: engine semantics, and finite-difference checks of the math/reduction/linalg ops."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.gradients import _NAMED_GRADIENTS
from tensorflux.ops import _helpers, registry


def _rand(shape, lo=-2.0, hi=2.0, seed=0):
    return np.random.RandomState(seed).uniform(lo, hi, size=shape)


def _away_from_zero(shape, seed=0):
    x = _rand(shape, 0.3, 2.0, seed)
    return x * np.where(np.random.RandomState(seed + 1).rand(*shape) < 0.5, -1, 1)


def _raw(op_type):
    """The op itself, for op types without a public wrapper of their own (Inv, AddV2, Div…)."""
    def fn(*xs):
        return _helpers.apply1(op_type, list(xs))
    return fn


# --- unary ops: (op type, function, input value) ---------------------------------------------
UNARY = [
    ("Neg", tf.negative, _rand((3, 4))),
    ("Abs", tf.abs, _away_from_zero((3, 4))),
    ("Square", tf.square, _rand((3, 4))),
    ("Sqrt", tf.sqrt, _rand((3, 4), 0.2, 3.0)),
    ("Rsqrt", tf.rsqrt, _rand((3, 4), 0.2, 3.0)),
    ("Exp", tf.exp, _rand((3, 4))),
    ("Expm1", tf.expm1, _rand((3, 4))),
    ("Log", tf.log, _rand((3, 4), 0.2, 3.0)),
    ("Log1p", tf.log1p, _rand((3, 4), -0.8, 3.0)),
    ("Sin", tf.sin, _rand((3, 4))),
    ("Cos", tf.cos, _rand((3, 4))),
    ("Tan", tf.tan, _rand((3, 4), -1.2, 1.2)),
    ("Asin", tf.asin, _rand((3, 4), -0.9, 0.9)),
    ("Acos", tf.acos, _rand((3, 4), -0.9, 0.9)),
    ("Atan", tf.atan, _rand((3, 4))),
    ("Sinh", tf.sinh, _rand((3, 4))),
    ("Cosh", tf.cosh, _rand((3, 4))),
    ("Tanh", tf.tanh, _rand((3, 4))),
    ("Asinh", tf.asinh, _rand((3, 4))),
    ("Acosh", tf.acosh, _rand((3, 4), 1.2, 3.0)),
    ("Atanh", tf.atanh, _rand((3, 4), -0.9, 0.9)),
    ("Sigmoid", tf.sigmoid, _rand((3, 4), -4, 4)),
    ("Reciprocal", tf.reciprocal, _away_from_zero((3, 4))),
    ("Inv", _raw("Inv"), _away_from_zero((3, 4))),
    ("Erf", tf.erf, _rand((3, 4))),
    ("Erfc", tf.erfc, _rand((3, 4))),
    ("Lgamma", tf.lgamma, _rand((3, 4), 0.5, 4.0)),
    ("Digamma", tf.digamma, _rand((3, 4), 0.5, 4.0)),
    ("Softplus", _raw("Softplus"), _rand((3, 4), -4, 4)),
    ("Softsign", _raw("Softsign"), _away_from_zero((3, 4))),
    ("Conj", _raw("Conj"), _rand((3, 4))),
    ("Identity", tf.identity, _rand((3, 4))),
    ("Sign", tf.sign, _away_from_zero((3, 4))),  # TF's gradient is zeros, not None
]


@pytest.mark.parametrize("op_type,fn,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_gradient(op_type, fn, x):
    check_gradients(fn, {"x": x}, op_types=[op_type])


# --- binary ops, with broadcasting ----------------------------------------------------------
def _pos(shape, seed=0):
    return _rand(shape, 0.5, 2.0, seed)


BINARY = [
    ("Add", tf.add, _rand, _rand),
    ("AddV2", _raw("AddV2"), _rand, _rand),
    ("Sub", tf.subtract, _rand, _rand),
    ("Mul", tf.multiply, _rand, _rand),
    ("RealDiv", tf.realdiv, _rand, _away_from_zero),
    ("Div", _raw("Div"), _rand, _away_from_zero),
    ("Pow", tf.pow, _pos, _rand),
    ("Maximum", tf.maximum, _rand, _rand),
    ("Minimum", tf.minimum, _rand, _rand),
    ("SquaredDifference", tf.squared_difference, _rand, _rand),
    ("Atan2", tf.atan2, _rand, _away_from_zero),
    ("FloorMod", tf.floormod, _pos, _pos),
]
SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3)), ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("shapes", SHAPES, ids=["%s-%s" % s for s in SHAPES])
@pytest.mark.parametrize("op_type,fn,gen_x,gen_y", BINARY, ids=[b[0] for b in BINARY])
def test_binary_gradient(op_type, fn, gen_x, gen_y, shapes):
    x, y = gen_x(shapes[0], seed=1), gen_y(shapes[1], seed=2)
    if op_type == "FloorMod":
        # keep x/y away from integers, where floormod jumps
        y = np.full(shapes[1], 0.7) + 0.1 * _rand(shapes[1], seed=3)
        x = y * (np.floor(np.abs(_rand(shapes[0], seed=4)) * 3) + 0.5) if shapes[0] == \
            shapes[1] else np.full(shapes[0], 1.1)
    if op_type in ("Maximum", "Minimum"):
        y = y + 0.05  # no ties
    check_gradients(fn, {"x": x, "y": y}, op_types=[op_type])


def test_operator_gradients():
    check_gradients(lambda x, y: (x * y - x / y + 3.0 * x) ** 2.0 - (-x) @ y,
                    {"x": _rand((3, 3), seed=1), "y": _away_from_zero((3, 3), seed=2)},
                    op_types=["Mul", "RealDiv", "Pow", "MatMul", "Neg", "Sub", "Add"])


# --- reductions ----------------------------------------------------------------------------
REDUCTIONS = [("Sum", tf.reduce_sum), ("Mean", tf.reduce_mean), ("Prod", tf.reduce_prod),
              ("Max", tf.reduce_max), ("Min", tf.reduce_min)]
AXES = [None, 0, 1, -1, [0, 2], [1, 2], []]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=[str(a) for a in AXES])
@pytest.mark.parametrize("op_type,fn", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
def test_reduction_gradient(op_type, fn, axis, keepdims):
    x = np.random.RandomState(3).permutation(24).reshape(2, 3, 4) / 10.0 + 0.5  # distinct
    check_gradients(lambda x: fn(x, axis=axis, keepdims=keepdims), {"x": x}, op_types=[op_type])


def test_reduction_gradient_unknown_shape():
    # the dynamic (shape-tensor) branch of the reduction gradients
    x = _rand((2, 3, 4), 0.5, 2.0)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float64, None)
        ys = [tf.reduce_sum(p, 1), tf.reduce_mean(p, [0, 2], keepdims=True),
              tf.reduce_prod(p, -1), tf.reduce_max(p, 0)]
        grads = [tf.gradients(y, p)[0] for y in ys]
        with tf.Session() as sess:
            got = sess.run(grads, {p: x})
    np.testing.assert_allclose(got[0], np.ones_like(x))
    np.testing.assert_allclose(got[1], np.full_like(x, 1.0 / 8))
    np.testing.assert_allclose(got[2], np.prod(x, -1, keepdims=True) / x)
    np.testing.assert_allclose(got[3], (x == x.max(0)).astype(float))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_prod_gradient_with_zeros(axis):
    x = np.array([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0], [1.0, -2.0, 0.5]])
    check_gradients(lambda x: tf.reduce_prod(x, axis), {"x": x}, op_types=["Prod"])


def test_logsumexp_gradient():
    check_gradients(lambda x: tf.reduce_logsumexp(x, axis=1), {"x": _rand((3, 4))},
                    op_types=["Exp", "Log", "Sum"])


# --- matmul, tensordot -----------------------------------------------------------------------
@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_matmul_gradient(ta, tb):
    a = _rand((4, 3) if ta else (3, 4), seed=1)
    b = _rand((5, 4) if tb else (4, 5), seed=2)
    check_gradients(lambda a, b: tf.matmul(a, b, transpose_a=ta, transpose_b=tb),
                    {"a": a, "b": b}, op_types=["MatMul"])


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
@pytest.mark.parametrize("batch", [((2,), (2,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((2,), ())],
                         ids=["same", "bcast-rank", "bcast-dims", "rank2-b"])
def test_batch_matmul_gradient(ta, tb, batch):
    ba, bb = batch
    a = _rand(ba + ((4, 3) if ta else (3, 4)), seed=1)
    b = _rand(bb + ((5, 4) if tb else (4, 5)), seed=2)
    check_gradients(lambda a, b: tf.matmul(a, b, transpose_a=ta, transpose_b=tb),
                    {"a": a, "b": b}, op_types=["BatchMatMulV2"])


TENSORDOT = [(1, (4, 2)), (2, (3, 4, 2)), ([[0], [1]], (5, 2)), ([[1, 2], [0, 1]], (3, 4, 2))]


@pytest.mark.parametrize("axes,b_shape", TENSORDOT, ids=[str(t[0]) for t in TENSORDOT])
def test_tensordot_gradient(axes, b_shape):
    check_gradients(lambda a, b: tf.tensordot(a, b, axes),
                    {"a": _rand((2, 3, 4), seed=1), "b": _rand(b_shape, seed=2)},
                    op_types=["MatMul"])


# --- cast, add_n, clip_by_value --------------------------------------------------------------
def test_cast_gradient():
    # a float64 -> float32 -> float64 round trip; the float32 step limits the precision
    check_gradients(lambda x: tf.cast(tf.cast(x, tf.float32) * 3.0, tf.float64),
                    {"x": _rand((3, 4))}, op_types=["Cast"], eps=1e-2, tol=1e-4)


def test_cast_from_int_has_no_gradient():
    x = tf.constant([1, 2])
    y = tf.cast(x, tf.float32)
    assert tf.gradients(y, x) == [None]


def test_add_n_gradient():
    check_gradients(lambda a, b, c: tf.add_n([a, b, a * c]),
                    {"a": _rand((2, 3), seed=1), "b": _rand((2, 3), seed=2),
                     "c": _rand((2, 3), seed=3)}, op_types=["AddN"])


def test_clip_by_value_gradient():
    x = np.array([[-2.0, -0.4, 0.1], [0.6, 1.3, 3.0]])
    check_gradients(lambda x: tf.clip_by_value(x, -0.5, 1.0), {"x": x},
                    op_types=["Maximum", "Minimum"])


# --- engine semantics ------------------------------------------------------------------------
def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_unconnected_gradient_is_none():
    x = tf.constant(1.0)
    z = tf.constant(2.0)
    y = x * 2.0
    assert tf.gradients(y, z) == [None]
    assert tf.gradients(y, [x, z])[1] is None
    zero = tf.gradients(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)[0]
    assert _run(zero) == 0.0


def test_integer_path_has_no_gradient():
    x = tf.constant(3.0)
    i = tf.cast(x, tf.int32)
    y = tf.cast(i * 2, tf.float32) + x
    assert _run(tf.gradients(y, x)[0]) == 1.0


def test_contributions_are_summed():
    x = tf.constant(3.0)
    y = x * x + x + tf.sin(x)
    g = tf.gradients(y, x)[0]
    np.testing.assert_allclose(_run(g), 2 * 3.0 + 1 + np.cos(3.0), rtol=1e-6)


def test_gradients_of_several_ys_are_summed():
    x = tf.constant([1.0, 2.0])
    g = tf.gradients([x * 2.0, x * x], x)[0]
    np.testing.assert_allclose(_run(g), [4.0, 6.0])


def test_grad_ys_weights_the_outputs():
    x = tf.constant([1.0, 2.0])
    y1, y2 = x * 2.0, x * x
    g = tf.gradients([y1, y2], x, grad_ys=[tf.constant([1.0, 10.0]), None])[0]
    np.testing.assert_allclose(_run(g), [2.0 + 2.0, 20.0 + 4.0])
    g = tf.gradients(y2, x, grad_ys=[[3.0, 5.0]])[0]
    np.testing.assert_allclose(_run(g), [6.0, 20.0])


def test_stop_gradients_argument():
    # TF's documented example: a and b both held constant
    a = tf.constant(0.0)
    b = 2 * a
    g = tf.gradients(a + b, [a, b], stop_gradients=[a, b])
    assert _run(g) == [1.0, 1.0]
    g = tf.gradients(a + b, [a, b])
    assert _run(g) == [3.0, 1.0]


def test_stop_gradient_op():
    x = tf.constant(2.0)
    y = x * tf.stop_gradient(x * 3.0)
    np.testing.assert_allclose(_run(tf.gradients(y, x)[0]), 6.0)
    assert tf.gradients(tf.stop_gradient(x), x) == [None]


def test_gradient_wrt_variable_and_intermediate():
    v = tf.Variable([1.0, 2.0], name="v")
    h = v * 3.0
    y = tf.reduce_sum(h * h)
    gv, gh = tf.gradients(y, [v, h])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_v, got_h = sess.run([gv, gh])
    np.testing.assert_allclose(got_h, [6.0, 12.0])
    np.testing.assert_allclose(got_v, [18.0, 36.0])


def test_gradient_names_live_under_gradients_scope():
    x = tf.constant(1.0, name="x")
    y = tf.sin(x, name="y")
    g = tf.gradients(y, x)[0]
    assert g.name.startswith("gradients/")
    g2 = tf.gradients(y, x, name="my_grads")[0]
    assert g2.name.startswith("my_grads/")
    g3 = tf.gradients(y, x)[0]
    assert g3.name.startswith("gradients_1/")


def test_second_derivative():
    x = tf.constant(1.5)
    y = x * x * x
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    np.testing.assert_allclose(_run(gg), 6 * 1.5)


def test_hessians():
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.reduce_sum(x * x * x) + tf.square(tf.reduce_sum(x))
    h = tf.hessians(y, x)[0]
    assert h.shape.as_list() == [3, 3]
    expected = np.diag(6 * np.array([1.0, 2.0, 3.0])) + 2.0
    np.testing.assert_allclose(_run(h), expected)


def test_hessians_matrix_input():
    xv = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = tf.constant(xv)
    h = tf.hessians(tf.reduce_sum(tf.square(x)) * tf.reduce_sum(x), x)[0]
    assert h.shape.as_list() == [2, 2, 2, 2]
    s, n = xv.sum(), xv.size
    expected = (2 * np.eye(n) * s + 2 * xv.reshape(-1, 1) + 2 * xv.reshape(1, -1)).reshape(
        2, 2, 2, 2)
    np.testing.assert_allclose(_run(h), expected)


@pytest.fixture
def no_grad_op():
    registry.register("TestOpWithoutGradient", shape=_helpers.same_shape, grad=None)
    try:
        yield lambda x: _helpers.apply1("TestOpWithoutGradient", [x])
    finally:
        del registry._REGISTRY["TestOpWithoutGradient"]


def test_op_without_gradient_raises_lookup_error(no_grad_op):
    x = tf.constant(1.0)
    y = no_grad_op(x) * 2.0
    with pytest.raises(LookupError, match=r"No gradient defined for operation "
                                          r"'TestOpWithoutGradient' \(op type: "
                                          r"TestOpWithoutGradient\)"):
        tf.gradients(y, x)


def test_not_differentiable_op_gives_none():
    x = tf.constant([1.5, 2.5])
    y = tf.floor(x)
    assert tf.gradients(y, x) == [None]
    y = tf.cast(tf.argmax(x), tf.float32) + tf.reduce_sum(x)
    np.testing.assert_allclose(_run(tf.gradients(y, x)[0]), [1.0, 1.0])


def test_gradient_override_map():
    x = tf.constant(2.0)
    g = tf.get_default_graph()
    with g.gradient_override_map({"Square": "Identity"}):
        y = tf.square(x)
    z = tf.square(x)  # outside the map: the normal gradient
    np.testing.assert_allclose(_run(tf.gradients(y, x)[0]), 1.0)
    np.testing.assert_allclose(_run(tf.gradients(z, x)[0]), 4.0)


@pytest.fixture
def times_ten_grad():
    @tf.RegisterGradient("TestTimesTenGrad")
    def _grad(op, g):
        return [g * 10.0]

    yield _grad
    del _NAMED_GRADIENTS["TestTimesTenGrad"]


def test_register_gradient_under_a_new_name(times_ten_grad):
    _grad = times_ten_grad

    with pytest.raises(KeyError, match="Registering two gradient with name 'TestTimesTenGrad'"):
        tf.RegisterGradient("TestTimesTenGrad")(_grad)
    with pytest.raises(KeyError, match="Registering two gradient with name 'Sin'"):
        tf.RegisterGradient("Sin")(_grad)
    x = tf.constant(2.0)
    with tf.get_default_graph().gradient_override_map({"Identity": "TestTimesTenGrad"}):
        y = tf.identity(x)
    np.testing.assert_allclose(_run(tf.gradients(y, x)[0]), 10.0)
    with tf.get_default_graph().gradient_override_map({"Identity": "NoSuchGradient"}):
        y = tf.identity(x)
    with pytest.raises(LookupError, match="NoSuchGradient"):
        tf.gradients(y, x)


def test_not_differentiable_marks_an_op(no_grad_op):
    tf.NotDifferentiable("TestOpWithoutGradient")
    x = tf.constant(1.0)
    assert tf.gradients(no_grad_op(x), x) == [None]


def test_gradient_of_ys_list_with_unreached_y():
    x = tf.constant(1.0)
    c = tf.constant(5.0)
    g = tf.gradients([x * 2.0, c], x)[0]
    assert _run(g) == 2.0


def test_gradient_dtype_matches_x():
    x = tf.constant([1.0, 2.0], dtype=tf.float64)
    g = tf.gradients(tf.reduce_sum(x * x), x)[0]
    assert g.dtype == tf.float64
    assert g.shape.as_list() == [2]
