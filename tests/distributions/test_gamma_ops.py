"""The gamma-function ops behind Gamma/Beta/Dirichlet/StudentT: igamma, igammac, betainc and
RandomGammaGrad against TF (fixtures), their finite-difference gradients, the RandomGamma
sampler, and two kernel fixes found on the way (0-d BroadcastTo, Erfc tails)."""

import json
import math
import os

import numpy as np
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops import gamma_ops

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "distributions",
                   "distributions.json")
with open(FIX) as _f:
    SPECIAL = json.load(_f)["special"]


def _c(name):
    return tf.constant(np.asarray(SPECIAL[name], np.float64))


def test_values_and_gradients_match_tf():
    with tf.Graph().as_default():
        a, x, b, bx = _c("a"), _c("x"), _c("b"), _c("bx")
        p = gamma_ops.igamma(a, x)
        q = gamma_ops.igammac(a, x)
        bi = gamma_ops.betainc(a, b, bx)
        assert p.op.type == "Igamma" and q.op.type == "Igammac" and bi.op.type == "Betainc"
        rg = tf.gradients(tf.reduce_sum(p), [a, x]) + tf.gradients(tf.reduce_sum(q), [a, x])
        gb = tf.gradients(tf.reduce_sum(bi), [a, b, bx])
        assert gb[0] is None and gb[1] is None  # TF: betainc has no gradient for a, b
        from tensorflux.ops import registry

        rgg = registry.make_tensor("RandomGammaGrad", [a, _c("sample")], {})
        with tf.Session() as sess:
            got = sess.run({"igamma": p, "igammac": q, "betainc": bi, "igamma_grad_a": rg[0],
                            "igamma_grad_x": rg[1], "igammac_grad_a": rg[2],
                            "igammac_grad_x": rg[3], "betainc_grad_x": gb[2],
                            "random_gamma_grad": rgg})
    for k, v in got.items():
        np.testing.assert_allclose(v, SPECIAL[k], rtol=1e-8, atol=1e-300, err_msg=k)


def test_float32_and_edge_values():
    with tf.Graph().as_default():
        p = gamma_ops.igamma([2., -1., 2.], [1.5, 1., np.inf])
        bi = gamma_ops.betainc([2., 2.], [3., 3.], [1., 1.5])
        assert p.dtype == tf.float32
        with tf.Session() as sess:
            pv, bv = sess.run([p, bi])
    assert pv[0] == np.float32(1 - 2.5 * math.exp(-1.5))
    assert np.isnan(pv[1]) and pv[2] == 1.
    assert bv[0] == 1. and np.isnan(bv[1])


def test_gradchecks():
    check_gradients(lambda a, x: gamma_ops.igamma(a, x),
                    {"a": np.array([0.5, 2., 7.]), "x": np.array([0.3, 2.5, 12.])},
                    op_types=["Igamma"])
    check_gradients(lambda a, x: gamma_ops.igammac(a, x),
                    {"a": np.array([[0.5], [3.]]), "x": np.array([0.3, 4.5])},
                    op_types=["Igammac"])
    check_gradients(lambda x: gamma_ops.betainc(np.array([0.5, 2., 5.]), 3., x),
                    {"x": np.array([0.2, 0.5, 0.9])}, op_types=["Betainc"])


def test_random_gamma_shapes_moments_and_seed():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        alpha = tf.constant([0.3, 2., 9.], tf.float64)
        beta = tf.constant([[1.], [4.]], tf.float64)
        s = gamma_ops.random_gamma([20000], alpha, beta=beta, dtype=tf.float64)
        assert s.shape.as_list() == [20000, 2, 3]
        s0 = gamma_ops.random_gamma([], 2.)
        assert s0.shape.as_list() == []
        with tf.Session() as sess:
            v, v0 = sess.run([s, s0])
        with tf.Session() as sess:
            again = sess.run(s)
    np.testing.assert_array_equal(v, again)
    assert v0.shape == () and v0 > 0
    mean = np.array([0.3, 2., 9.]) / np.array([[1.], [4.]])
    se = np.sqrt(np.array([0.3, 2., 9.]) / np.array([[1.], [16.]]) / 20000)
    assert np.all(np.abs(v.mean(0) - mean) <= 4 * se)
    assert np.all(v > 0)


def test_random_gamma_alpha_gradient_is_the_implicit_one():
    """d x / d alpha from the sample equals -dP/dalpha / density, checked by differences."""
    with tf.Graph().as_default():
        alpha = tf.constant([0.4, 1.5, 6.], tf.float64)
        s = gamma_ops.random_gamma([5], alpha, dtype=tf.float64, seed=1)
        (g,) = tf.gradients(s, alpha)
        per_sample = tf.gradients(s[0], alpha)[0]
        with tf.Session() as sess:
            sv, gv = sess.run([s, per_sample])
            total = sess.run(g)  # a new draw; only its shape is checked
    assert total.shape == (3,)
    a = np.array([0.4, 1.5, 6.])
    x = sv[0]
    h = 1e-6
    with tf.Graph().as_default():
        dp = (gamma_ops.igamma(a + h, x) - gamma_ops.igamma(a - h, x)) / (2 * h)
        with tf.Session() as sess:
            dpv = sess.run(dp)
    density = np.exp((a - 1) * np.log(x) - x - np.array([math.lgamma(v) for v in a]))
    np.testing.assert_allclose(gv, -dpv / density, rtol=1e-5)


def test_broadcast_to_scalar_stays_scalar():
    with tf.Graph().as_default():
        bt = tf.broadcast_to(tf.constant(2.), tf.broadcast_dynamic_shape(tf.shape(1.),
                                                                         tf.shape(3.)))
        with tf.Session() as sess:
            v = sess.run(bt)
    assert v.shape == () and v == 2.


def test_erfc_keeps_its_tail():
    with tf.Graph().as_default():
        y = tf.erfc(tf.constant([5., 10., 26.], tf.float64))
        with tf.Session() as sess:
            v = sess.run(y)
    np.testing.assert_allclose(v, [math.erfc(5.), math.erfc(10.), math.erfc(26.)], rtol=1e-13)



def test_random_gamma_alpha_gradient_against_finite_differences():
    """RandomGamma's gradient is TF's implicit reparameterization: the derivative of the draw
    x = F^-1(u; alpha) with its CDF level u = igamma(alpha, x) held fixed. Checked against
    central differences of that inverse (found by bisection on igamma), per draw."""
    alpha = np.array([0.6, 1.5, 4.0])
    weights = np.random.RandomState(0).standard_normal((3, 3))
    eps = 1e-5
    with tf.Graph().as_default():
        a = tf.constant(alpha, tf.float64)
        x = gamma_ops.random_gamma([3], a, dtype=tf.float64, seed=7)
        grad = tf.gradients(tf.reduce_sum(x * weights), a)[0]
        a_in = tf.placeholder(tf.float64, [None])
        x_in = tf.placeholder(tf.float64, [None])
        cdf = gamma_ops.igamma(a_in, x_in)
        with tf.Session() as sess:
            draws, analytic = sess.run([x, grad])
            levels = sess.run(cdf, {a_in: np.tile(alpha, 3), x_in: draws.ravel()})

            def inverse(a_values):
                lo, hi = np.zeros_like(levels), np.full_like(levels, 200.0)
                for _ in range(100):
                    mid = (lo + hi) / 2
                    below = sess.run(cdf, {a_in: a_values, x_in: mid}) < levels
                    lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
                return ((lo + hi) / 2).reshape(draws.shape)

            numeric = np.zeros(3)
            for i in range(3):
                up, down = alpha.copy(), alpha.copy()
                up[i] += eps
                down[i] -= eps
                dx = (inverse(np.tile(up, 3)) - inverse(np.tile(down, 3))) / (2 * eps)
                numeric[i] = np.sum(weights[:, i] * dx[:, i])
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
