"""`tf.estimator.inputs.numpy_input_fn`: an input_fn feeding numpy arrays in batches.

TF 1.x fed the arrays through a queue filled by Python threads; here a `tf.data` generator
dataset plays that part: the arrays stay in Python (never a constant in the graph), each
session that runs the input starts again from the first epoch, and the batches are cut from
the concatenated epochs, as the queue's `dequeue_up_to` did: with `num_epochs=None` every batch
is full and the input never ends, otherwise the last batch may be short and the input then
ends with `OutOfRangeError`.
"""

import collections
import functools

import numpy as np

from tensorflux.data.dataset_ops import Dataset
from tensorflux.data.iterator_ops import make_one_shot_iterator
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib

_TARGET_KEY = "__target_key__"


def _get_unique_target_key(features):
    """A key not in `features` under which `y` travels with them."""
    key = _TARGET_KEY
    while key in features:
        key += "_n"
    return key


def _validate_and_convert_features(x):
    """`x` as an OrderedDict sorted by key (an array becomes one anonymous feature)."""
    if isinstance(x, dict):
        if not x:
            raise ValueError("x cannot be an empty dict")
        return collections.OrderedDict(sorted(x.items(), key=lambda t: t[0]))
    if isinstance(x, np.ndarray):
        if x.size == 0:
            raise ValueError("x cannot be an empty array")
        return collections.OrderedDict({"__direct_np_input__": x})
    raise TypeError("x must be a dict or array; got {}".format(type(x).__name__))


def _as_array(value):
    array = np.asarray(value)
    if array.dtype.kind == "U":  # TF feeds text as bytes (tf.string)
        array = np.char.encode(array, "utf-8")
    return array


def _batches(arrays, batch_size, num_epochs, shuffle, seed):
    """Yields tuples of row-aligned batches of `arrays` over `num_epochs` (None: forever)."""
    rows = len(arrays[0])
    if rows == 0:
        return
    rng = np.random.RandomState(seed)
    pending = np.zeros([0], dtype=np.int64)
    epoch = 0
    while num_epochs is None or epoch < num_epochs or len(pending):
        while len(pending) < batch_size and (num_epochs is None or epoch < num_epochs):
            order = rng.permutation(rows) if shuffle else np.arange(rows)
            pending = np.concatenate([pending, order])
            epoch += 1
        index, pending = pending[:batch_size], pending[batch_size:]
        yield tuple(a[index] for a in arrays)


def _check_lengths(data, feature_keys, target_keys, y):
    if len({len(v) for v in data.values()}) == 1:
        return
    x_shapes = {k: data[k].shape for k in feature_keys}
    if target_keys is None:
        y_shapes = None
    elif isinstance(target_keys, str):
        y_shapes = np.shape(y)
    else:
        y_shapes = {k: data[k].shape for k in target_keys}
    raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y must "
                     "have the same length.\nShapes in x: {}\nShapes in y: {}\n"
                     .format(x_shapes, y_shapes))


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000,
                   num_threads=1):
    """Returns an input_fn that yields batches of `x` (and `y`) as `(features, labels)`.

    Args:
        x: A numpy array (then features is one tensor) or a dict of them (then features is a
            dict with the same keys).
        y: A numpy array, a dict of them, or None (then the input_fn returns features only).
        batch_size: The rows per batch.
        num_epochs: How many times to go through the data; None repeats forever.
        shuffle: Whether to shuffle the rows (every epoch); must be given, as in TF.
        queue_capacity: Accepted for compatibility (there is no queue).
        num_threads: Accepted for compatibility (the batches are made by one generator).

    Raises:
        ValueError: If `shuffle` is not a bool, `x`/`y` are empty, their lengths differ, or a
            key is in both `x` and `y` (the last three when the input_fn is called).
        TypeError: If `x` is neither an array nor a dict (when the input_fn is called).

    Example:
        >>> train_input_fn = tf.estimator.inputs.numpy_input_fn(
        ...     x={"x": train_data}, y=train_labels, batch_size=100, num_epochs=None,
        ...     shuffle=True)
    """
    del queue_capacity, num_threads
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided and explicitly set as boolean (it is "
                         "recommended to set it as True for training); got {}".format(shuffle))

    def input_fn():
        data = _validate_and_convert_features(x)
        feature_keys = list(data)
        if y is None:
            target_keys = None
        elif isinstance(y, dict):
            if not y:
                raise ValueError("y cannot be empty dict, use None instead.")
            ordered_y = collections.OrderedDict(sorted(y.items(), key=lambda t: t[0]))
            target_keys = list(ordered_y)
            duplicates = set(feature_keys) & set(target_keys)
            if duplicates:
                raise ValueError("{} duplicate keys are found in both x and y: {}"
                                 .format(len(duplicates), duplicates))
            data.update(ordered_y)
        else:
            target_keys = _get_unique_target_key(data)
            data[target_keys] = y
        data = collections.OrderedDict((k, _as_array(v)) for k, v in data.items())
        _check_lengths(data, feature_keys, target_keys, y)
        batch = _batch_tensors(list(data.values()), batch_size, num_epochs, shuffle)
        if isinstance(x, np.ndarray):
            features = batch[0]
        else:
            features = dict(zip(feature_keys, batch[:len(feature_keys)]))
        if target_keys is None:
            return features
        if isinstance(target_keys, str):
            return features, batch[-1]
        return features, dict(zip(target_keys, batch[-len(target_keys):]))

    return input_fn


def _batch_tensors(arrays, batch_size, num_epochs, shuffle):
    """The `get_next()` tensors of a generator dataset over the batches of `arrays`."""
    types = tuple(dtypes.as_dtype(a.dtype) for a in arrays)
    shapes = tuple(tensor_shape.TensorShape([None] + list(a.shape[1:])) for a in arrays)
    seed = graph_lib.get_default_graph().seed  # the RunConfig's tf_random_seed, if any
    generator = functools.partial(_batches, arrays, batch_size, num_epochs, shuffle, seed)
    dataset = Dataset.from_generator(generator, types, shapes)
    return list(make_one_shot_iterator(dataset).get_next())
