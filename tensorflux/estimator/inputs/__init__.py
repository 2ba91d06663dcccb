"""`tf.estimator.inputs`: ready-made input functions over in-memory data.

An explicit re-export list.
"""

from tensorflux.estimator.inputs.numpy_io import numpy_input_fn
from tensorflux.estimator.inputs.pandas_io import pandas_input_fn

__all__ = ["numpy_input_fn", "pandas_input_fn"]
