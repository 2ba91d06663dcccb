"""`tf.contrib.image.interpolate_spline`: polyharmonic spline interpolation.

The interpolant is `f(x) = sum_i w_i phi(|x - c_i|) + v^T [x, 1]`; `w` and `v` solve the
`(n + d + 1)`-square linear system that makes `f` fit the training values (exactly when
`regularization_weight` is 0), with `w` orthogonal to the centres and summing to 0. `phi` is
`r` for order 1, `r^2 log r` (thin-plate) for order 2, `r^k` for odd k, `r^k log r` for even k.
Built from public ops, so it is differentiable in every input except `order`.

Example:
    >>> values = tf.contrib.image.interpolate_spline(points, values_at_points, queries, order=2)
"""

import tensorflux as tf
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape

EPSILON = 0.0000000001


def _cross_squared_distance_matrix(x, y):
    """`[b, n, m]`: `|x[b, i] - y[b, j]|^2` for `x: [b, n, d]`, `y: [b, m, d]`."""
    x_norm_squared = tf.reduce_sum(tf.square(x), 2)
    y_norm_squared = tf.reduce_sum(tf.square(y), 2)
    x_norm_squared_tile = tf.expand_dims(x_norm_squared, 2)
    y_norm_squared_tile = tf.expand_dims(y_norm_squared, 1)
    x_y_transpose = tf.matmul(x, y, adjoint_b=True)
    return x_norm_squared_tile - 2 * x_y_transpose + y_norm_squared_tile


def _pairwise_squared_distance_matrix(x):
    """`[b, n, n]`: `|x[b, i] - x[b, j]|^2` for `x: [b, n, d]`."""
    x_x_transpose = tf.matmul(x, x, adjoint_b=True)
    x_norm_squared = tf.matrix_diag_part(x_x_transpose)
    x_norm_squared_tile = tf.expand_dims(x_norm_squared, 2)
    return (x_norm_squared_tile - 2 * x_x_transpose
            + tf.transpose(x_norm_squared_tile, [0, 2, 1]))


def _solve_interpolation(train_points, train_values, order, regularization_weight):
    """The coefficients `w: [b, n, k]` (per centre) and `v: [b, d + 1, k]` (linear + bias)."""
    b, n, _ = tf.unstack(tf.shape(train_points), num=3)
    d = train_points.shape[-1]
    if tensor_shape.dimension_value(d) is None:
        raise ValueError("The dimensionality of the input points (d) must be "
                         "statically-inferrable.")
    k = train_values.shape[-1]
    if tensor_shape.dimension_value(k) is None:
        raise ValueError("The dimensionality of the output values (k) must be "
                         "statically-inferrable.")
    d = tensor_shape.dimension_value(d)
    k = tensor_shape.dimension_value(k)
    c = train_points
    f = train_values
    with graph_lib.name_scope("construct_linear_system"):
        matrix_a = _phi(_pairwise_squared_distance_matrix(c), order)  # [b, n, n]
        if regularization_weight > 0:
            batch_identity_matrix = tf.expand_dims(tf.eye(n, dtype=c.dtype), 0)
            matrix_a += regularization_weight * batch_identity_matrix
        ones = tf.ones_like(c[..., :1], dtype=c.dtype)
        matrix_b = tf.concat([c, ones], 2)  # [b, n, d + 1]
        left_block = tf.concat([matrix_a, tf.transpose(matrix_b, [0, 2, 1])], 1)
        num_b_cols = tensor_shape.dimension_value(matrix_b.get_shape()[2])  # d + 1
        lhs_zeros = tf.zeros([b, num_b_cols, num_b_cols], train_points.dtype)
        right_block = tf.concat([matrix_b, lhs_zeros], 1)  # [b, n + d + 1, d + 1]
        lhs = tf.concat([left_block, right_block], 2)  # [b, n + d + 1, n + d + 1]
        rhs_zeros = tf.zeros([b, d + 1, k], train_points.dtype)
        rhs = tf.concat([f, rhs_zeros], 1)  # [b, n + d + 1, k]
    with graph_lib.name_scope("solve_linear_system"):
        w_v = tf.matrix_solve(lhs, rhs)
        w = w_v[:, :n, :]
        v = w_v[:, n:, :]
    return w, v


def _apply_interpolation(query_points, train_points, w, v, order):
    """The interpolant with coefficients `w`, `v` evaluated at `query_points: [b, m, d]`."""
    pairwise_dists = _cross_squared_distance_matrix(query_points, train_points)
    phi_pairwise_dists = _phi(pairwise_dists, order)
    rbf_term = tf.matmul(phi_pairwise_dists, w)
    query_points_pad = tf.concat(
        [query_points, tf.ones_like(query_points[..., :1], train_points.dtype)], 2)
    linear_term = tf.matmul(query_points_pad, v)
    return rbf_term + linear_term


def _phi(r, order):
    """The radial basis function of `order`, applied to squared distances `r`.

    EPSILON keeps log(0) and the gradient of sqrt(0) finite.
    """
    with graph_lib.name_scope("phi"):
        if order == 1:
            r = tf.maximum(r, EPSILON)
            return tf.sqrt(r)
        if order == 2:
            return 0.5 * r * tf.log(tf.maximum(r, EPSILON))
        if order == 4:
            return 0.5 * tf.square(r) * tf.log(tf.maximum(r, EPSILON))
        if order % 2 == 0:
            r = tf.maximum(r, EPSILON)
            return 0.5 * tf.pow(r, 0.5 * order) * tf.log(r)
        r = tf.maximum(r, EPSILON)
        return tf.pow(r, 0.5 * order)


def interpolate_spline(train_points, train_values, query_points, order,
                       regularization_weight=0.0, name="interpolate_spline"):
    """Polyharmonic interpolation of `train_values` at `query_points`.

    Args:
        train_points: `[batch_size, n, d]` float tensor of centres (`d` known statically).
        train_values: `[batch_size, n, k]` float tensor of values (`k` known statically).
        query_points: `[batch_size, m, d]` float tensor of locations to evaluate.
        order: 1 (`phi = r`), 2 (thin-plate `r^2 log r`), 3 (`r^3`), ...
        regularization_weight: weight of the smoothness term (0: exact interpolation).
        name: name scope of the ops.

    Returns:
        `[batch_size, m, k]` values of the interpolant.

    Example:
        >>> y = interpolate_spline(c, f, q, order=2)  # y == f where q == c
    """
    with graph_lib.name_scope(name):
        train_points = tf.convert_to_tensor(train_points)
        train_values = tf.convert_to_tensor(train_values)
        query_points = tf.convert_to_tensor(query_points)
        with graph_lib.name_scope("solve"):
            w, v = _solve_interpolation(train_points, train_values, order,
                                        regularization_weight)
        with graph_lib.name_scope("predict"):
            query_values = _apply_interpolation(query_points, train_points, w, v, order)
    return query_values
