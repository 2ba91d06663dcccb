"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`crf`, `cudnn_rnn`, `data`,
`distributions`, `framework`, `image`, `layers`, `lookup`, `losses`, `metrics`, `opt`,
`quantize`, `rnn`, `seq2seq`, `slim`, `tfprof`, `training`, `util`)."""

from tensorflux.contrib import (
    crf,
    cudnn_rnn,
    data,
    distributions,
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
