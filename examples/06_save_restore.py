"""Slides "Saving Variables" and "Restoring Variables", in TensorFlow's checkpoint format.

Run: python examples/06_save_restore.py [CHECKPOINT_PREFIX]
"""
import os
import sys
import tempfile

import tensorflux as tf

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.mkdtemp(), "model.ckpt")

v1 = tf.Variable(tf.zeros([3]), name="v1")
v2 = tf.Variable(tf.ones([5]), name="v2")
inc_v1 = v1.assign(v1 + 1)
dec_v2 = v2.assign(v2 - 1)
init_op = tf.global_variables_initializer()
saver = tf.train.Saver()

with tf.Session() as sess:
    sess.run(init_op)
    inc_v1.op.run()
    dec_v2.op.run()
    save_path = saver.save(sess, path)
    print("Model saved in file: %s" % save_path)
print(tf.train.list_variables(path))

with tf.Session() as sess:
    saver.restore(sess, path)
    print("Model restored.")
    print("v1 :", sess.run(v1))
    print("v2 :", sess.run(v2))
