"""TF1 programs, written the way TF 1.x users wrote them (`import tensorflow as tf`, internal
`tensorflow.python.*` imports, tf.app.flags, tf.test suites), each run unchanged under
`python -m tensorflux.compat` in a fresh interpreter and checked by what it prints."""

import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FASHION = "/usr/share/datasets/fashion-mnist"
needs_fashion = pytest.mark.skipif(
    not os.path.isfile(os.path.join(FASHION, "train-images-idx3-ubyte.gz")),
    reason="Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)")


def run(args, cwd=HERE, timeout=600):
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "tensorflux.compat"] + args, cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, proc.stderr


def value(pattern, text):
    m = re.search(pattern, text)
    assert m, "%r not in output:\n%s" % (pattern, text)
    return m.group(1)


@needs_fashion
def test_mnist_softmax_tutorial_reaches_80_percent():
    out, _ = run(["mnist_softmax.py", "--steps", "1000"])
    assert "step 0, cross entropy" in out
    # softmax regression on Fashion-MNIST after 1000 steps of 100 examples
    assert float(value(r"test accuracy ([0-9.]+)", out)) >= 0.80


@needs_fashion
def test_monitored_training_session_with_hooks_and_restart(tmp_path):
    train_dir = str(tmp_path / "train")
    out, err = run(["monitored_training.py", "--train_dir", train_dir, "--max_steps", "40"])
    assert "starting at global step 0" in out
    assert "final global step 40" in out
    assert "latest checkpoint model.ckpt-40" in out
    assert value(r"summary tags (.*)", out).split() == [
        "accuracy_1", "global_step/sec", "logits_weights", "loss_1"]
    assert "Saving checkpoints for 25 into" in err and "loss = " in err
    out, _ = run(["monitored_training.py", "--train_dir", train_dir, "--max_steps", "55"])
    assert "starting at global step 40" in out and "final global step 55" in out
    assert float(value(r"validation accuracy ([0-9.]+)", out)) > 0.5


def test_tf_test_suite_with_test_main():
    _, err = run(["ops_suite.py"])
    assert re.search(r"Ran 8 tests", err) and "OK (skipped=1)" in err


def test_tf_test_suite_under_pytest():
    out, _ = run(["-m", "pytest", "-p", "no:cacheprovider", "ops_suite.py"])
    assert "7 passed, 1 skipped" in out


def test_image_summaries_to_tensorboard_events(tmp_path):
    png = os.path.join(REPO, "examples", "data", "chelsea.png")
    out, _ = run(["image_summaries.py", png, str(tmp_path / "logs")])
    assert "batch shape [4, 64, 64, 3]" in out
    assert value(r"events (.*)", out).split() == [
        "file_version", "graph_def", "meta_graph_def", "summary", "summary", "summary"]
    assert value(r"tags (.*)", out).split() == [
        "input/crops/image/0:image", "input/crops/image/1:image", "input/gray/image:image",
        "input/mean_1:simple_value", "input/pixels:histo", "note:tensor"]


@needs_fashion
def test_slim_cnn_trains_saves_and_restores(tmp_path):
    out, _ = run(["slim_cnn.py", "--steps", "150", "--ckpt", str(tmp_path / "ck" / "model.ckpt")])
    assert value(r"variables: (.*)", out).split() == [
        "conv1/weights", "conv1/biases", "conv2/weights", "conv2/biases", "fc3/weights",
        "fc3/biases", "fc4/weights", "fc4/biases"]
    assert "saved model.ckpt-150" in out
    acc = float(value(r"test accuracy ([0-9.]+)", out))
    assert acc >= 0.70
    assert float(value(r"restored accuracy ([0-9.]+)", out)) == acc


def test_sparse_text_classifier():
    out, err = run(["sparse_text_classifier.py"])
    assert "embedding parts embeddings/part_0 embeddings/part_1 embeddings/part_2" in out
    first, last = map(float, re.search(r"loss ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert last < first / 10
    assert float(value(r"accuracy ([0-9.]+)", out)) >= 0.95
    assert "fetched a SparseTensorValue" in out
    assert "calling sparse_mean (from __main__) with keep_dims is deprecated" in err
    assert "old_logits" not in err  # silenced


@needs_fashion
def test_vae_with_contrib_distributions_and_profiler():
    out, _ = run(["vae_fashion.py", "--steps", "200"])
    # encoder convs without biases (144, 4608) and their group norms (2*16, 2*32), fc
    # 1568*16+16; decoder fc 8*1568+1568, transposed convs 4608+16 and 144+1
    assert int(value(r"trainable parameters (\d+)", out)) == 48833
    assert "posterior MultivariateNormalDiag batch (?,) event (8,)" in out
    first, last = map(float, re.search(r"test elbo (-[0-9.]+) -> (-[0-9.]+)", out).groups())
    assert last > first + 100  # the bound rises as the model trains (nats per image)
    low, high = map(float, re.search(r"in \[([0-9.]+), ([0-9.]+)\]", out).groups())
    assert value(r"samples (\[.*?\])", out) == "[4, 28, 28, 1]" and 0 <= low < high <= 1


def test_slim_flowers_pipeline_with_deep_contrib_imports(tmp_path):
    out, err = run(["slim_flowers_pipeline.py", "--dataset_dir", str(tmp_path / "flowers"),
                    "--train_dir", str(tmp_path / "train"), "--max_number_of_steps", "12"])
    assert "wrote 4 shards" in out
    assert "global step 12: loss = " in err and "Stopping Training." in err
    assert value(r"end points (.*)", out).split() == [
        "Flatten", "Logits", "Predictions", "conv1", "conv2", "dropout3", "fc3", "pool1",
        "pool2"]
    assert float(value(r"final loss ([0-9.]+)", out)) > 0
    assert "checkpoint model.ckpt-12" in out
    files = os.listdir(tmp_path / "train")
    assert {"checkpoint", "model.ckpt-12.data-00000-of-00001", "model.ckpt-12.index",
            "model.ckpt-12.meta"} <= set(files)
    assert "eval global step 12" in out
    accuracy = float(value(r"eval accuracy ([0-9.]+)", out))
    recall = float(value(r"recall_5 ([0-9.]+)", out))
    assert 0.0 <= accuracy <= 1.0 and recall == 1.0  # 5 classes: the top 5 hold every label


def test_dcgan_two_optimizers_batch_norm_updates_and_saver(tmp_path):
    out, _ = run(["dcgan.py", "--steps", "4", "--checkpoint_dir", str(tmp_path / "ck")])
    # D: 2 convs, bn1 (beta, gamma), linear; G: linear, bn0, deconv1, bn1, deconv2
    assert "discriminator variables 8 generator variables 10" in out
    # d_bn1 runs twice (real and fake) and g_bn0/g_bn1 once in training mode: 2 updates each
    assert "update ops 8 discriminator 4 generator 4" in out
    assert len(re.findall(r"Epoch: \[ *\d+\] d_loss: [0-9.]+, g_loss: [0-9.]+", out)) == 4
    assert "finite losses True" in out and "moving mean updated True" in out
    assert value(r"samples (\[.*?\])", out) == "[4, 16, 16, 1]"
    low, high = map(float, re.search(r"in \[(-?[0-9.]+), (-?[0-9.]+)\]", out).groups())
    assert -1 <= low < high <= 1  # tanh
    assert "saved DCGAN.model-4" in out
    # 18 trainable + 2 Adam slots each + 2x(beta1_power, beta2_power) + 3 bn x 2 moving stats
    assert "checkpoint has 64 variables, 36 Adam slots" in out
    assert any(f.startswith("events.out.tfevents") for f in os.listdir(tmp_path / "ck" / "logs"))


def test_style_transfer_adam_then_scipy_lbfgs():
    out, _ = run(["style_transfer.py", "--iterations", "20", "--lbfgs_iterations", "15"])
    assert "gram shapes 8x8 16x16 24x24" in out
    assert "total variation matches numpy True" in out
    first, after_adam = map(float, re.search(r"adam loss ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert after_adam < first
    evaluations, lbfgs_first = re.search(r"lbfgs evaluations (\d+), first ([0-9.]+)",
                                         out).groups()
    assert int(evaluations) >= 15 and float(lbfgs_first) == after_adam
    start, final = map(float, re.search(r"lbfgs loss ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert start == after_adam and final < start / 5
    assert "stylized image [24, 24, 3] uint8" in out


@needs_fashion
def test_spatial_transformer_on_cluttered_fashion_mnist():
    out, _ = run(["spatial_transformer.py", "--steps", "100"])
    assert "theta shape (?, 6)" in out and "transformed shape (?, 28, 28, 1)" in out
    assert "identity sample matches numpy True" in out
    assert "theta gradient finite True" in out and "theta values [5, 6]" in out
    assert float(value(r"test accuracy ([0-9.]+)", out)) > 0.3  # chance is 0.1


def test_unet_segmentation_with_tf_data_and_mean_iou():
    out, _ = run(["unet_segmentation.py", "--steps", "40"])
    assert "batch (?, 24, 24, 1) (?, 24, 24)" in out
    assert "logits (?, 24, 24, 3)" in out and "per-pixel loss (?, 24, 24)" in out
    assert value(r"local variables (.*)", out).split() == [
        "accuracy/count", "accuracy/total", "miou/total_confusion_matrix"]
    first, last = map(float, re.search(r"loss ([0-9.]+) -> ([0-9.]+)", out).groups())
    assert last < first / 2
    iou, accuracy = map(float, re.search(r"mean iou ([0-9.]+) pixel accuracy ([0-9.]+)",
                                         out).groups())
    assert iou > 0.35 and accuracy > 0.8
    assert "mean iou matches numpy True" in out


def test_detection_ops_match_numpy():
    out, _ = run(["detection_ops.py"])
    # the same lines as real TensorFlow prints for this program
    assert out.splitlines() == [
        "anchors (96, 4)",
        "pooled rois (?, 7, 7, 3)",
        "anchors match numpy True",
        "proposals per image [12, 10] match numpy True",
        "crops [24, 14, 14, 3] match numpy True",
        "pooled match numpy True",
        "overlaps [24, 3] match numpy True",
        "labels 1 0 0 0 0 0 0 0 2 0 0 0 2 0 1 0 0 0 0 0 0 1 0 0",
        "drawn pixels changed 1744, gradient finite True, nonzero True",
    ]
