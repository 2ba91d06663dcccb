"""`tf.strings`: the TF 1.x string ops (ops/string_ops.py), under their `tf.strings.*` names.

    >>> tf.strings.join(["a", "b"], separator="-")  # b"a-b"
"""

from tensorflux.ops.hash_ops import string_to_hash_bucket as to_hash_bucket
from tensorflux.ops.hash_ops import string_to_hash_bucket_fast as to_hash_bucket_fast
from tensorflux.ops.hash_ops import string_to_hash_bucket_strong as to_hash_bucket_strong
from tensorflux.ops.string_ops import (
    as_string,
    decode_base64,
    encode_base64,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    split,
    strip,
    substr,
    upper,
)
from tensorflux.ops.string_ops import string_join as join
from tensorflux.ops.string_ops import string_to_number as to_number

__all__ = [
    "as_string", "decode_base64", "encode_base64", "join", "length", "lower", "reduce_join",
    "regex_full_match", "regex_replace", "split", "strip", "substr", "to_hash_bucket",
    "to_hash_bucket_fast", "to_hash_bucket_strong", "to_number", "upper",
]
