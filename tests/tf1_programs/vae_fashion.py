"""A convolutional variational autoencoder on Fashion-MNIST, written as TF 1.x research code
was: `tf.contrib.distributions` for the posterior, prior and likelihood, `kl_divergence`,
contrib layers (group norm) under `arg_scope`, `tf.contrib.opt.AdamWOptimizer`, and
`tf.profiler` to report the model's size and FLOPs.

Usage: vae_fashion.py --steps N
"""

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

tfd = tf.contrib.distributions
layers = tf.contrib.layers
FLAGS = tf.app.flags.FLAGS
tf.app.flags.DEFINE_integer("steps", 200, "Training steps")
tf.app.flags.DEFINE_integer("latent", 8, "Latent dimensions")
tf.app.flags.DEFINE_string("data_dir", "/usr/share/datasets/fashion-mnist", "Data")


def encoder(images):
    with tf.variable_scope("encoder"), tf.contrib.framework.arg_scope(
            [layers.conv2d], activation_fn=tf.nn.relu, normalizer_fn=layers.group_norm,
            normalizer_params={"groups": 4}):
        net = layers.conv2d(images, 16, 3, stride=2)
        net = layers.conv2d(net, 32, 3, stride=2)
        net = layers.flatten(net)
        params = layers.fully_connected(net, 2 * FLAGS.latent, activation_fn=None)
    loc, scale = tf.split(params, 2, axis=1)
    return tfd.MultivariateNormalDiag(loc=loc, scale_diag=tf.nn.softplus(scale) + 1e-4)


def decoder(z):
    with tf.variable_scope("decoder", reuse=tf.AUTO_REUSE):
        net = layers.fully_connected(z, 7 * 7 * 32)
        net = tf.reshape(net, [-1, 7, 7, 32])
        net = layers.conv2d_transpose(net, 16, 3, stride=2)
        logits = layers.conv2d_transpose(net, 1, 3, stride=2, activation_fn=None)
    return tfd.Independent(tfd.Bernoulli(logits=logits), reinterpreted_batch_ndims=3)


def main(_):
    data = input_data.read_data_sets(FLAGS.data_dir, reshape=False, validation_size=0)
    images = tf.placeholder(tf.float32, [None, 28, 28, 1])
    binary = tf.cast(images > 0.5, tf.float32)
    posterior = encoder(binary)
    prior = tfd.MultivariateNormalDiag(loc=tf.zeros([FLAGS.latent]))
    z = posterior.sample()
    likelihood = decoder(z)
    kl = tfd.kl_divergence(posterior, prior)
    elbo = tf.reduce_mean(likelihood.log_prob(binary) - kl)
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.contrib.opt.AdamWOptimizer(1e-4, learning_rate=2e-3).minimize(
        -elbo, global_step=global_step)
    samples = decoder(prior.sample(4, seed=1)).mean()

    opts = tf.profiler.ProfileOptionBuilder.trainable_variables_parameter()
    opts["output"] = "none"
    params = tf.profiler.profile(tf.get_default_graph(), options=opts)
    print("trainable parameters %d" % params.total_parameters)
    print("posterior %s batch %s event %s" % (type(posterior).__name__,
                                             posterior.batch_shape, posterior.event_shape))

    rng = np.random.RandomState(0)
    test = data.test.images[rng.choice(data.test.num_examples, 500, replace=False)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(elbo, {images: test})
        for _ in range(FLAGS.steps):
            batch, _ = data.train.next_batch(64)
            sess.run(train_op, {images: batch})
        last = sess.run(elbo, {images: test})
        drawn = sess.run(samples)
    print("test elbo %.2f -> %.2f" % (first, last))
    print("samples %s in [%.2f, %.2f]" % (list(drawn.shape), drawn.min(), drawn.max()))


if __name__ == "__main__":
    tf.app.run()
