"""Slides "Graphs in TensorFlow", "sess.run()", "Placeholders", "Variable Update".

Run: python examples/01_graph_and_session.py
"""
import numpy as np

import tensorflux as tf

# A variable is a symbol; ops build a dataflow graph, nothing runs yet.
a = tf.Variable(3)
b = tf.Variable(2)
c = tf.Variable(1)
x = a * b
y = x + c
print(y)  # Tensor("add:0", shape=(), dtype=int32)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("y =", sess.run(y))  # 7

# sess.run() can feed any tensor, not only placeholders.
a2 = tf.constant(5.0)
b2 = tf.constant(6.0)
c2 = a2 * b2
sess = tf.Session()
print(sess.run(c2), sess.run(c2, {b2: 3.0}), sess.run(c2, {a2: 1.0, b2: 2.0}),
      sess.run(c2, {c2: 100.0}))  # 30.0 15.0 2.0 100.0

# A placeholder must be fed.
p = tf.placeholder(tf.float32, shape=())
q = p * tf.constant(6.0)
try:
    sess.run(q)
except tf.errors.InvalidArgumentError as e:
    print("InvalidArgumentError:", str(e).splitlines()[0])
print(sess.run(q, {p: 2.0}))  # 12.0

# Variables are updated with assign ops.
v = tf.Variable(100)
assign_op = v.assign(v - 1)
sess.run(tf.global_variables_initializer())
print([int(sess.run(assign_op)) for _ in range(3)])  # [99, 98, 97]
print(np.float32(sess.run(q, {p: 0.5})))
