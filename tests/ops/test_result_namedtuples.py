"""Multi-output ops return TF's namedtuples (`tf.nn.top_k(x).indices`, `tf.unique(x).idx`,
...), also as `Session.run` results."""

import numpy as np

import tensorflux as tf


def test_namedtuple_types_and_fields():
    with tf.Graph().as_default():
        x = tf.constant([[3.0, 1.0, 2.0]])
        cases = [
            (tf.nn.top_k(x, 2), "TopKV2", ("values", "indices")),
            (tf.unique([1, 2, 1]), "Unique", ("y", "idx")),
            (tf.unique_with_counts([1, 2, 1]), "UniqueWithCounts", ("y", "idx", "count")),
            (tf.nn.max_pool_with_argmax(tf.zeros([1, 4, 4, 1]), [1, 2, 2, 1], [1, 2, 2, 1],
                                        "SAME"), "MaxPoolWithArgmax", ("output", "argmax")),
            (tf.setdiff1d([1, 2, 3], [2]), "ListDiff", ("out", "idx")),
        ]
        for result, name, fields in cases:
            assert type(result).__name__ == name and result._fields == fields
            assert isinstance(result, tuple)
        values, indices = tf.nn.top_k(x, 2)  # still unpacks
        assert values.op.type == "TopKV2" and indices.dtype == tf.int32


def test_fetched_namedtuple_keeps_its_fields():
    with tf.Graph().as_default(), tf.Session() as sess:
        top = sess.run(tf.nn.top_k(tf.constant([[3.0, 1.0, 2.0]]), 2))
        assert type(top).__name__ == "TopKV2"
        np.testing.assert_array_equal(top.values, [[3.0, 2.0]])
        np.testing.assert_array_equal(top.indices, [[0, 2]])
        u = sess.run(tf.unique_with_counts([4, 4, 7]))
        np.testing.assert_array_equal(u.count, [2, 1])
