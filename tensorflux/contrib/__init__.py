"""`tf.contrib`: the TF 1.x contributed modules tensorflux provides (`layers`, `slim`)."""

from tensorflux.contrib import layers, slim
