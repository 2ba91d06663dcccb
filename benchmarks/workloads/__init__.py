"""Benchmark workloads: one module each, with one `setup_<peer>(opts) -> step` per peer.

A workload module defines:
  - `BATCH`: its default batch size (None where it has none; `--batch` overrides it),
  - `flops(opts)`: floating-point operations per step (multiply-adds of convolutions and
    matmuls, counted as 2), or None where the count is meaningless,
  - `STEPS`, `WARMUP`: default timed and warm-up step counts,
  - `setup_tensorflux`, `setup_tensorflow`, `setup_torch`, `setup_jax`: each builds the model
    for that peer and returns `step`, a zero-argument callable running one synchronous step.

tensorflux and TensorFlow share one TF1 code path, written against a `tf` module parameter.
"""

WORKLOADS = ("overhead", "cnn_train", "resnet50_infer", "resnet50_train")
PEERS = ("tensorflux", "tensorflow", "torch", "jax")


def tf1_module(peer):
    """The TF1 API module for `peer`: tensorflux itself, or TensorFlow's compat.v1 in graph mode."""
    if peer == "tensorflux":
        import tensorflux as tf

        return tf
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    return tf


def seed_tf1(tf, seed=0):
    """Fixes the graph-level seed where the API has it."""
    if hasattr(tf, "set_random_seed"):
        tf.set_random_seed(seed)


class Options:
    """What a workload's setup and FLOP count may depend on."""

    def __init__(self, batch=None):
        self.batch = batch
