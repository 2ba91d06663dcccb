"""`tf.math` (TF 1.13+ code uses it): TF 1.15's names there are the top-level / `tf.nn` ops."""

import numpy as np

import tensorflux as tf

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


def test_math_ops_run():
    x = tf.placeholder(tf.float32, [3])
    y = tf.math.reduce_mean(tf.math.log1p(x)) + tf.math.divide_no_nan(x, tf.zeros([3]))[0]
    v = np.array([0.5, 1.0, 2.0], np.float32)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: v}), np.log1p(v).mean(), rtol=1e-6)
