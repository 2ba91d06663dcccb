"""The main job: train the deck's CNN on Fashion-MNIST with TF1-style code, evaluate, checkpoint.

The model is the one on the deck's "TF Layers" slide, completed as in TensorFlow's layers
tutorial: conv 32 5x5 → max-pool → conv 64 5x5 → max-pool → dense 1024 → dropout 0.4 → dense 10,
trained with Adam (1e-3) on batches of 100.
"""

import os
import time

import numpy as np

import tensorflux as tf
from tensorflux.datasets import fashion_mnist
from tensorflux.utils.progress import ProgressBar


def cnn_model(images, training):
    """The deck's CNN on [batch, 28, 28] images; returns logits [batch, 10]."""
    input_layer = tf.reshape(images, [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(inputs=input_layer, filters=32, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
    conv2 = tf.layers.conv2d(inputs=pool1, filters=64, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)
    pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 64])
    dense = tf.layers.dense(inputs=pool2_flat, units=1024, activation=tf.nn.relu)
    dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=training)
    return tf.layers.dense(inputs=dropout, units=10)


def build_graph(learning_rate=1e-3, seed=0):
    """Placeholders, loss, train op, accuracy and a Saver, in the default graph."""
    tf.set_random_seed(seed)
    images = tf.placeholder(tf.float32, [None, 28, 28], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    logits = cnn_model(images, training)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)
    correct = tf.equal(tf.argmax(logits, 1), labels)
    n_correct = tf.reduce_sum(tf.cast(correct, tf.int32))
    return {"images": images, "labels": labels, "training": training, "loss": loss,
            "train_op": train_op, "n_correct": n_correct, "global_step": global_step,
            "saver": tf.train.Saver(max_to_keep=3)}


def evaluate(sess, g, x, y, batch=1000):
    correct = 0
    for i in range(0, len(x), batch):
        correct += int(sess.run(g["n_correct"], {g["images"]: x[i:i + batch],
                                                 g["labels"]: y[i:i + batch]}))
    return correct / len(x)


def train(epochs=6, batch_size=100, learning_rate=1e-3, data_dir=None,
          checkpoint_dir="checkpoints/fashion_cnn", resume=False, train_subset=None,
          test_subset=None, seed=0, log=print, progress=True):
    """Trains the CNN; returns a dict with per-epoch test accuracy and timings."""
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(data_dir)
    x_train = (x_train / np.float32(255)).astype(np.float32)
    x_test = (x_test / np.float32(255)).astype(np.float32)
    y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)
    if train_subset:
        x_train, y_train = x_train[:train_subset], y_train[:train_subset]
    if test_subset:
        x_test, y_test = x_test[:test_subset], y_test[:test_subset]
    steps_per_epoch = len(x_train) // batch_size
    history = {"epochs": [], "test_accuracy": [], "epoch_seconds": []}
    with tf.Graph().as_default():
        g = build_graph(learning_rate, seed)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            start_epoch = 0
            if resume:
                latest = tf.train.latest_checkpoint(checkpoint_dir)
                if latest is None:
                    log("No checkpoint in %s; starting from scratch." % checkpoint_dir)
                else:
                    g["saver"].restore(sess, latest)
                    start_epoch = int(sess.run(g["global_step"])) // steps_per_epoch
                    log("Resumed from %s (epoch %d done)." % (latest, start_epoch))
            rng = np.random.RandomState(seed + start_epoch)
            for epoch in range(start_epoch, epochs):
                order = rng.permutation(len(x_train))
                t0 = time.time()
                bar = ProgressBar(steps_per_epoch, desc="epoch %d/%d" % (epoch + 1, epochs)) \
                    if progress else None
                for step in range(steps_per_epoch):
                    idx = order[step * batch_size:(step + 1) * batch_size]
                    loss, _ = sess.run([g["loss"], g["train_op"]],
                                       {g["images"]: x_train[idx], g["labels"]: y_train[idx],
                                        g["training"]: True})
                    if bar is not None:
                        bar.update(1, loss="%.4f" % loss)
                if bar is not None:
                    bar.close()
                seconds = time.time() - t0
                acc = evaluate(sess, g, x_test, y_test)
                history["epochs"].append(epoch + 1)
                history["test_accuracy"].append(acc)
                history["epoch_seconds"].append(seconds)
                log("epoch %d: test accuracy %.4f (%.1f s, %.1f steps/s)"
                    % (epoch + 1, acc, seconds, steps_per_epoch / seconds))
                if checkpoint_dir:
                    os.makedirs(checkpoint_dir, exist_ok=True)
                    path = g["saver"].save(sess, os.path.join(checkpoint_dir, "model.ckpt"),
                                           global_step=g["global_step"])
                    log("saved checkpoint %s" % path)
    return history
