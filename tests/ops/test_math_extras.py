"""The tf.math extras beyond the TF fixtures: finite-difference gradients of every new op and
composite, values at the edges, Bincount's non-differentiability and run-time errors."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux import errors

RNG = np.random.RandomState(3)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_xlogy_xdivy_mul_no_nan_gradients():
    x = RNG.uniform(0.5, 2.0, (2, 3))
    y = RNG.uniform(0.5, 2.0, (3,))
    check_gradients(lambda a, b: tf.math.xlogy(a, b), {"a": x, "b": y}, op_types=["Xlogy"])
    check_gradients(lambda a, b: tf.math.xdivy(a, b), {"a": x, "b": y}, op_types=["Xdivy"])
    check_gradients(lambda a, b: tf.math.multiply_no_nan(a, b), {"a": x, "b": y},
                    op_types=["MulNoNan"])


def test_xlogy_gradient_at_zero_x_is_finite():
    x = tf.constant([0.0, 1.0])
    y = tf.constant([0.0, 2.0])
    gx, gy = run(tf.gradients(tf.math.xlogy(x, y), [x, y]))
    np.testing.assert_allclose(gx, [0.0, np.log(2.0)], rtol=1e-6)
    np.testing.assert_allclose(gy, [0.0, 0.5], rtol=1e-6)


def test_special_function_gradients():
    check_gradients(lambda a: tf.math.erfinv(a), {"a": np.array([-0.8, -0.1, 0.3, 0.7])},
                    op_types=["Erfinv"])
    check_gradients(lambda a: tf.math.ndtri(a), {"a": np.array([0.05, 0.4, 0.6, 0.9])},
                    op_types=["Ndtri"])
    check_gradients(lambda a: [tf.math.log_sigmoid(a), tf.math.lbeta(a + 2.0)],
                    {"a": RNG.randn(2, 3)})
    check_gradients(lambda a, c: tf.math.polyval([c[0], c[1], c[2]], a),
                    {"a": RNG.randn(3), "c": RNG.randn(3)})


def test_erfinv_ndtri_invert_erf_and_the_normal_cdf():
    p = np.linspace(-0.999, 0.999, 41)
    x = tf.placeholder(tf.float64, [41])
    back = run(tf.erf(tf.math.erfinv(x)), {x: p})
    np.testing.assert_allclose(back, p, rtol=1e-12, atol=1e-15)
    q = (p + 1) / 2
    cdf = run(0.5 * tf.erfc(-tf.math.ndtri(x) / np.sqrt(2.0)), {x: q})
    np.testing.assert_allclose(cdf, q, rtol=1e-12)


@pytest.mark.parametrize("fn,op_type", [("max", "UnsortedSegmentMax"),
                                         ("min", "UnsortedSegmentMin"),
                                         ("prod", "UnsortedSegmentProd")])
def test_unsorted_segment_gradients(fn, op_type):
    data = RNG.uniform(0.5, 2.0, (5, 2))  # distinct values: no ties at the max/min
    op = getattr(tf.math, "unsorted_segment_" + fn)
    check_gradients(lambda d: op(d, [2, 0, 2, -1, 0], 4), {"d": data}, op_types=[op_type])


def test_unsorted_segment_prod_gradient_with_zeros():
    data = np.array([2.0, 0.0, 3.0, 0.0, 0.0, 1.5])
    check_gradients(lambda d: tf.math.unsorted_segment_prod(d, [0, 0, 1, 1, 2, 0], 3),
                    {"d": data}, op_types=["UnsortedSegmentProd"])


def test_segment_composites_and_reductions_gradients():
    data = RNG.randn(5, 2)
    check_gradients(lambda d: [tf.math.unsorted_segment_mean(d, [2, 0, 2, -1, 0], 4),
                               tf.math.unsorted_segment_sqrt_n(d, [1, 1, 0, 1, 0], 2)],
                    {"d": data})
    check_gradients(lambda d: [tf.math.reduce_variance(d, 0), tf.math.reduce_std(d, 1),
                               tf.math.cumulative_logsumexp(d, 1, exclusive=False)],
                    {"d": data})


def test_bincount_is_not_differentiable_and_checks_input():
    w = tf.constant([1.0, 2.0])
    counts = tf.math.bincount([0, 3], weights=w)
    assert counts.op.type == "Bincount" and tf.gradients(counts, w) == [None]
    assert tf.bincount is tf.math.bincount
    with pytest.raises(errors.InvalidArgumentError, match="same shape"):
        run(tf.math.bincount(tf.placeholder_with_default([0, 3, 1], [None]), weights=w))
    with pytest.raises(ValueError, match="requested dtype int32"):
        tf.math.bincount(tf.constant([1.0]))


def test_unsorted_segment_empty_segments():
    out = run([tf.math.unsorted_segment_max(tf.constant([1, 2]), [0, 0], 2),
               tf.math.unsorted_segment_min(tf.constant([1.0, 2.0], tf.float64), [1, 1], 2),
               tf.math.unsorted_segment_prod(tf.constant([3.0]), [1], 3)])
    np.testing.assert_array_equal(out[0], [2, np.iinfo(np.int32).min])
    np.testing.assert_array_equal(out[1], [np.finfo(np.float64).max, 1.0])
    np.testing.assert_array_equal(out[2], [1.0, 3.0, 1.0])


def test_accumulate_n_and_monotonic_checks():
    a = tf.constant([[1.0, 2.0]])
    assert tf.accumulate_n([a]) is a
    np.testing.assert_array_equal(run(tf.accumulate_n([a, a], shape=[1, 2])), [[2.0, 4.0]])
    with pytest.raises(ValueError, match="at least one Tensor"):
        tf.accumulate_n([])
    with pytest.raises(TypeError, match="tensor_dtype"):
        tf.accumulate_n([a, a], tensor_dtype=tf.int32)
    assert run(tf.is_non_decreasing([])) and run(tf.is_strictly_increasing([[1, 2], [3, 4]]))
