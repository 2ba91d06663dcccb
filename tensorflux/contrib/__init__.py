"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`cudnn_rnn`, `data`,
`distributions`, `framework`, `image`, `layers`, `lookup`, `losses`, `metrics`, `opt`, `rnn`,
`slim`, `tfprof`, `training`)."""

from tensorflux.contrib import (
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
    rnn,
    slim,
    tfprof,
    training,
)
