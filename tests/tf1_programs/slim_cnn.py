"""A small TF-Slim CNN on Fashion-MNIST, written as TF 1.x research code was: slim layers under
arg_scope, tf.losses, a Saver, and a plain Session training loop.

Usage: slim_cnn.py --steps N --ckpt PATH
"""

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

slim = tf.contrib.slim
FLAGS = tf.app.flags.FLAGS
tf.app.flags.DEFINE_integer("steps", 150, "Training steps")
tf.app.flags.DEFINE_string("ckpt", "/tmp/slim_cnn/model.ckpt", "Checkpoint path")
tf.app.flags.DEFINE_string("data_dir", "/usr/share/datasets/fashion-mnist", "Data")


def lenet(images, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1),
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        net = slim.conv2d(images, 8, [5, 5], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.conv2d(net, 16, [5, 5], scope="conv2")
        net = slim.max_pool2d(net, [2, 2], scope="pool2")
        net = slim.flatten(net)
        net = slim.fully_connected(net, 64, scope="fc3")
        net = slim.dropout(net, 0.9, is_training=is_training, scope="dropout3")
        return slim.fully_connected(net, 10, activation_fn=None, scope="fc4")


def main(_):
    data = input_data.read_data_sets(FLAGS.data_dir, reshape=False, validation_size=0)
    images = tf.placeholder(tf.float32, [None, 28, 28, 1])
    labels = tf.placeholder(tf.int64, [None])
    is_training = tf.placeholder_with_default(False, [])
    logits = lenet(images, is_training)
    tf.losses.sparse_softmax_cross_entropy(labels, logits)
    total_loss = tf.losses.get_total_loss()
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(2e-3).minimize(total_loss, global_step=global_step)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
    saver = tf.train.Saver(max_to_keep=1)

    print("variables: %s" % " ".join(v.op.name for v in slim.get_model_variables()))
    rng = np.random.RandomState(0)
    test_idx = rng.choice(data.test.num_examples, 1000, replace=False)
    tf.gfile.MakeDirs(FLAGS.ckpt.rsplit("/", 1)[0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.steps):
            xs, ys = data.train.next_batch(50)
            _, loss = sess.run([train_op, total_loss],
                               {images: xs, labels: ys, is_training: True})
            if step % 50 == 0:
                print("step %d loss %.3f" % (step, loss))
        path = saver.save(sess, FLAGS.ckpt, global_step=global_step)
        acc = sess.run(accuracy, {images: data.test.images[test_idx],
                                  labels: data.test.labels[test_idx]})
    print("saved %s" % path.rsplit("/", 1)[-1])
    print("test accuracy %.3f" % acc)

    # A new graph restores the trained weights and gets the same accuracy.
    tf.reset_default_graph()
    images = tf.placeholder(tf.float32, [None, 28, 28, 1])
    logits = lenet(images, False)
    predictions = tf.argmax(logits, 1)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(FLAGS.ckpt.rsplit("/", 1)[0]))
        again = np.mean(sess.run(predictions, {images: data.test.images[test_idx]})
                        == data.test.labels[test_idx])
    print("restored accuracy %.3f" % again)


if __name__ == "__main__":
    tf.app.run()
