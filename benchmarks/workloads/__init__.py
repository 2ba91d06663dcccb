"""Benchmark workloads: one module each, with one `setup_<peer>(opts) -> step` per peer.

A workload module defines:
  - `BATCH`: its default batch size (None where it has none; `--batch` overrides it),
  - `flops(opts)`: floating-point operations per step (multiply-adds of convolutions and
    matmuls, counted as 2), or None where the count is meaningless,
  - `STEPS`, `WARMUP`: default timed and warm-up step counts,
  - `setup_tensorflux`, `setup_tensorflow`, `setup_torch`, `setup_jax`: each builds the model
    for that peer and returns `step`, a zero-argument callable running one synchronous step.

tensorflux and TensorFlow share one TF1 code path, written against a `tf` module parameter.

A peer may name a variant after a "+": `tensorflux+mixed` (the mixed-precision graph rewrite,
`tf.train.experimental.enable_mixed_precision_graph_rewrite`, with dynamic loss scaling),
`torch+bf16` (bfloat16 autocast), `tensorflux+serial` (`inter_op_parallelism_threads=1`: one
op at a time) and `tensorflux+nchw` (the model written channels-first); a setup reads it from
`opts.variant`. A workload lists the variants it has in
its own `VARIANTS` (peer -> names); any other variant is reported as not implemented.
`opts.device` is "cpu" or "gpu" (`--device`); a workload that cannot run a peer, variant or
device raises `Unsupported`.
"""

WORKLOADS = ("overhead", "cnn_train", "resnet50_infer", "resnet50_train", "augment",
             "mobilenet_infer", "ps_train")
PEERS = ("tensorflux", "tensorflow", "torch", "jax")
VARIANTS = {"tensorflux": ("mixed", "serial", "nchw"), "tensorflow": ("mixed", "serial", "nchw"),
            "torch": ("bf16",)}
DEVICES = ("cpu", "gpu")


class Unsupported(Exception):
    """This workload has no version for the asked peer variant or device."""


def split_peer(spec):
    """"torch+bf16" -> ("torch", "bf16"); "jax" -> ("jax", None)."""
    base, _, variant = spec.partition("+")
    return base, variant or None


def peer_specs():
    """Every peer and peer variant `--peers` accepts."""
    return PEERS + tuple("%s+%s" % (p, v) for p in PEERS for v in VARIANTS.get(p, ()))


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

    def __init__(self, batch=None, device="cpu", variant=None):
        self.batch = batch
        self.device = device
        self.variant = variant

    def require(self, devices=("cpu",), variants=(None,)):
        """Raises Unsupported unless this run's device and variant are among those given."""
        if self.device not in devices:
            raise Unsupported("no %s version of this workload" % self.device)
        if self.variant not in variants:
            raise Unsupported("no variant %r of this peer in this workload" % self.variant)
