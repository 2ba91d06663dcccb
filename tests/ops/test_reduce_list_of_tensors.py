"""`tf.reduce_sum(list_of_tensors)` packs the list (TF reduces over range(rank) of the pack)."""

import numpy as np

import tensorflux as tf


def test_reduce_over_a_python_list_of_tensors():
    with tf.Graph().as_default(), tf.Session() as sess:
        a = tf.constant(1.0)
        b = tf.constant(2.0) * 2
        s = tf.reduce_sum([a, b])
        assert s.name == "Sum:0" and s.shape.as_list() == []
        assert s.op.inputs[0].op.type == "Pack"
        m = tf.reduce_mean([[a], [b]], axis=0)
        assert m.shape.as_list() == [1]
        mx = tf.reduce_max([a, b, tf.constant(-1.0)])
        assert sess.run([s, m, mx]) == [5.0, np.float32([2.5]), 4.0]


def test_reduce_over_a_list_of_tensors_has_a_gradient():
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant([1.0, 2.0])
        losses = [tf.reduce_sum(x * x), 3.0 * x[0]]
        total = tf.reduce_sum(losses)
        assert sess.run(total) == 8.0
        np.testing.assert_allclose(sess.run(tf.gradients(total, x)[0]), [5.0, 4.0])
