"""Slide "tf.layers.batch_normalization": moving statistics in UPDATE_OPS, training vs inference.

Prints exactly the numbers on the slide.
Run: python examples/09_batch_norm.py
"""
import numpy as np

import tensorflux as tf

x = tf.placeholder(tf.float32, shape=(3, 1), name="x")
tr = tf.placeholder(tf.bool, shape=())

y = tf.layers.batch_normalization(x, axis=1, momentum=0.9, training=tr)
update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)

with tf.Session() as sess:
    tf.global_variables_initializer().run()

    batch_x = np.arange(3).reshape([3, 1]).astype(np.float32)

    for i in range(10):
        [_y, _] = sess.run([y, update_ops], {x: batch_x, tr: True})
        if i == 0:
            print(_y.flatten())
            print("=" * 50)

        _y = sess.run(y, {x: batch_x, tr: False})
        print(_y.flatten())
