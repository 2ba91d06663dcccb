"""`tf.keras.utils`: `to_categorical`, `normalize`, `print_summary`, `get_file`, `Sequence`.

Example:
    >>> y_onehot = tf.keras.utils.to_categorical(y, 10)
"""

from tensorflux.keras.utils.data_utils import Sequence, get_file
from tensorflux.keras.utils.layer_utils import print_summary
from tensorflux.keras.utils.np_utils import normalize, to_categorical

__all__ = ["Sequence", "get_file", "normalize", "print_summary", "to_categorical"]
