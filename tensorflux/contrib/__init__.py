"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`crf`, `cudnn_rnn`, `data`,
`distributions`, `estimator`, `framework`, `image`, `layers`, `lookup`, `losses`, `metrics`,
`opt`, `quantize`, `rnn`, `seq2seq`, `slim`, `tfprof`, `training`, `util`)."""

from tensorflux.contrib import (
    crf,
    cudnn_rnn,
    data,
    distributions,
    estimator,
    framework,
    image,
    layers,
    lookup,
    losses,
    metrics,
    opt,
    quantize,
    rnn,
    seq2seq,
    slim,
    tfprof,
    training,
    util,
)


def __getattr__(name):
    # TF 1.x's contrib.signal became tf.signal, and contrib.keras was tf.keras under its old
    # name: the same modules (found on use, so importing contrib does not import them first)
    if name in ("keras", "signal"):
        import importlib

        return importlib.import_module("tensorflux." + name)
    raise AttributeError("module 'tensorflux.contrib' has no attribute %r" % name)
