"""A bag-of-words classifier as TF 1.x library code wrote one: sparse features fed as
SparseTensorValues, a partitioned embedding matrix, a custom gradient (clipped), and
library functions marked with tensorflow.python.util.deprecation.

The data is synthetic: each "document" draws words from its class's half of the vocabulary
(plus shared noise words), so a linear model over word counts separates the classes.
"""

import numpy as np
import tensorflow as tf
from tensorflow.python.framework import sparse_tensor
from tensorflow.python.ops import partitioned_variables, sparse_ops
from tensorflow.python.util import deprecation

VOCAB, CLASSES, DIM = 60, 2, 8


@deprecation.deprecated(None, "Use bag_of_words_logits instead.")
def old_logits(features):
    return bag_of_words_logits(features)


@deprecation.deprecated_args(None, "keep_dims is now keepdims.", "keep_dims")
def sparse_mean(sp, axis, keep_dims=None):
    counts = tf.sparse_reduce_sum(sparse_tensor.SparseTensor(
        sp.indices, tf.ones_like(sp.values), sp.dense_shape), axis=axis)
    return tf.sparse_reduce_sum(sp, axis=axis) / tf.maximum(counts, 1.0)


@tf.custom_gradient
def clip_gradient(x):
    def grad(dy):
        return tf.clip_by_norm(dy, 1.0)
    return tf.identity(x), grad


def bag_of_words_logits(features):
    embeddings = tf.get_variable(
        "embeddings", [VOCAB, DIM], initializer=tf.random_normal_initializer(stddev=0.1),
        partitioner=partitioned_variables.fixed_size_partitioner(3))
    # sum of the embeddings of each document's words, weighted by counts
    doc = sparse_ops.sparse_tensor_dense_matmul(features, tf.convert_to_tensor(embeddings))
    doc = clip_gradient(doc)
    return tf.layers.dense(doc, CLASSES, name="output")


def make_batch(rng, n):
    indices, values, labels = [], [], []
    for row in range(n):
        label = rng.randint(CLASSES)
        half = VOCAB // 2
        words = rng.choice(half, 6) + label * half
        words = np.concatenate([words, rng.choice(VOCAB, 2)])
        ids, counts = np.unique(words, return_counts=True)
        indices += [[row, w] for w in ids]
        values += counts.tolist()
        labels.append(label)
    return (tf.SparseTensorValue(np.array(indices, np.int64), np.array(values, np.float32),
                                 np.array([n, VOCAB], np.int64)), np.array(labels))


def main():
    features = tf.sparse_placeholder(tf.float32, shape=[None, VOCAB], name="features")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    with deprecation.silence():
        logits = old_logits(features)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
    mean_count = sparse_mean(features, axis=1, keep_dims=False)
    parts = [v.op.name for v in tf.global_variables() if "embeddings" in v.op.name]
    print("embedding parts %s" % " ".join(parts))

    rng = np.random.RandomState(0)
    test_x, test_y = make_batch(rng, 200)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {features: test_x, labels: test_y})
        for _ in range(150):
            x, y = make_batch(rng, 32)
            sess.run(train_op, {features: x, labels: y})
        last, acc = sess.run([loss, accuracy], {features: test_x, labels: test_y})
        fetched = sess.run(features, {features: test_x})
        counts = sess.run(mean_count, {features: test_x})
    print("loss %.3f -> %.3f" % (first, last))
    print("accuracy %.3f" % acc)
    print("fetched a %s with %d values" % (type(fetched).__name__, len(fetched.values)))
    print("mean count per word %.2f" % float(np.mean(counts)))


if __name__ == "__main__":
    main()
