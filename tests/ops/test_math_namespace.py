"""`tf.math` (TF 1.13+ code uses it): TF 1.15's names there are the top-level / `tf.nn` ops."""

import numpy as np

import tensorflux as tf
import tensorflux.compat.v1  # noqa: F401 - defines tf.compat (checked below)

# The tf.math names of TF 1.15 that tensorflux has.
PROMISED = [
    "abs", "acos", "add", "add_n", "argmax", "argmin", "atan2", "ceil", "cos", "count_nonzero",
    "divide", "divide_no_nan", "equal", "erf", "exp", "floor", "floordiv", "floormod",
    "greater", "in_top_k", "is_finite", "is_nan", "l2_normalize", "less", "lgamma", "log",
    "log1p", "log_softmax", "logical_and", "logical_not", "logical_or", "maximum", "minimum",
    "multiply", "negative", "not_equal", "pow", "reciprocal", "reduce_all", "reduce_any",
    "reduce_logsumexp", "reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum",
    "round", "rsqrt", "segment_sum", "sigmoid", "sign", "sin", "softmax", "softplus", "sqrt",
    "square", "squared_difference", "subtract", "tanh", "top_k", "truediv",
    "unsorted_segment_sum", "zero_fraction",
    # also top-level in TF 1.15
    "accumulate_n", "bincount", "is_non_decreasing", "is_strictly_increasing", "lbeta",
    "log_sigmoid", "unsorted_segment_max", "unsorted_segment_mean", "unsorted_segment_min",
    "unsorted_segment_prod", "unsorted_segment_sqrt_n",
]
# The tf.math names of TF 1.15 that have no top-level alias.
MATH_ONLY = [
    "cumulative_logsumexp", "erfinv", "multiply_no_nan", "ndtri", "polyval", "reciprocal_no_nan",
    "reduce_std", "reduce_variance", "xdivy", "xlogy",
]


def test_promised_names_are_the_same_functions():
    for name in PROMISED:
        f = getattr(tf.math, name)
        same = getattr(tf, name, None) or getattr(tf.nn, name, None) or \
            getattr(tf, name.replace("divide_no_nan", "div_no_nan"))
        assert f is same, name
    assert sorted(tf.math.__all__) == sorted(set(tf.math.__all__))
    assert all(hasattr(tf.math, n) for n in tf.math.__all__)
    assert tf.compat.v1.math is tf.math
    for name in MATH_ONLY:
        assert callable(getattr(tf.math, name)) and name in tf.math.__all__, name


def test_math_ops_run():
    x = tf.placeholder(tf.float32, [3])
    y = tf.math.reduce_mean(tf.math.log1p(x)) + tf.math.divide_no_nan(x, tf.zeros([3]))[0]
    v = np.array([0.5, 1.0, 2.0], np.float32)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: v}), np.log1p(v).mean(), rtol=1e-6)


def test_math_extras_run():
    x = tf.constant([0.0, 1.0, 4.0])
    out = [tf.math.xlogy(x, x), tf.math.reduce_variance(x), tf.math.reciprocal_no_nan(x),
           tf.math.bincount([0, 2, 2], minlength=4), tf.math.unsorted_segment_min(x, [1, 1, 0], 2)]
    with tf.Session() as sess:
        xlogy, var, recip, counts, seg_min = sess.run(out)
    np.testing.assert_allclose(xlogy, [0.0, 0.0, 4 * np.log(4.0)], rtol=1e-6)
    np.testing.assert_allclose(var, np.var([0.0, 1.0, 4.0]), rtol=1e-6)
    np.testing.assert_array_equal(recip, [0.0, 1.0, 0.25])
    np.testing.assert_array_equal(counts, [1, 0, 2, 0])
    np.testing.assert_array_equal(seg_min, [4.0, 0.0])
