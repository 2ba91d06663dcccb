"""`tf.keras.utils`: `to_categorical`, `normalize`, `print_summary`, `get_file`, `Sequence`,
the custom-object registry (`CustomObjectScope`, `custom_object_scope`, `get_custom_objects`),
`plot_model`/`model_to_dot` and `multi_gpu_model`.

Example:
    >>> y_onehot = tf.keras.utils.to_categorical(y, 10)
"""

from tensorflux.keras.utils.data_utils import Sequence, get_file
from tensorflux.keras.utils.generic_utils import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
)
from tensorflux.keras.utils.layer_utils import print_summary
from tensorflux.keras.utils.multi_gpu_utils import multi_gpu_model
from tensorflux.keras.utils.np_utils import normalize, to_categorical
from tensorflux.keras.utils.vis_utils import model_to_dot, plot_model

__all__ = ["CustomObjectScope", "Sequence", "custom_object_scope", "get_custom_objects",
           "get_file", "model_to_dot", "multi_gpu_model", "normalize", "plot_model",
           "print_summary", "to_categorical"]
