"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`framework`, `layers`,
`slim`)."""

from tensorflux.contrib import framework, layers, slim
