"""Slides "TF Layers", "Loss Functions", "Optimizers", "Residual Connection",
"Transposed Convolution": the high-level API, a few training steps on random data.

Run: python examples/08_cnn_layers.py
"""
import numpy as np

import tensorflux as tf

input_layer = tf.placeholder(tf.float32, [None, 28, 28, 1])
labels = tf.placeholder(tf.int64, [None])
conv1 = tf.layers.conv2d(inputs=input_layer, filters=32, kernel_size=[5, 5], padding="same",
                         activation=tf.nn.relu)
pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
h2 = tf.layers.conv2d(pool1, filters=32, kernel_size=[3, 3], padding="SAME")
h3 = tf.layers.conv2d(h2, filters=32, kernel_size=[3, 3], padding="SAME")
residual = h3 + pool1                                   # residual connection
up = tf.layers.conv2d_transpose(residual, filters=8, kernel_size=[3, 3], strides=[2, 2],
                                padding="SAME")         # back to 28x28
logits = tf.layers.dense(tf.layers.flatten(up), 10)
onehot_labels = tf.one_hot(indices=tf.cast(labels, tf.int32), depth=10)
loss = tf.losses.softmax_cross_entropy(onehot_labels=onehot_labels, logits=logits)
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)

print(conv1.get_shape(), pool1.get_shape(), residual.get_shape(), up.get_shape())
print([v.name for v in tf.trainable_variables()])
rs = np.random.RandomState(0)
batch_x = rs.rand(8, 28, 28, 1).astype(np.float32)
batch_y = rs.randint(0, 10, 8)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        _, l = sess.run([train_op, loss], {input_layer: batch_x, labels: batch_y})
        print("step %d loss %.4f" % (step, l))
