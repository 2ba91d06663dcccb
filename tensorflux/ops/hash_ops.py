"""String hashing into buckets: `tf.string_to_hash_bucket_fast`, `_strong` and the legacy one.

    >>> tf.strings.to_hash_bucket_fast(["a", "b"], 10)          # FarmHash Fingerprint64 % 10
    >>> tf.strings.to_hash_bucket_strong(["a"], 10, key=[1, 2])  # SipHash-2-4 keyed % 10

The three ops (`StringToHashBucketFast`, `StringToHashBucketStrong`, `StringToHashBucket`) map
each string to `hash(s) % num_buckets` as int64, shaped like the input; the hashes are TF's
exactly (kernels in backends/numpy/hash_ops.py), so vocabulary tables with out-of-vocabulary
buckets give TF's ids. Not differentiable.
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE


def _shape(op):
    return [(dtypes.int64, op.inputs[0].shape)]


registry.register("StringToHashBucketFast", shape=_shape, grad=ND)
registry.register("StringToHashBucketStrong", shape=_shape, grad=ND)
registry.register("StringToHashBucket", shape=_shape, grad=ND)


def _hash(op_type, x, num_buckets, attrs, name, input_name):
    with graph_lib.name_scope(name, op_type, [x]) as scope:
        if not isinstance(x, Tensor) and not hasattr(x, "_as_graph_element"):
            first = next(iter(np.asarray(x, dtype=object).reshape(-1)), "")
            if not isinstance(first, (str, bytes)):
                raise TypeError("Expected string passed to parameter '%s' of op '%s', got %r "
                                "of type '%s' instead. Error: Expected string, but got %r of "
                                "type '%s'." % (input_name, op_type, x, type(x).__name__,
                                                first, type(first).__name__))
            x = convert(x, dtype=dtypes.string, name=input_name)
        t = convert(x, name=input_name)
        if t.dtype.base_dtype != dtypes.string:
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected "
                            "type of string." % (input_name, op_type, t.dtype.name))
        if int(num_buckets) < 1:
            raise ValueError("Value for attr 'num_buckets' of %d must be at least minimum 1"
                             % int(num_buckets))
        attrs = dict(attrs, num_buckets=int(num_buckets))
        return registry.make_tensor(op_type, [t], attrs, name=scope)


def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    """Hashes each string to `Fingerprint64(s) % num_buckets` (int64), as TF's FarmHash.

    Example:
        >>> tf.string_to_hash_bucket_fast(["Hello", "TF"], 1000)
    """
    return _hash("StringToHashBucketFast", input, num_buckets, {}, name, "input")


def string_to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """Hashes each string with SipHash-2-4 keyed by `key` (two uint64s), `% num_buckets`.

    Slower than the fast hash, but an adversary who does not know `key` cannot choose strings
    that fall into one bucket.

    Example:
        >>> tf.string_to_hash_bucket_strong(["Hello"], 1000, key=[1, 2])
    """
    key = [int(k) for k in key]
    if len(key) != 2:
        raise ValueError("Key must have 2 elements")
    return _hash("StringToHashBucketStrong", input, num_buckets, {"key": key}, name, "input")


def string_to_hash_bucket_v1(string_tensor=None, num_buckets=None, name=None, input=None):  # noqa: A002
    """TF's legacy string hash (`Hash64`, a MurmurHash2 variant) `% num_buckets`; prefer
    `string_to_hash_bucket_fast`.

    Example:
        >>> tf.string_to_hash_bucket(["Hello"], 1000)
    """
    if input is not None:
        if string_tensor is not None:
            raise ValueError("Cannot specify both 'string_tensor' and 'input'.")
        string_tensor = input
    return _hash("StringToHashBucket", string_tensor, num_buckets, {}, name, "string_tensor")


def string_to_hash_bucket(input, num_buckets, name=None):  # noqa: A002
    """`tf.strings.to_hash_bucket`: the legacy hash of `string_to_hash_bucket_v1`."""
    return _hash("StringToHashBucket", input, num_buckets, {}, name, "string_tensor")


__all__ = ["string_to_hash_bucket", "string_to_hash_bucket_fast",
           "string_to_hash_bucket_strong", "string_to_hash_bucket_v1"]
