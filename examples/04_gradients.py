"""Slide "Gradients": symbolic derivatives are ordinary graph ops.

Run: python examples/04_gradients.py
"""
import numpy as np

import tensorflux as tf

x = tf.placeholder(tf.float32, shape=())
y = x * x + tf.sin(x)
g = tf.gradients(y, x)  # 2*x + cos(x)
h = tf.hessians(y, x)   # 2 - sin(x)

sess = tf.Session()
print(sess.run(g, {x: 0.0}))    # [1.0]
print(sess.run(g, {x: np.pi}))  # [5.2831855]
print(sess.run(h, {x: np.pi}))  # [2.0]
