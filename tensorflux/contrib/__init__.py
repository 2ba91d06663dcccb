"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`framework`, `image`,
`layers`, `rnn`, `slim`)."""

from tensorflux.contrib import framework, image, layers, rnn, slim
