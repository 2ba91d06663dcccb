"""`tf.test.compute_gradient` and `tf.test.compute_gradient_error`: TF 1.x's gradient checker,
which compares the Jacobian that `tf.gradients` gives (one backprop per output element) with
central differences (one pair of forward runs per input element), in the default session.

Both Jacobians are 2-D: row `i` is the flat index of an element of `x`, column `j` that of an
element of `y` (`jacobian[i, j] = d y.flat[j] / d x.flat[i]`); a complex tensor counts as twice
as many reals (real and imaginary parts interleaved).

Example:
    >>> with tf.Session():
    ...     x = tf.constant([1.0, 2.0])
    ...     err = tf.test.compute_gradient_error(x, [2], tf.square(x), [2])   # ~1e-3 or less
"""

import numpy as np

from tensorflux.client import session as session_lib
from tensorflux.gradients import gradients as tf_gradients
from tensorflux.graph import dtypes
from tensorflux.ops import array_ops, constant_op, math_ops
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.platform import tf_logging as logging

_ALLOWED = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
            dtypes.complex128)


def _product(shape):
    return int(np.prod(shape, dtype=np.int64)) if len(shape) else 1


def _extra_feeds(extra_feed_dict, new_feeds):
    if not extra_feed_dict:
        return new_feeds
    feeds = dict(extra_feed_dict)
    feeds.update(new_feeds)
    return feeds


def _compute_theoretical_jacobian(x, x_shape, x_data, dy, dy_shape, dx, extra_feed_dict):
    """Backprops a one-hot `dy` per output element: one column of the Jacobian each."""
    if x.dtype.is_complex:
        x_shape = tuple(x_shape) + (2,)
    dy_factor = 2 if dy.dtype.is_complex else 1
    x_size = _product(x_shape)
    x_val_size = _product(x_shape[1:])  # the row length of a sparse (IndexedSlices) gradient
    dy_size = _product(dy_shape) * dy_factor
    jacobian = np.zeros((x_size, dy_size), dtype=x.dtype.real_dtype.as_numpy_dtype)
    dy_data = np.zeros(dy_shape, dtype=dy.dtype.as_numpy_dtype)
    dy_data_flat = dy_data.ravel().view(dy.dtype.real_dtype.as_numpy_dtype)
    sess = session_lib.get_default_session()
    for col in range(dy_size):
        dy_data_flat[col] = 1
        feeds = _extra_feeds(extra_feed_dict, {x: x_data, dy: dy_data})
        if dx is None:  # y does not depend on x: a zero column
            pass
        elif isinstance(dx, IndexedSlices):
            indices, values = sess.run([dx.indices, dx.values], feed_dict=feeds)
            for i, v in zip(indices, values):
                start = i * x_val_size
                jacobian[start:start + x_val_size, col] += np.asarray(v).ravel()
        else:
            backprop = np.asarray(sess.run(dx, feed_dict=feeds))
            jacobian[:, col] = backprop.ravel().view(jacobian.dtype)
        dy_data_flat[col] = 0
    # An empty output: run the gradient once anyway, it must be zeros of x's shape.
    if not dy_size and dx is not None and not isinstance(dx, IndexedSlices):
        backprop = np.asarray(sess.run(dx, feed_dict=_extra_feeds(extra_feed_dict,
                                                                  {x: x_data, dy: dy_data})))
        if backprop.shape != x_data.shape:
            raise ValueError("Empty gradient has wrong shape: expected %s, got %s" %
                             (x_data.shape, backprop.shape))
        if np.any(backprop):
            raise ValueError("Empty tensor with nonzero gradients")
    logging.vlog(1, "Theoretical Jacobian =\n%s", jacobian)
    return jacobian


def _compute_numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra_feed_dict):
    """Central differences: one row of the Jacobian per element of x."""
    # bfloat16 has too few bits for delta; the numeric Jacobian is the reference, so float32.
    if x.dtype.base_dtype == dtypes.bfloat16:
        x = math_ops.cast(x, dtypes.float32)
    if y.dtype.base_dtype == dtypes.bfloat16:
        y = math_ops.cast(y, dtypes.float32)
    if x_data.dtype == dtypes.bfloat16.as_numpy_dtype:
        x_data = x_data.astype(np.float32)
    x_size = _product(x_shape) * (2 if x.dtype.is_complex else 1)
    y_size = _product(y_shape) * (2 if y.dtype.is_complex else 1)
    x_dtype = x.dtype.real_dtype.as_numpy_dtype
    y_dtype = y.dtype.real_dtype.as_numpy_dtype
    x_data = np.asarray(x_data, dtype=x.dtype.as_numpy_dtype)
    scale = np.asarray(2 * delta, dtype=y_dtype)[()]
    jacobian = np.zeros((x_size, y_size), dtype=x_dtype)
    sess = session_lib.get_default_session()
    for row in range(x_size):
        x_pos = x_data.copy()
        x_neg = x_data.copy()
        x_pos.ravel().view(x_dtype)[row] += delta
        y_pos = np.asarray(sess.run(y, feed_dict=_extra_feeds(extra_feed_dict, {x: x_pos})))
        x_neg.ravel().view(x_dtype)[row] -= delta
        y_neg = np.asarray(sess.run(y, feed_dict=_extra_feeds(extra_feed_dict, {x: x_neg})))
        diff = np.asarray((y_pos - y_neg) / scale)
        jacobian[row, :] = diff.ravel().view(y_dtype)
    logging.vlog(1, "Numeric Jacobian =\n%s", jacobian)
    return jacobian


def _compute_dx_and_dy(x, y, y_shape):
    """The gradient of y with respect to x, and the fed tensor standing for y's gradient."""
    with x.graph.as_default():
        dy_orig = constant_op.constant(1.0, shape=y_shape, dtype=y.dtype)
        dy = array_ops.identity(dy_orig)
    grads = tf_gradients(y, x, dy)
    assert len(grads) == 1
    return grads[0], dy_orig


def _compute_gradient(x, x_shape, dx, y, y_shape, dy, x_init_value=None, delta=1e-3,
                      extra_feed_dict=None):
    t = dtypes.as_dtype(x.dtype)
    assert t.base_dtype in _ALLOWED, "Don't support type %s for x" % t.name
    t2 = dtypes.as_dtype(y.dtype)
    assert t2.base_dtype in _ALLOWED, "Don't support type %s for y" % t2.name
    if x_init_value is not None:
        i_shape = list(x_init_value.shape)
        assert list(x_shape) == i_shape, "x_shape = %s, init_data shape = %s" % (x_shape,
                                                                                i_shape)
        x_data = x_init_value
    else:
        x_data = np.random.random_sample(x_shape).astype(t.as_numpy_dtype)
        if t.is_complex:
            x_data.imag = np.random.random_sample(x_shape)
    jacob_t = _compute_theoretical_jacobian(x, x_shape, x_data, dy, y_shape, dx,
                                            extra_feed_dict=extra_feed_dict)
    jacob_n = _compute_numeric_jacobian(x, x_shape, x_data, y, y_shape, delta,
                                        extra_feed_dict=extra_feed_dict)
    return jacob_t, jacob_n


def _compute_gradient_list(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None):
    dx, dy = zip(*[_compute_dx_and_dy(xi, y, y_shape) for xi in x])
    if init_targets is not None:
        assert isinstance(init_targets, (list, tuple))
        for init in init_targets:
            init.run()
    if x_init_value is None:
        x_init_value = [None] * len(x)
    return [_compute_gradient(xi, x_shapei, dxi, y, y_shape, dyi, x_init_valuei, delta,
                              extra_feed_dict=extra_feed_dict)
            for xi, x_shapei, dxi, dyi, x_init_valuei in zip(x, x_shape, dx, dy, x_init_value)]


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                     extra_feed_dict=None):
    """The theoretical and numerical Jacobians of `y` with respect to `x`, in the default
    session.

    Args:
        x: a tensor (placeholder, constant or variable: it is fed) or a list of them.
        x_shape: the shape of x (a list of shapes when x is a list).
        y: the output tensor; y_shape its shape.
        x_init_value: where to evaluate (default: uniform [0, 1) samples); a list for a list x.
        delta: the finite-difference step.
        init_targets: ops to run first (e.g. variable initializers).
        extra_feed_dict: feeds for the other placeholders y needs.

    Returns:
        `(theoretical, numerical)` 2-D arrays of shape `[x_size, y_size]`; for a list x, a list
        of such pairs.

    Example:
        >>> with tf.Session():
        ...     x = tf.constant([[1.0, 2.0]])
        ...     jt, jn = tf.test.compute_gradient(x, [1, 2], tf.matmul(x, w), [1, 3])
    """
    if extra_feed_dict is None:
        extra_feed_dict = {}
    if isinstance(x, list):
        return _compute_gradient_list(x, x_shape, y, y_shape, x_init_value, delta,
                                      init_targets, extra_feed_dict=extra_feed_dict)
    if init_targets is not None:
        assert isinstance(init_targets, (list, tuple))
        for init in init_targets:
            init.run()
    dx, dy = _compute_dx_and_dy(x, y, y_shape)
    return _compute_gradient(x, x_shape, dx, y, y_shape, dy, x_init_value, delta,
                             extra_feed_dict=extra_feed_dict)


def _compute_error(grad):
    if isinstance(grad, tuple):
        grad = [grad]
    error = 0
    for j_t, j_n in grad:
        if j_t.size or j_n.size:  # zero-size tensors have no error
            error = np.maximum(error, np.fabs(j_t - j_n).max())
    return error


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3,
                           init_targets=None, extra_feed_dict=None):
    """The largest absolute difference between the theoretical and numerical Jacobians
    (`compute_gradient`'s arguments).

    Example:
        >>> with tf.Session():
        ...     x = tf.constant([1.0, 2.0])
        ...     assert tf.test.compute_gradient_error(x, [2], tf.exp(x), [2]) < 1e-2
    """
    grad = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                            extra_feed_dict=extra_feed_dict)
    return _compute_error(grad)


__all__ = ["compute_gradient", "compute_gradient_error"]
