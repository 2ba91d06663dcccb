"""A TF 1.x image-preprocessing script that logs what it does to TensorBoard: reads a PNG with
tf.read_file, builds a batch of augmented crops with tf.image, and writes image, histogram,
text and scalar summaries plus the graph with tf.summary.FileWriter.

Usage: image_summaries.py PNG_PATH LOG_DIR
"""

import sys

import tensorflow as tf


def preprocess(image, size):
    image = tf.image.convert_image_dtype(image, tf.float32)
    image = tf.image.resize_images(image, [size + 8, size + 8])
    image = tf.random_crop(image, [size, size, 3], seed=1)
    image = tf.image.random_flip_left_right(image, seed=2)
    image = tf.image.adjust_brightness(image, 0.1)
    return tf.image.per_image_standardization(image)


def main(argv):
    png_path, log_dir = argv[1], argv[2]
    tf.set_random_seed(42)
    raw = tf.image.decode_png(tf.read_file(png_path), channels=3)
    batch = tf.stack([preprocess(raw, 64) for _ in range(4)], name="batch")
    gray = tf.image.rgb_to_grayscale(tf.image.resize_bilinear(batch, [32, 32]))
    with tf.name_scope("input"):
        tf.summary.image("crops", batch, max_outputs=2)
        tf.summary.image("gray", gray, max_outputs=1)
        tf.summary.histogram("pixels", batch)
        tf.summary.scalar("mean", tf.reduce_mean(batch))
    tf.summary.text("note", tf.constant("four augmented crops"))
    merged = tf.summary.merge_all()

    with tf.Session() as sess:
        writer = tf.summary.FileWriter(log_dir, sess.graph)
        for step in range(3):
            summary, shape = sess.run([merged, tf.shape(batch)])
            writer.add_summary(summary, step)
        writer.close()
    print("batch shape %s" % shape.tolist())

    import glob

    [path] = glob.glob(log_dir + "/events.out.tfevents.*")
    kinds, tags = [], set()
    for event in tf.train.summary_iterator(path):
        kinds.append(event.WhichOneof("what"))
        for value in event.summary.value:
            tags.add("%s:%s" % (value.tag, value.WhichOneof("value")))
    print("events %s" % " ".join(kinds))
    print("tags %s" % " ".join(sorted(tags)))


if __name__ == "__main__":
    main(sys.argv)
