"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`distributions`,
`framework`, `image`, `layers`, `losses`, `metrics`, `opt`, `rnn`, `slim`, `tfprof`,
`training`)."""

from tensorflux.contrib import (
    distributions,
    framework,
    image,
    layers,
    losses,
    metrics,
    opt,
    rnn,
    slim,
    tfprof,
    training,
)
