"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`framework`, `image`,
`layers`, `slim`)."""

from tensorflux.contrib import framework, image, layers, slim
