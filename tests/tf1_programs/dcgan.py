"""A DCGAN as TF 1.x research code wrote it (the carpedm20/DCGAN-tensorflow layout): a
generator of transposed convolutions with contrib batch norm, a leaky-relu discriminator that
is called twice under one `tf.variable_scope(..., reuse=tf.AUTO_REUSE)`, two Adam optimizers
(beta1=0.5) over separate `var_list`s run after the batch-norm `UPDATE_OPS`, merged summaries
and a Saver.

Usage: dcgan.py --steps N --checkpoint_dir DIR
"""

import os

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("steps", 6, "Training steps")
flags.DEFINE_integer("batch_size", 8, "Batch size")
flags.DEFINE_integer("z_dim", 16, "Noise dimensions")
flags.DEFINE_string("checkpoint_dir", "checkpoint", "Where the Saver writes")
FLAGS = flags.FLAGS


def lrelu(x, leak=0.2, name="lrelu"):
    return tf.maximum(x, leak * x, name=name)


def batch_norm(x, train, name):
    return tf.contrib.layers.batch_norm(x, decay=0.9, updates_collections=tf.GraphKeys.UPDATE_OPS,
                                        epsilon=1e-5, scale=True, is_training=train, scope=name)


def generator(z, train=True):
    with tf.variable_scope("generator", reuse=tf.AUTO_REUSE):
        h0 = tf.layers.dense(z, 4 * 4 * 32, name="g_h0_lin")
        h0 = tf.nn.relu(batch_norm(tf.reshape(h0, [-1, 4, 4, 32]), train, "g_bn0"))
        h1 = tf.layers.conv2d_transpose(h0, 16, 5, strides=2, padding="same", name="g_h1")
        h1 = tf.nn.relu(batch_norm(h1, train, "g_bn1"))
        h2 = tf.layers.conv2d_transpose(h1, 1, 5, strides=2, padding="same", name="g_h2")
        return tf.nn.tanh(h2)


def discriminator(image):
    with tf.variable_scope("discriminator", reuse=tf.AUTO_REUSE):
        h0 = lrelu(tf.layers.conv2d(image, 16, 5, strides=2, padding="same", name="d_h0_conv"))
        h1 = tf.layers.conv2d(h0, 32, 5, strides=2, padding="same", name="d_h1_conv")
        h1 = lrelu(batch_norm(h1, True, "d_bn1"))
        h2 = tf.layers.dense(tf.reshape(h1, [-1, 4 * 4 * 32]), 1, name="d_h2_lin")
        return tf.nn.sigmoid(h2), h2


def main(_):
    tf.set_random_seed(1)
    rng = np.random.RandomState(0)
    inputs = tf.placeholder(tf.float32, [FLAGS.batch_size, 16, 16, 1], name="real_images")
    z = tf.placeholder(tf.float32, [None, FLAGS.z_dim], name="z")
    z_sum = tf.summary.histogram("z", z)

    G = generator(z)
    D, D_logits = discriminator(inputs)
    D_, D_logits_ = discriminator(G)
    sampler = generator(z, train=False)

    def sigmoid_cross_entropy_with_logits(x, y):
        return tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)

    d_loss_real = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits, tf.ones_like(D)))
    d_loss_fake = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits_, tf.zeros_like(D_)))
    g_loss = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits_, tf.ones_like(D_)))
    d_loss = d_loss_real + d_loss_fake

    g_sum = tf.summary.merge([z_sum, tf.summary.histogram("d_", D_),
                              tf.summary.image("G", G), tf.summary.scalar("g_loss", g_loss)])
    d_sum = tf.summary.merge([z_sum, tf.summary.histogram("d", D),
                              tf.summary.scalar("d_loss", d_loss)])

    t_vars = tf.trainable_variables()
    d_vars = [var for var in t_vars if "d_" in var.name]
    g_vars = [var for var in t_vars if "g_" in var.name]
    print("discriminator variables %d generator variables %d" % (len(d_vars), len(g_vars)))
    d_updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="discriminator")
    g_updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="generator")
    print("update ops %d discriminator %d generator %d" % (
        len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)), len(d_updates), len(g_updates)))
    with tf.control_dependencies(d_updates):
        d_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(d_loss, var_list=d_vars)
    with tf.control_dependencies(g_updates):
        g_optim = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(g_loss, var_list=g_vars)
    saver = tf.train.Saver(max_to_keep=1)

    # "real" images: bright blobs at random places
    yy, xx = np.mgrid[0:16, 0:16]

    def real_batch():
        cy, cx = rng.uniform(4, 12, size=(2, FLAGS.batch_size, 1, 1))
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 8.0)
        return (2 * blob - 1)[..., None].astype(np.float32)

    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        writer = tf.summary.FileWriter(os.path.join(FLAGS.checkpoint_dir, "logs"), sess.graph)
        moving = [v for v in tf.global_variables() if "g_bn0/moving_mean" in v.name][0]
        before = sess.run(moving)
        for counter in range(FLAGS.steps):
            batch_z = rng.uniform(-1, 1, [FLAGS.batch_size, FLAGS.z_dim]).astype(np.float32)
            _, summary_str = sess.run([d_optim, d_sum],
                                      feed_dict={inputs: real_batch(), z: batch_z})
            writer.add_summary(summary_str, counter)
            # run g_optim twice to make sure that d_loss does not go to zero
            for _ in range(2):
                _, summary_str = sess.run([g_optim, g_sum], feed_dict={z: batch_z})
                writer.add_summary(summary_str, counter)
            errD = d_loss.eval({inputs: real_batch(), z: batch_z})
            errG = g_loss.eval({z: batch_z})
            print("Epoch: [%2d] d_loss: %.8f, g_loss: %.8f" % (counter, errD, errG))
        writer.close()
        print("finite losses %s" % bool(np.isfinite(errD) and np.isfinite(errG)))
        print("moving mean updated %s" % bool(np.abs(sess.run(moving) - before).max() > 0))
        samples = sess.run(sampler, feed_dict={z: rng.uniform(-1, 1, [4, FLAGS.z_dim])})
        print("samples %s in [%.2f, %.2f]" % (list(samples.shape), samples.min(), samples.max()))
        path = saver.save(sess, os.path.join(FLAGS.checkpoint_dir, "DCGAN.model"),
                          global_step=FLAGS.steps)
        print("saved %s" % os.path.basename(path))
        names = [n for n, _ in tf.train.list_variables(FLAGS.checkpoint_dir)]
        print("checkpoint has %d variables, %d Adam slots" % (
            len(names), len([n for n in names if n.endswith("/Adam") or n.endswith("/Adam_1")])))


if __name__ == "__main__":
    tf.app.run()
