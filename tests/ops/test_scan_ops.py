"""Cumulative sums and products (`tf.cumsum`, `tf.cumprod`): TF's documented values for every
combination of `exclusive` and `reverse`, shapes, errors, and finite-difference gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux import errors


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# The examples of TF's documentation of tf.cumsum / tf.cumprod, for [a, b, c] = [2, 3, 5].
CASES = [
    ("cumsum", False, False, [2, 5, 10]), ("cumsum", True, False, [0, 2, 5]),
    ("cumsum", False, True, [10, 8, 5]), ("cumsum", True, True, [8, 5, 0]),
    ("cumprod", False, False, [2, 6, 30]), ("cumprod", True, False, [1, 2, 6]),
    ("cumprod", False, True, [30, 15, 5]), ("cumprod", True, True, [15, 5, 1]),
]


@pytest.mark.parametrize("fn,exclusive,reverse,want", CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.float64])
def test_documented_values(fn, exclusive, reverse, want, dtype):
    x = tf.constant(np.array([2, 3, 5], dtype))
    y = getattr(tf, fn)(x, exclusive=exclusive, reverse=reverse)
    got = run(y)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.array(want, dtype))


def test_names_shapes_and_axes():
    x = tf.placeholder(tf.float32, [2, None, 4])
    y = tf.cumsum(x, axis=-1)
    assert y.name == "Cumsum:0" and y.op.type == "Cumsum" and y.shape.as_list() == [2, None, 4]
    assert tf.cumprod(x, 1).name == "Cumprod:0" and tf.math.cumsum is tf.cumsum
    v = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(run(y, {x: v}), np.cumsum(v, axis=-1))
    z = tf.cumsum(x, axis=1, exclusive=True, reverse=True)
    want = np.flip(np.cumsum(np.flip(v, 1), 1), 1) - v
    np.testing.assert_allclose(run(z, {x: v}), want)
    with pytest.raises(ValueError, match="rank 0"):
        tf.cumsum(tf.constant(1.0))
    with pytest.raises(TypeError, match="axis"):
        tf.cumsum(x, axis=1.0)
    with pytest.raises(errors.InvalidArgumentError, match="axis"):
        run(tf.cumsum(x, axis=3), {x: v})


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_gradients(exclusive, reverse):
    rng = np.random.RandomState(4)
    x = rng.uniform(0.5, 2.0, (3, 4))  # away from zero: cumprod's gradient divides by x
    check_gradients(lambda a: tf.cumsum(a, 1, exclusive=exclusive, reverse=reverse) * a,
                    {"a": x}, op_types=("Cumsum",))
    check_gradients(lambda a: tf.cumprod(a, 0, exclusive=exclusive, reverse=reverse),
                    {"a": x}, op_types=("Cumprod",))
