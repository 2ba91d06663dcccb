"""`tf.contrib.quantize`: rewrites a float graph for quantization-aware training and for
quantized evaluation/export (batch-norm folding plus FakeQuant ops), as in TF 1.15."""

from tensorflux.contrib.quantize.quantize_graph import (
    create_eval_graph,
    create_training_graph,
    experimental_create_eval_graph,
    experimental_create_training_graph,
)

__all__ = [
    "create_eval_graph",
    "create_training_graph",
    "experimental_create_eval_graph",
    "experimental_create_training_graph",
]
