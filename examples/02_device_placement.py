"""Slide "Device Placement": pin variables and ops to devices.

Without a GPU, `/gpu:0` fails unless soft placement lets the op fall back to the CPU, as in TF.
Run: python examples/02_device_placement.py
"""
import tensorflux as tf

with tf.device("/cpu:0"):
    a = tf.Variable(3)
    b = tf.Variable(2)
    x = a * b

with tf.device("/gpu:0"):
    c = tf.Variable(1)
    y = x + c

print(a.device, c.device, y.device)
config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
with tf.Session(config=config) as sess:
    sess.run(tf.global_variables_initializer())
    print("y =", sess.run(y))
print("GPU available:", tf.test.is_gpu_available())
