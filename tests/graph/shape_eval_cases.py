"""Shape-inference cases where a shape tensor is computed from known dims (TF's shape refiner
evaluates such small constant subgraphs), written once and run by real TF (the fixture
generator) and by tensorflux (tests/graph/test_shape_evaluation.py)."""


def build(tf):
    """name -> TensorShape, for tensors whose shape comes from computed shape tensors."""
    out = {}
    x = tf.zeros([2, 3, 5, 4])
    s = tf.shape(x)
    out["product_of_known_dims"] = tf.reshape(x, [5, s[0] * s[1], 4]).shape
    out["sum_and_floordiv"] = tf.reshape(x, [(s[1] + s[2]) // 4, -1]).shape
    out["slice_product"] = tf.reshape(x, [tf.reduce_prod(s[:2]), -1]).shape
    y = tf.placeholder(tf.float32, [None, 3, 5, 4])
    t = tf.shape(y)
    out["unknown_batch_product"] = tf.reshape(y, [5, t[0] * t[1], 4]).shape
    out["known_product_beside_unknown"] = tf.reshape(y, [t[0], t[1] * t[2], 4]).shape
    out["unknown_dim_from_count"] = tf.reshape(x, [t[0], 60]).shape
    out["fill"] = tf.fill([s[0] * 2, s[3] - 1], 1.0).shape
    out["zeros_from_arith"] = tf.zeros(tf.stack([s[1] * s[2], 7])).shape
    out["placeholder_value_stays_unknown"] = tf.reshape(
        x, [tf.placeholder(tf.int32, []), 5, 4]).shape
    out["placeholder_default_not_evaluated"] = tf.reshape(
        tf.constant([1, 2, 3, 4]), tf.placeholder_with_default([2, 2], shape=[2])).shape
    out["dimension_in_shape_list"] = tf.reshape(x, [-1, x.shape[3] * 2]).shape
    out["resize_size_slice_of_partial_shape"] = tf.image.resize_bilinear(y, t[1:3]).shape
    out["resize_images_size_slice_of_partial_shape"] = tf.image.resize_images(y, t[1:3]).shape
    out["resize_size_computed_from_known_dims"] = tf.image.resize_bilinear(
        x, tf.stack([s[1] * 2, s[2]])).shape
    return {k: (None if v.ndims is None else v.as_list()) for k, v in out.items()}


def conversion_errors(tf):
    """TypeError messages of converting lists that mix types (no dtype given)."""
    out = {}
    for name, value in [("int_and_str", [1, "a"]), ("none_and_int", [None, 1])]:
        try:
            tf.constant(value)
            out[name] = None
        except TypeError as e:
            out[name] = str(e)
    return out


def rank_checks(tf):
    """The messages of TensorShape's rank assertions."""
    out = {}
    for name, fn in [
            ("has_rank_wrong", lambda: tf.TensorShape([1, 2]).assert_has_rank(3)),
            ("has_rank_ok", lambda: tf.TensorShape([1, 2]).assert_has_rank(2)),
            ("has_rank_unknown", lambda: tf.TensorShape(None).assert_has_rank(2)),
            ("same_rank_wrong", lambda: tf.TensorShape([1, 2]).assert_same_rank([1])),
            ("same_rank_ok", lambda: tf.TensorShape([1, 2]).assert_same_rank([None, 3]))]:
        try:
            fn()
            out[name] = None
        except ValueError as e:
            out[name] = str(e)
    return out
