"""The main job: the deck's CNN trains on (a subset of) Fashion-MNIST, checkpoints, resumes."""

import os

import pytest

import tensorflux as tf
from tensorflux import cli
from tensorflux.apps import train_cnn
from tensorflux.datasets import fashion_mnist

HAVE_DATA = os.path.exists(os.path.join(fashion_mnist.DEBIAN_DIR, "train-images-idx3-ubyte.gz"))
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="Fashion-MNIST is not installed "
                                "(apt-get install dataset-fashion-mnist)")


def test_model_variables_and_shapes():
    images = tf.placeholder(tf.float32, [None, 28, 28])
    logits = train_cnn.cnn_model(images, training=False)
    assert logits.get_shape().as_list() == [None, 10]
    shapes = [(v.name, v.get_shape().as_list()) for v in tf.trainable_variables()]
    assert shapes == [("conv2d/kernel:0", [5, 5, 1, 32]), ("conv2d/bias:0", [32]),
                      ("conv2d_1/kernel:0", [5, 5, 32, 64]), ("conv2d_1/bias:0", [64]),
                      ("dense/kernel:0", [3136, 1024]), ("dense/bias:0", [1024]),
                      ("dense_1/kernel:0", [1024, 10]), ("dense_1/bias:0", [10])]


@needs_data
def test_reduced_run_reaches_080(tmp_path):
    logs = []
    hist = train_cnn.train(epochs=1, train_subset=10000, test_subset=2000,
                           checkpoint_dir=str(tmp_path), log=logs.append, progress=False)
    assert hist["test_accuracy"][0] >= 0.80, hist
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-100")
    names = dict(tf.train.list_variables(str(tmp_path)))
    assert names["conv2d/kernel"] == [5, 5, 1, 32] and names["global_step"] == []
    assert "conv2d/kernel/Adam" in names and "beta1_power" in names


@needs_data
def test_resume_continues_from_checkpoint(tmp_path):
    train_cnn.train(epochs=1, train_subset=500, test_subset=200, checkpoint_dir=str(tmp_path),
                    log=lambda m: None, progress=False)
    logs = []
    hist = train_cnn.train(epochs=2, train_subset=500, test_subset=200, resume=True,
                           checkpoint_dir=str(tmp_path), log=logs.append, progress=False)
    assert hist["epochs"] == [2]
    assert any("Resumed from" in m and "model.ckpt-5" in m for m in logs)
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-10")
    step = tf.train.load_variable(str(tmp_path), "global_step")
    assert int(step) == 10


def test_missing_data_says_how_to_get_it(tmp_path, capsys):
    rc = cli.main(["train", "--data-dir", str(tmp_path), "--epochs", "1"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "apt-get install dataset-fashion-mnist" in err and "--data-dir" in err


@needs_data
def test_progress_bar_and_accuracy_are_printed(tmp_path, capsys):
    rc = cli.main(["train", "--epochs", "1", "--train-subset", "200", "--test-subset", "100",
                   "--checkpoint-dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert rc == 0
    assert "epoch 1/1" in captured.err
    assert "step/s" in captured.err or "s/step" in captured.err
    assert "final test accuracy:" in captured.out
    assert os.path.exists(str(tmp_path / "checkpoint"))
