"""Feature configurations for `tf.parse_example`: `tf.FixedLenFeature`, `tf.VarLenFeature` and
`tf.FixedLenSequenceFeature` (namedtuples, as in TF), and their checks.

Example:
    >>> features = {"label": tf.FixedLenFeature([], tf.int64, default_value=-1),
    ...             "bbox": tf.VarLenFeature(tf.float32)}
"""

import collections

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import array_ops, constant_op

_SUPPORTED = (dtypes.float32, dtypes.int64, dtypes.string)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any length, parsed into a `SparseTensor`.

    Example:
        >>> tf.VarLenFeature(tf.float32)   # "image/object/bbox/xmin" -> SparseTensor
    """


class FixedLenFeature(collections.namedtuple(
        "FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A feature with exactly `prod(shape)` values, parsed into a dense tensor of `shape`;
    `default_value` (reshaped to `shape`) stands in for a missing feature, which is otherwise
    an error.

    Example:
        >>> tf.FixedLenFeature([], tf.int64, default_value=-1)
    """

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """A feature with any multiple of `prod(shape)` values, parsed into a dense tensor of shape
    `[n] + shape` (a batch is padded with `default_value` to its longest example).

    Example:
        >>> tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)
    """

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


def _check(key, feature):
    """The feature with its dtype as a DType; raises TF's ValueErrors for bad configurations."""
    if not isinstance(feature, (VarLenFeature, FixedLenFeature, FixedLenSequenceFeature)):
        raise ValueError("Invalid feature %s:%s." % (key, feature))
    if not feature.dtype:
        raise ValueError("Missing type for feature %s." % key)
    dtype = dtypes.as_dtype(feature.dtype)
    if dtype not in _SUPPORTED:
        raise ValueError("Unsupported %s %s." % (type(feature).__name__, feature))
    if isinstance(feature, VarLenFeature):
        return VarLenFeature(dtype)
    if feature.shape is None:
        raise ValueError("Missing shape for feature %s." % key)
    shape = tensor_shape.as_shape(feature.shape)
    if not shape.is_fully_defined():
        raise ValueError("Missing shape for feature %s." % key)
    if isinstance(feature, FixedLenSequenceFeature) and not feature.allow_missing:
        raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be "
                         "True.")
    return feature._replace(dtype=dtype, shape=shape.as_list())


def split_features(features):
    """`(sparse, dense)`: sorted `(key, feature)` lists of the VarLen and the FixedLen(Sequence)
    features of a `{key: feature}` dict."""
    sparse, dense = [], []
    for key in sorted(features):
        feature = _check(key, features[key])
        (sparse if isinstance(feature, VarLenFeature) else dense).append((key, feature))
    return sparse, dense


def dense_default(key, feature):
    """The default-value input of a dense feature: empty (the feature is required) or its
    default reshaped to the feature's shape; for a sequence feature, the scalar padding."""
    name = "key_%s" % key.replace("/", "_")
    if isinstance(feature, FixedLenSequenceFeature):
        pad = feature.default_value
        if pad is None:
            pad = b"" if feature.dtype == dtypes.string else 0
        return constant_op.convert_to_tensor(pad, dtype=feature.dtype, name=name)
    if feature.default_value is None:
        return constant_op.constant([], dtype=feature.dtype, name=name)
    value = constant_op.convert_to_tensor(feature.default_value, dtype=feature.dtype, name=name)
    if value.shape.as_list() == list(feature.shape):
        return value
    return array_ops.reshape(value, feature.shape)


__all__ = ["FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "dense_default",
           "split_features"]
