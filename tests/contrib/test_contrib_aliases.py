"""`tf.contrib.signal` and `tf.contrib.keras`: the modules TF 1.x later moved to `tf.signal` and
`tf.keras`, the same objects here."""

import numpy as np

import tensorflux as tf


def test_contrib_signal_is_tf_signal():
    assert tf.contrib.signal is tf.signal
    frames = tf.contrib.signal.frame(tf.range(10.0), frame_length=4, frame_step=3)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(frames), [[0, 1, 2, 3], [3, 4, 5, 6],
                                                         [6, 7, 8, 9]])


def test_contrib_keras_is_tf_keras():
    assert tf.contrib.keras is tf.keras
    assert tf.contrib.keras.layers.Dense is tf.keras.layers.Dense
