"""A TF-Slim image-classification pipeline, written as the TF-Slim scripts of the TF 1.x era
were (`datasets/flowers.py`, `train_image_classifier.py`, `eval_image_classifier.py`): a
flowers-style dataset of TFRecord shards read through `DatasetDataProvider`, a network from
`nets_factory`, `slim.learning.train` into a train_dir, and `slim.evaluation.evaluate_once` with
streaming metrics. The shards (tiny PNG images, one color per class) are written first.

Usage: slim_flowers_pipeline.py --dataset_dir DIR --train_dir DIR [--max_number_of_steps N]
"""

import os

import numpy as np
import tensorflow as tf
from tensorflow.contrib.slim.nets import nets_factory
from tensorflow.contrib.slim.python.slim import learning
from tensorflow.contrib.slim.python.slim.data import (
    dataset,
    dataset_data_provider,
    parallel_reader,
    prefetch_queue,
    tfexample_decoder,
)
from tensorflow.python.platform import tf_logging as logging

slim = tf.contrib.slim

tf.app.flags.DEFINE_string("dataset_dir", None, "Where the TFRecord shards are written.")
tf.app.flags.DEFINE_string("train_dir", None, "Where checkpoints are written.")
tf.app.flags.DEFINE_string("model_name", "lenet", "The network, by nets_factory name.")
tf.app.flags.DEFINE_integer("batch_size", 8, "Images per batch.")
tf.app.flags.DEFINE_integer("max_number_of_steps", 12, "Training steps.")
tf.app.flags.DEFINE_float("learning_rate", 0.01, "Learning rate.")
FLAGS = tf.app.flags.FLAGS

# --- datasets/flowers.py ----------------------------------------------------------------------
_FILE_PATTERN = "flowers_%s_*.tfrecord"
SPLITS_TO_SIZES = {"train": 40, "validation": 10}
_NUM_CLASSES = 5
_NUM_SHARDS = 2
_IMAGE_SIZE = 28
_ITEMS_TO_DESCRIPTIONS = {
    "image": "A color image of varying size.",
    "label": "A single integer between 0 and 4",
}
_COLORS = [(220, 40, 40), (40, 200, 40), (40, 40, 220), (220, 220, 40), (200, 40, 200)]


def get_split(split_name, dataset_dir, file_pattern=None, reader=None):
    """Gets a dataset tuple with instructions for reading flowers."""
    if split_name not in SPLITS_TO_SIZES:
        raise ValueError("split name %s was not recognized." % split_name)
    if not file_pattern:
        file_pattern = _FILE_PATTERN
    file_pattern = os.path.join(dataset_dir, file_pattern % split_name)
    if reader is None:
        reader = tf.TFRecordReader
    keys_to_features = {
        "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
        "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
        "image/class/label": tf.FixedLenFeature(
            [], tf.int64, default_value=tf.zeros([], dtype=tf.int64)),
    }
    items_to_handlers = {
        "image": tfexample_decoder.Image(shape=[_IMAGE_SIZE, _IMAGE_SIZE, 3]),
        "label": tfexample_decoder.Tensor("image/class/label"),
    }
    decoder = tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
    return dataset.Dataset(
        data_sources=file_pattern, reader=reader, decoder=decoder,
        num_samples=SPLITS_TO_SIZES[split_name], items_to_descriptions=_ITEMS_TO_DESCRIPTIONS,
        num_classes=_NUM_CLASSES, labels_to_names={i: "flower%d" % i for i in range(5)})


# --- download_and_convert_flowers.py ----------------------------------------------------------
def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def _bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def convert_dataset(dataset_dir):
    """Writes the splits as PNG-encoded tf.train.Examples, _NUM_SHARDS shards each."""
    rng = np.random.RandomState(0)
    with tf.Graph().as_default():
        pixels = tf.placeholder(tf.uint8, [_IMAGE_SIZE, _IMAGE_SIZE, 3])
        encode = tf.image.encode_png(pixels)
        with tf.Session() as sess:
            for split_name, size in sorted(SPLITS_TO_SIZES.items()):
                per_shard = size // _NUM_SHARDS
                for shard in range(_NUM_SHARDS):
                    name = "flowers_%s_%05d-of-%05d.tfrecord" % (split_name, shard, _NUM_SHARDS)
                    with tf.python_io.TFRecordWriter(os.path.join(dataset_dir, name)) as w:
                        for i in range(per_shard):
                            label = (shard * per_shard + i) % _NUM_CLASSES
                            noise = rng.randint(-30, 30, [_IMAGE_SIZE, _IMAGE_SIZE, 3])
                            image = np.clip(np.array(_COLORS[label]) + noise, 0, 255)
                            png = sess.run(encode, {pixels: image.astype(np.uint8)})
                            example = tf.train.Example(features=tf.train.Features(feature={
                                "image/encoded": _bytes_feature(png),
                                "image/format": _bytes_feature(b"png"),
                                "image/class/label": _int64_feature(label),
                            }))
                            w.write(example.SerializeToString())
    files = parallel_reader.get_data_files(os.path.join(dataset_dir, "flowers_*.tfrecord"))
    print("wrote %d shards" % len(files))


def preprocess(image):
    image = tf.to_float(image)
    return tf.subtract(tf.div(image, 127.5), 1.0)


# --- train_image_classifier.py ----------------------------------------------------------------
def train():
    tf.logging.set_verbosity(tf.logging.INFO)
    with tf.Graph().as_default():
        global_step = slim.create_global_step()
        ds = get_split("train", FLAGS.dataset_dir)
        network_fn = nets_factory.get_network_fn(
            FLAGS.model_name, num_classes=ds.num_classes, weight_decay=0.0004,
            is_training=True)
        provider = dataset_data_provider.DatasetDataProvider(
            ds, num_readers=2, common_queue_capacity=20 * FLAGS.batch_size,
            common_queue_min=10 * FLAGS.batch_size, seed=1)
        [image, label] = provider.get(["image", "label"])
        image = preprocess(image)
        images, labels = tf.train.batch([image, label], batch_size=FLAGS.batch_size,
                                        num_threads=1, capacity=5 * FLAGS.batch_size)
        labels = slim.one_hot_encoding(labels, ds.num_classes)
        batch_queue = prefetch_queue.prefetch_queue([images, labels], capacity=2)
        images, labels = batch_queue.dequeue()
        logits, end_points = network_fn(images)
        tf.losses.softmax_cross_entropy(labels, logits)
        total_loss = tf.losses.get_total_loss()
        optimizer = tf.train.GradientDescentOptimizer(FLAGS.learning_rate)
        train_op = learning.create_train_op(total_loss, optimizer, global_step=global_step)
        final_loss = learning.train(
            train_op, logdir=FLAGS.train_dir, number_of_steps=FLAGS.max_number_of_steps,
            log_every_n_steps=4, save_summaries_secs=600, save_interval_secs=600)
        print("end points %s" % " ".join(sorted(end_points)))
        print("final loss %.4f" % final_loss)


# --- eval_image_classifier.py -----------------------------------------------------------------
def evaluate():
    with tf.Graph().as_default():
        tf_global_step = slim.get_or_create_global_step()
        ds = get_split("validation", FLAGS.dataset_dir)
        network_fn = nets_factory.get_network_fn(
            FLAGS.model_name, num_classes=ds.num_classes, is_training=False)
        provider = dataset_data_provider.DatasetDataProvider(
            ds, shuffle=False, common_queue_capacity=2 * FLAGS.batch_size,
            common_queue_min=FLAGS.batch_size)
        [image, label] = provider.get(["image", "label"])
        image = preprocess(image)
        images, labels = tf.train.batch([image, label], batch_size=5, num_threads=1,
                                        capacity=5 * FLAGS.batch_size)
        logits, _ = network_fn(images)
        variables_to_restore = slim.get_variables_to_restore()
        predictions = tf.argmax(logits, 1)
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
            "Accuracy": slim.metrics.streaming_accuracy(predictions, labels),
            "Recall_5": slim.metrics.streaming_recall_at_k(logits, labels, 5),
        })
        for name, value in names_to_values.items():
            op = tf.summary.scalar("eval/%s" % name, value, collections=[])
            tf.add_to_collection(tf.GraphKeys.SUMMARIES, tf.Print(op, [value], name))
        checkpoint_path = tf.train.latest_checkpoint(FLAGS.train_dir)
        logging.info("Evaluating %s" % checkpoint_path)
        print("checkpoint %s" % os.path.basename(checkpoint_path))
        num_batches = SPLITS_TO_SIZES["validation"] // 5
        accuracy, recall, step = slim.evaluation.evaluate_once(
            master="", checkpoint_path=checkpoint_path,
            logdir=os.path.join(FLAGS.train_dir, "eval"), num_evals=num_batches,
            eval_op=list(names_to_updates.values()),
            final_op=[names_to_values["Accuracy"], names_to_values["Recall_5"],
                      tf_global_step],
            variables_to_restore=variables_to_restore)
        print("eval global step %d" % step)
        print("eval accuracy %.4f recall_5 %.4f" % (accuracy, recall))


def main(_):
    if not FLAGS.dataset_dir or not FLAGS.train_dir:
        raise ValueError("You must supply --dataset_dir and --train_dir")
    tf.gfile.MakeDirs(FLAGS.dataset_dir)
    convert_dataset(FLAGS.dataset_dir)
    train()
    evaluate()


if __name__ == "__main__":
    tf.app.run()
