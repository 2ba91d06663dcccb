"""A spatial transformer network as TF 1.x code wrote it (the daviddao/spatial-transformer-
tensorflow layout): Fashion-MNIST digits translated inside a larger cluttered canvas, a
localization network regressing an affine `theta` initialised to the identity, and a bilinear
sampler built from `tf.meshgrid`, `tf.clip_by_value` and `tf.gather`/`tf.gather_nd`, followed by
a small classifier, all trained end to end.

Usage: spatial_transformer.py --steps N
"""

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

flags = tf.app.flags
flags.DEFINE_integer("steps", 100, "Training steps")
flags.DEFINE_integer("batch_size", 64, "Batch size")
flags.DEFINE_integer("canvas", 40, "Side of the cluttered canvas")
flags.DEFINE_string("data_dir", "/usr/share/datasets/fashion-mnist", "Data")
FLAGS = flags.FLAGS


def transformer(U, theta, out_size, name="SpatialTransformer"):
    """Samples U (batch, height, width, channels) on the grid that the affine theta
    (batch, 6) maps the output grid to, with bilinear interpolation."""

    def _interpolate(im, x, y, out_size):
        with tf.variable_scope("_interpolate"):
            num_batch = tf.shape(im)[0]
            height, width, channels = im.get_shape().as_list()[1:]
            height_f = tf.cast(height, "float32")
            width_f = tf.cast(width, "float32")
            out_height, out_width = out_size
            max_y = height - 1
            max_x = width - 1

            # scale indices from [-1, 1] to [0, width/height]
            x = (x + 1.0) * (width_f - 1) / 2.0
            y = (y + 1.0) * (height_f - 1) / 2.0

            x0 = tf.cast(tf.floor(x), "int32")
            x1 = x0 + 1
            y0 = tf.cast(tf.floor(y), "int32")
            y1 = y0 + 1
            x0 = tf.clip_by_value(x0, 0, max_x)
            x1 = tf.clip_by_value(x1, 0, max_x)
            y0 = tf.clip_by_value(y0, 0, max_y)
            y1 = tf.clip_by_value(y1, 0, max_y)

            # batch index of every output pixel, then gather_nd of (b, y, x)
            b = tf.tile(tf.reshape(tf.range(num_batch), [-1, 1, 1]),
                        [1, out_height, out_width])

            def gather(yy, xx):
                return tf.gather_nd(im, tf.stack([b, yy, xx], axis=3))

            Ia, Ib = gather(y0, x0), gather(y1, x0)
            Ic, Id = gather(y0, x1), gather(y1, x1)

            x0_f = tf.cast(x0, "float32")
            x1_f = tf.cast(x1, "float32")
            y0_f = tf.cast(y0, "float32")
            y1_f = tf.cast(y1, "float32")
            wa = tf.expand_dims((x1_f - x) * (y1_f - y), 3)
            wb = tf.expand_dims((x1_f - x) * (y - y0_f), 3)
            wc = tf.expand_dims((x - x0_f) * (y1_f - y), 3)
            wd = tf.expand_dims((x - x0_f) * (y - y0_f), 3)
            return tf.add_n([wa * Ia, wb * Ib, wc * Ic, wd * Id])

    def _meshgrid(height, width):
        with tf.variable_scope("_meshgrid"):
            x_t, y_t = tf.meshgrid(tf.linspace(-1.0, 1.0, width), tf.linspace(-1.0, 1.0, height))
            ones = tf.ones_like(x_t)
            return tf.concat([tf.reshape(x_t, (1, -1)), tf.reshape(y_t, (1, -1)),
                              tf.reshape(ones, (1, -1))], 0)

    with tf.variable_scope(name):
        num_batch = tf.shape(U)[0]
        theta = tf.reshape(theta, (-1, 2, 3))
        grid = _meshgrid(out_size[0], out_size[1])
        grid = tf.tile(tf.expand_dims(grid, 0), tf.stack([num_batch, 1, 1]))
        T_g = tf.matmul(theta, grid)
        x_s = tf.reshape(tf.slice(T_g, [0, 0, 0], [-1, 1, -1]), [-1, out_size[0], out_size[1]])
        y_s = tf.reshape(tf.slice(T_g, [0, 1, 0], [-1, 1, -1]), [-1, out_size[0], out_size[1]])
        return _interpolate(U, x_s, y_s, out_size)


def weight_variable(shape, name):
    return tf.get_variable(name, shape, initializer=tf.truncated_normal_initializer(stddev=0.1))


def clutter(images, rng, canvas):
    """Each 28x28 image pasted at a random place on a canvas with a few 6x6 distractor
    patches cut from other images."""
    n = len(images)
    out = np.zeros((n, canvas, canvas, 1), np.float32)
    for i in range(n):
        for _ in range(4):
            src = images[rng.randint(n)]
            sy, sx, dy, dx = rng.randint(0, 22, 2).tolist() + rng.randint(0, canvas - 6,
                                                                             2).tolist()
            out[i, dy:dy + 6, dx:dx + 6] = np.maximum(out[i, dy:dy + 6, dx:dx + 6],
                                                      src[sy:sy + 6, sx:sx + 6])
        y, x = rng.randint(0, canvas - 28, 2)
        out[i, y:y + 28, x:x + 28] = np.maximum(out[i, y:y + 28, x:x + 28], images[i])
    return out


def main(_):
    rng = np.random.RandomState(0)
    mnist = input_data.read_data_sets(FLAGS.data_dir, reshape=False, validation_size=0)
    train_x = clutter(mnist.train.images[:3000], rng, FLAGS.canvas)
    train_y = mnist.train.labels[:3000]
    test_x = clutter(mnist.test.images[:500], rng, FLAGS.canvas)
    test_y = mnist.test.labels[:500]

    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, FLAGS.canvas, FLAGS.canvas, 1])
    y = tf.placeholder(tf.int64, [None])
    keep_prob = tf.placeholder(tf.float32)

    # localization network: a small conv net ending in 6 affine parameters
    with tf.variable_scope("localization"):
        pooled = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        h = tf.nn.relu(tf.nn.conv2d(pooled, weight_variable([5, 5, 1, 8], "W_conv"),
                                    [1, 2, 2, 1], "SAME"))
        h = tf.reshape(h, [-1, 10 * 10 * 8])
        h = tf.nn.tanh(tf.matmul(h, weight_variable([800, 20], "W_fc_loc1")))
        h = tf.nn.dropout(h, keep_prob)
        W_fc_loc2 = tf.get_variable("W_fc_loc2", [20, 6], initializer=tf.zeros_initializer())
        initial = np.array([[1.0, 0, 0], [0, 1.0, 0]]).astype("float32").flatten()
        b_fc_loc2 = tf.get_variable("b_fc_loc2", initializer=initial)
        theta = tf.matmul(h, W_fc_loc2) + b_fc_loc2
    print("theta shape %s" % theta.get_shape())

    h_trans = transformer(x, theta, (28, 28))
    h_trans.set_shape([None, 28, 28, 1])
    print("transformed shape %s" % h_trans.get_shape())

    with tf.variable_scope("classifier"):
        net = tf.layers.conv2d(h_trans, 16, 3, strides=2, activation=tf.nn.relu)
        net = tf.layers.conv2d(net, 32, 3, strides=2, activation=tf.nn.relu)
        logits = tf.layers.dense(tf.layers.flatten(net), 10)

    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    optimizer = tf.train.AdamOptimizer(2e-3)
    grads = optimizer.compute_gradients(loss)
    theta_grad = [g for g, v in grads if v.name == "localization/b_fc_loc2:0"][0]
    train_op = optimizer.apply_gradients(grads)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        identity = sess.run(h_trans, {x: test_x[:2], keep_prob: 1.0})
        # the identity theta resamples the whole canvas on a 28x28 grid: numpy does the same
        coords = np.linspace(0, FLAGS.canvas - 1, 28)
        lo = np.minimum(np.floor(coords).astype(int), FLAGS.canvas - 1)
        hi = np.minimum(lo + 1, FLAGS.canvas - 1)
        frac = coords - lo
        rows = (test_x[:2, lo] * (1 - frac)[:, None, None] + test_x[:2, hi] * frac[:, None, None])
        ref = rows[:, :, lo] * (1 - frac)[:, None] + rows[:, :, hi] * frac[:, None]
        print("identity sample matches numpy %s" % bool(np.allclose(identity, ref, atol=1e-4)))
        for step in range(FLAGS.steps):
            idx = rng.randint(0, len(train_x), FLAGS.batch_size)
            feed = {x: train_x[idx], y: train_y[idx], keep_prob: 0.8}
            _, loss_value, g = sess.run([train_op, loss, theta_grad], feed)
            if step % 50 == 0:
                print("step %d loss %.4f" % (step, loss_value))
        print("theta gradient finite %s" % bool(np.all(np.isfinite(g))))
        acc = sess.run(accuracy, {x: test_x, y: test_y, keep_prob: 1.0})
        thetas = sess.run(theta, {x: test_x[:5], keep_prob: 1.0})
        print("theta values %s" % list(thetas.shape))
        print("test accuracy %.3f" % acc)


if __name__ == "__main__":
    tf.app.run()
