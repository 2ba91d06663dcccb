"""TensorFlow's TF1 tutorial "Build a Convolutional Neural Network using Estimators"
(cnn_mnist.py) runs unchanged on a small slice of Fashion-MNIST (synthetic images when the
data set is not installed), and leaves in `model_dir` what TF 1.x's Estimator leaves there."""

import glob
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.datasets import DatasetNotFoundError, fashion_mnist


@pytest.fixture(autouse=True)
def fresh_writers():
    tf.summary.FileWriterCache.clear()
    yield
    tf.summary.FileWriterCache.clear()


# --- the tutorial's program, as TF 1.x code ----------------------------------------------------
def cnn_model_fn(features, labels, mode):
    """Model function for CNN."""
    # Input Layer
    input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])

    # Convolutional Layer #1
    conv1 = tf.layers.conv2d(inputs=input_layer, filters=32, kernel_size=[5, 5],
                             padding="same", activation=tf.nn.relu)

    # Pooling Layer #1
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)

    # Convolutional Layer #2 and Pooling Layer #2
    conv2 = tf.layers.conv2d(inputs=pool1, filters=64, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)

    # Dense Layer
    pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 64])
    dense = tf.layers.dense(inputs=pool2_flat, units=1024, activation=tf.nn.relu)
    dropout = tf.layers.dropout(inputs=dense, rate=0.4,
                                training=mode == tf.estimator.ModeKeys.TRAIN)

    # Logits Layer
    logits = tf.layers.dense(inputs=dropout, units=10)

    predictions = {
        # Generate predictions (for PREDICT and EVAL mode)
        "classes": tf.argmax(input=logits, axis=1),
        # Add `softmax_tensor` to the graph. It is used for PREDICT and by the
        # `logging_hook`.
        "probabilities": tf.nn.softmax(logits, name="softmax_tensor"),
    }

    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)

    # Calculate Loss (for both TRAIN and EVAL modes)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)

    # Configure the Training Op (for TRAIN mode)
    if mode == tf.estimator.ModeKeys.TRAIN:
        # The tutorial's 0.001 needs its 20,000 steps; this test trains for 60.
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.05)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)

    # Add evaluation metrics (for EVAL mode)
    eval_metric_ops = {
        "accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def main(model_dir, train_data, train_labels, eval_data, eval_labels, steps):
    # Create the Estimator
    mnist_classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir=model_dir)

    # Set up logging for predictions
    tensors_to_log = {"probabilities": "softmax_tensor"}
    logging_hook = tf.train.LoggingTensorHook(tensors=tensors_to_log, every_n_iter=50)

    # Train the model
    train_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": train_data}, y=train_labels, batch_size=100, num_epochs=None, shuffle=True)
    mnist_classifier.train(input_fn=train_input_fn, steps=steps, hooks=[logging_hook])

    # Evaluate the model and print results
    eval_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": eval_data}, y=eval_labels, num_epochs=1, shuffle=False)
    eval_results = mnist_classifier.evaluate(input_fn=eval_input_fn)
    print(eval_results)
    return mnist_classifier, eval_results


# --- the data and one shared run ---------------------------------------------------------------
def _synthetic(n, seed):
    """Ten classes of noisy 28x28 images, each class a bright horizontal band."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, n).astype(np.int32)
    images = rng.rand(n, 28, 28).astype(np.float32) * 0.3
    for i, label in enumerate(labels):
        images[i, 2 + 2 * label:5 + 2 * label, :] += 0.7
    return images.reshape(n, 784), labels


def _data():
    try:
        (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    except DatasetNotFoundError:
        return _synthetic(500, 0) + _synthetic(200, 1)
    scale = np.float32(1.0 / 255)
    return (x_train[:500].reshape(-1, 784) * scale, y_train[:500].astype(np.int32),
            x_test[:200].reshape(-1, 784) * scale, y_test[:200].astype(np.int32))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Runs the tutorial once for the module: (model_dir, estimator, eval results, eval data,
    the log it printed)."""
    import contextlib
    import io

    model_dir = str(tmp_path_factory.mktemp("cnn") / "mnist_convnet_model")
    train_data, train_labels, eval_data, eval_labels = _data()
    tf.logging.set_verbosity(tf.logging.INFO)
    log = io.StringIO()
    try:
        with contextlib.redirect_stderr(log):
            classifier, results = main(model_dir, train_data, train_labels, eval_data,
                                       eval_labels, steps=60)
    finally:
        tf.logging.set_verbosity(tf.logging.WARN)
        tf.summary.FileWriterCache.clear()
    return model_dir, classifier, results, (eval_data, eval_labels), log.getvalue()


def test_the_tutorial_learns(run):
    _, _, results, _, _ = run
    assert set(results) == {"accuracy", "loss", "global_step"}
    assert results["global_step"] == 60
    assert results["accuracy"] > 0.3  # chance is 0.1
    assert np.isfinite(results["loss"])


def test_model_dir_holds_tf1_files(run):
    model_dir, classifier, _, _, _ = run
    names = set(os.listdir(model_dir))
    # A checkpoint at the first step (step 0) and at the end, as TF's CheckpointSaverHook.
    for step in (0, 60):
        for suffix in ("index", "data-00000-of-00001", "meta"):
            assert "model.ckpt-%d.%s" % (step, suffix) in names
    assert {"checkpoint", "graph.pbtxt"} <= names
    assert glob.glob(os.path.join(model_dir, "events.out.tfevents.*"))
    assert glob.glob(os.path.join(model_dir, "eval", "events.out.tfevents.*"))
    assert classifier.latest_checkpoint() == os.path.join(model_dir, "model.ckpt-60")


def test_variable_names_are_tf_layers_names(run):
    _, classifier, _, _, _ = run
    assert classifier.get_variable_names() == [
        "conv2d/bias", "conv2d/kernel", "conv2d_1/bias", "conv2d_1/kernel", "dense/bias",
        "dense/kernel", "dense_1/bias", "dense_1/kernel", "global_step"]
    assert classifier.get_variable_value("conv2d/kernel").shape == (5, 5, 1, 32)
    assert classifier.get_variable_value("global_step") == 60


def test_training_log_has_tf_lines(run):
    _, _, _, _, log = run
    assert "INFO:tensorflow:Calling model_fn." in log
    assert "INFO:tensorflow:Saving checkpoints for 0 into " in log
    assert "INFO:tensorflow:Saving checkpoints for 60 into " in log
    assert "INFO:tensorflow:loss = " in log and ", step = 1" in log
    assert "INFO:tensorflow:probabilities = [[" in log  # the tutorial's logging_hook
    assert "INFO:tensorflow:Loss for final step: " in log
    assert "INFO:tensorflow:Saving dict for global step 60: accuracy = " in log


def test_predict_matches_evaluate(run):
    _, classifier, results, (eval_data, eval_labels), _ = run
    predict_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"x": eval_data}, num_epochs=1, shuffle=False)
    predictions = list(classifier.predict(input_fn=predict_input_fn))
    assert len(predictions) == len(eval_data)
    assert set(predictions[0]) == {"classes", "probabilities"}
    assert predictions[0]["probabilities"].shape == (10,)
    np.testing.assert_allclose(predictions[0]["probabilities"].sum(), 1.0, rtol=1e-5)
    classes = np.array([p["classes"] for p in predictions])
    np.testing.assert_allclose(np.mean(classes == eval_labels), results["accuracy"], atol=1e-6)
