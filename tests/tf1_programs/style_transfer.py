"""Neural style transfer as TF 1.x code wrote it (the anishathalye/neural-style layout): a
VGG-like network built with `tf.nn.conv2d`/`tf.nn.avg_pool` from a dict of constant weights,
content features, Gram matrices of the style features (`tf.matmul(..., transpose_a=True)`), a
total-variation loss, and the image as a `tf.Variable` optimized first with Adam, then with
`tf.contrib.opt.ScipyOptimizerInterface` (L-BFGS-B).

Usage: style_transfer.py --iterations N --lbfgs_iterations M
"""

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("iterations", 30, "Adam iterations")
flags.DEFINE_integer("lbfgs_iterations", 20, "L-BFGS-B iterations")
flags.DEFINE_integer("size", 24, "Image side")
FLAGS = flags.FLAGS

VGG_LAYERS = (
    "conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1",
    "conv2_1", "relu2_1", "conv2_2", "relu2_2", "pool2",
    "conv3_1", "relu3_1",
)
CONTENT_LAYERS = ("relu2_2",)
STYLE_LAYERS = ("relu1_1", "relu2_1", "relu3_1")
MEAN_PIXEL = np.array([123.68, 116.779, 103.939], np.float32)


def load_net(seed=0):
    """Stands in for the .mat file of VGG weights: {layer: (kernel, bias)} as numpy arrays."""
    rng = np.random.RandomState(seed)
    weights, channels = {}, 3
    for name in VGG_LAYERS:
        if name.startswith("conv"):
            out = {"1": 8, "2": 16, "3": 24}[name[4]]
            kernel = rng.normal(0, np.sqrt(2.0 / (9 * channels)), (3, 3, channels, out))
            weights[name] = (kernel.astype(np.float32), np.zeros(out, np.float32))
            channels = out
    return weights


def net_preloaded(weights, input_image):
    net = {}
    current = input_image
    for name in VGG_LAYERS:
        kind = name[:4]
        if kind == "conv":
            kernel, bias = weights[name]
            conv = tf.nn.conv2d(current, tf.constant(kernel), strides=(1, 1, 1, 1),
                                padding="SAME")
            current = tf.nn.bias_add(conv, bias)
        elif kind == "relu":
            current = tf.nn.relu(current)
        elif kind == "pool":
            current = tf.nn.avg_pool(current, ksize=(1, 2, 2, 1), strides=(1, 2, 2, 1),
                                     padding="SAME")
        net[name] = current
    assert len(net) == len(VGG_LAYERS)
    return net


def gram(features):
    _, height, width, number = map(lambda i: i.value, features.get_shape())
    feats = tf.reshape(features, (-1, number))
    return tf.matmul(feats, feats, transpose_a=True) / (height * width * number)


def synthetic_images(size):
    yy, xx = np.mgrid[0:size, 0:size] / float(size)
    content = np.stack([255 * (xx > 0.5), 255 * (yy > 0.5), 128 + 0 * xx], -1)
    style = np.stack([127 + 127 * np.sin(12 * xx), 127 + 127 * np.cos(12 * yy),
                      127 + 127 * np.sin(12 * (xx + yy))], -1)
    return content.astype(np.float32), style.astype(np.float32)


def main(_):
    weights = load_net()
    content, style = synthetic_images(FLAGS.size)
    shape = (1,) + content.shape

    # precompute content and style features
    content_features, style_features = {}, {}
    g = tf.Graph()
    with g.as_default(), tf.Session() as sess:
        image = tf.placeholder("float", shape=shape)
        net = net_preloaded(weights, image)
        for layer in CONTENT_LAYERS:
            content_features[layer] = net[layer].eval(feed_dict={image: [content - MEAN_PIXEL]})
        for layer in STYLE_LAYERS:
            features = net[layer].eval(feed_dict={image: [style - MEAN_PIXEL]})
            features = np.reshape(features, (-1, features.shape[3]))
            style_features[layer] = np.matmul(features.T, features) / features.size

    with tf.Graph().as_default():
        tf.set_random_seed(0)
        initial = tf.random_normal(shape) * 0.256
        image = tf.Variable(initial)
        net = net_preloaded(weights, image)

        content_loss = 0
        for layer in CONTENT_LAYERS:
            content_loss += 2 * tf.nn.l2_loss(
                net[layer] - content_features[layer]) / content_features[layer].size
        style_losses = []
        for layer in STYLE_LAYERS:
            style_gram = style_features[layer]
            style_losses.append(2 * tf.nn.l2_loss(gram(net[layer]) - style_gram)
                                / style_gram.size)
        style_loss = 1e2 * tf.reduce_sum(style_losses)
        tv_loss = 1e-4 * tf.reduce_sum(tf.image.total_variation(image))
        loss = content_loss + style_loss + tv_loss

        train_step = tf.train.AdamOptimizer(1.0, 0.9, 0.999, 1e-08).minimize(loss)
        scipy_opt = tf.contrib.opt.ScipyOptimizerInterface(
            loss, var_list=[image], method="L-BFGS-B",
            options={"maxiter": FLAGS.lbfgs_iterations})
        print("gram shapes %s" % " ".join(
            "x".join(map(str, gram(net[layer]).get_shape().as_list())) for layer in STYLE_LAYERS))

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = loss.eval()
            tv_direct = sess.run(tf.image.total_variation(image))[0]
            img = image.eval()[0]
            tv_numpy = (np.abs(np.diff(img, axis=0)).sum() + np.abs(np.diff(img, axis=1)).sum())
            print("total variation matches numpy %s" % bool(np.isclose(tv_direct, tv_numpy,
                                                                       rtol=1e-4)))
            for _ in range(FLAGS.iterations):
                train_step.run()
            after_adam = loss.eval()
            print("adam loss %.4f -> %.4f" % (first, after_adam))

            losses = []
            scipy_opt.minimize(sess, fetches=[loss], loss_callback=losses.append)
            final = loss.eval()
            print("lbfgs evaluations %d, first %.4f" % (len(losses), losses[0]))
            print("lbfgs loss %.4f -> %.4f" % (after_adam, final))
            stylized = np.clip(image.eval()[0] + MEAN_PIXEL, 0, 255).astype(np.uint8)
            print("stylized image %s %s" % (list(stylized.shape), stylized.dtype))


if __name__ == "__main__":
    tf.app.run()
