"""Slides "Sharing Variables" to "Caution: Name Duplication".

Run: python examples/05_variable_scopes.py
"""
import numpy as np

import tensorflux as tf


def f(x):
    b = tf.get_variable("b", [10], initializer=tf.random_normal_initializer())
    return x + b


x1 = tf.placeholder(tf.float32, [10])
x2 = tf.placeholder(tf.float32, [10])
with tf.variable_scope("bias") as scope:
    y1 = f(x1)
    scope.reuse_variables()
    y2 = f(x2)  # the same 'bias/b'
print([v.name for v in tf.global_variables()])  # ['bias/b:0']

with tf.variable_scope("foo"):
    v = tf.get_variable("v", [1])
with tf.variable_scope("foo", reuse=True):
    assert tf.get_variable("v", [1]) is v
print(v.name)  # foo/v:0

try:
    tf.get_variable("b", [10])
    tf.get_variable("b", [10])
except ValueError as e:
    print("ValueError:", e)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    z = np.zeros(10, np.float32)
    print("same b:", np.array_equal(*sess.run([y1, y2], {x1: z, x2: z})))
