"""A U-Net for semantic segmentation as TF 1.x code wrote it (the jakeret/tf_unet and
tf.layers tutorials' layout): a `tf.data` pipeline (`from_tensor_slices(...).map(augment)
.shuffle().batch().repeat()` with `tf.image.random_flip_left_right` applied to image and mask
together), `tf.layers.conv2d` down path, `tf.layers.conv2d_transpose` and
`tf.image.resize_images` up path with `tf.concat` skips, per-pixel
`tf.nn.sparse_softmax_cross_entropy_with_logits`, and `tf.metrics.mean_iou` (local variables).

Usage: unet_segmentation.py --steps N
"""

import numpy as np
import tensorflow as tf

flags = tf.app.flags
flags.DEFINE_integer("steps", 40, "Training steps")
flags.DEFINE_integer("batch_size", 8, "Batch size")
flags.DEFINE_integer("size", 24, "Image side")
FLAGS = flags.FLAGS
NUM_CLASSES = 3


def make_dataset(n, size, rng):
    """Noisy images of a disc (class 1) and a square (class 2) on background (class 0)."""
    yy, xx = np.mgrid[0:size, 0:size]
    images = rng.normal(0, 0.3, (n, size, size, 1)).astype(np.float32)
    masks = np.zeros((n, size, size), np.int32)
    for i in range(n):
        cy, cx, r = rng.randint(5, size - 5), rng.randint(5, size - 5), rng.randint(3, 5)
        masks[i][(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = 1
        sy, sx = rng.randint(0, size - 6, 2)
        masks[i, sy:sy + 6, sx:sx + 6] = 2
    images[..., 0] += np.choose(masks, [0.0, 1.0, -1.0]).astype(np.float32)
    return images, masks


def augment(image, mask):
    mask = tf.expand_dims(mask, -1)
    both = tf.concat([image, tf.cast(mask, tf.float32)], axis=-1)
    both = tf.image.random_flip_left_right(both, seed=1)
    image, mask = both[:, :, :1], tf.cast(both[:, :, 1], tf.int32)
    return image, mask


def conv_block(x, filters, name):
    with tf.variable_scope(name):
        x = tf.layers.conv2d(x, filters, 3, padding="same", activation=tf.nn.relu, name="conv1")
        return tf.layers.conv2d(x, filters, 3, padding="same", activation=tf.nn.relu,
                                name="conv2")


def unet(images, is_training):
    with tf.variable_scope("unet"):
        d1 = conv_block(images, 8, "down1")                              # 24
        d2 = conv_block(tf.layers.max_pooling2d(d1, 2, 2), 16, "down2")  # 12
        bottom = conv_block(tf.layers.max_pooling2d(d2, 2, 2), 32, "bottom")  # 6
        bottom = tf.layers.dropout(bottom, 0.2, training=is_training)
        u2 = tf.layers.conv2d_transpose(bottom, 16, 2, strides=2, name="up2")  # 12
        u2 = conv_block(tf.concat([d2, u2], axis=3), 16, "up2_block")
        size = tf.shape(d1)[1:3]
        u1 = tf.image.resize_images(u2, size, method=tf.image.ResizeMethod.BILINEAR)
        u1 = tf.layers.conv2d(u1, 8, 1, name="up1_proj")
        u1 = conv_block(tf.concat([d1, u1], axis=3), 8, "up1_block")
        logits = tf.layers.conv2d(u1, NUM_CLASSES, 1, name="logits")
        # a coarse auxiliary head upsampled with the old name
        aux = tf.image.resize_bilinear(tf.layers.conv2d(d2, NUM_CLASSES, 1, name="aux"),
                                       tf.shape(images)[1:3], align_corners=True)
        return logits, aux


def main(_):
    rng = np.random.RandomState(0)
    train_images, train_masks = make_dataset(160, FLAGS.size, rng)
    test_images, test_masks = make_dataset(32, FLAGS.size, rng)
    tf.set_random_seed(0)

    dataset = tf.data.Dataset.from_tensor_slices((train_images, train_masks))
    dataset = dataset.map(augment).shuffle(64, seed=0).batch(FLAGS.batch_size).repeat()
    iterator = dataset.make_one_shot_iterator()
    batch_images, batch_masks = iterator.get_next()
    print("batch %s %s" % (batch_images.get_shape(), batch_masks.get_shape()))

    images = tf.placeholder_with_default(batch_images, [None, FLAGS.size, FLAGS.size, 1])
    masks = tf.placeholder_with_default(batch_masks, [None, FLAGS.size, FLAGS.size])
    is_training = tf.placeholder_with_default(True, [])
    logits, aux = unet(images, is_training)
    print("logits %s" % logits.get_shape())
    pixel_loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=masks, logits=logits)
    print("per-pixel loss %s" % pixel_loss.get_shape())
    aux_loss = tf.losses.sparse_softmax_cross_entropy(masks, aux)
    loss = tf.reduce_mean(pixel_loss) + 0.4 * aux_loss
    train_op = tf.train.AdamOptimizer(1e-2).minimize(
        loss, global_step=tf.train.get_or_create_global_step())

    predictions = tf.argmax(logits, axis=3)
    miou, update_miou = tf.metrics.mean_iou(masks, predictions, NUM_CLASSES, name="miou")
    pixel_acc, update_acc = tf.metrics.accuracy(masks, predictions)
    print("local variables %s" % " ".join(sorted(
        v.op.name for v in tf.local_variables())))

    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        first = None
        for _ in range(FLAGS.steps):
            _, loss_value = sess.run([train_op, loss])
            first = loss_value if first is None else first
        print("loss %.4f -> %.4f" % (first, loss_value))
        feed = {images: test_images, masks: test_masks, is_training: False}
        sess.run([update_miou, update_acc], feed)
        iou, acc, pred = sess.run([miou, pixel_acc, predictions], feed)
        cm = np.bincount(test_masks.ravel() * NUM_CLASSES + pred.ravel(),
                         minlength=NUM_CLASSES ** 2).reshape(NUM_CLASSES, NUM_CLASSES)
        numpy_iou = np.mean(np.diag(cm) / (cm.sum(0) + cm.sum(1) - np.diag(cm)))
        print("mean iou %.4f pixel accuracy %.4f" % (iou, acc))
        print("mean iou matches numpy %s" % bool(np.isclose(iou, numpy_iou, atol=1e-5)))


if __name__ == "__main__":
    tf.app.run()
