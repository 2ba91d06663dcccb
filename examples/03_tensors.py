"""Slides "Shape of Tensor" to "Broadcasting": reshape, transpose, concat, reductions, matmul.

Run: python examples/03_tensors.py
"""
import numpy as np

import tensorflux as tf

V = tf.Variable(tf.zeros([4, 5, 2]))
W = tf.reshape(V, [4, 10])
print("shape:", V.get_shape(), "reshaped:", W.get_shape())

x = tf.reshape(tf.Variable(np.arange(2 * 3 * 4)), [2, 3, 4])
print(tf.transpose(x, [0, 2, 1]).get_shape(), tf.transpose(x, [2, 0, 1]).get_shape(),
      tf.transpose(x, [1, 2, 0]).get_shape())  # (2, 4, 3) (4, 2, 3) (3, 4, 2)

t1 = tf.constant([[1, 2, 3], [4, 5, 6]])
t2 = tf.constant([[7, 8, 9], [10, 11, 12]])
ones = tf.constant([[1, 1, 1], [1, 1, 1]])
a = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
b = tf.constant([7, 8, 9, 10, 11, 12], shape=[3, 2])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("concat axis 0:\n", sess.run(tf.concat([t1, t2], 0)))
    print("concat axis 1:\n", sess.run(tf.concat([t1, t2], 1)))
    print("reduce_sum:", sess.run(tf.reduce_sum(ones)), sess.run(tf.reduce_sum(ones, 0)),
          sess.run(tf.reduce_sum(ones, 1)),
          sess.run(tf.reduce_sum(ones, 1, keep_dims=True)).tolist())
    print("matmul:\n", sess.run(tf.matmul(a, b)))  # [[58 64] [139 154]]
    print("broadcast:\n", sess.run(t1 + tf.constant([7, 8, 9])), "\n", sess.run(t1 + 7))
