"""`tf.io.decode_json_example`: JSON text of `tf.train.Example` protos to their binary form."""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert


def _shape(op):
    return [(dtypes.string, op.inputs[0].shape)]


registry.register("DecodeJSONExample", shape=_shape, grad=registry.NOT_DIFFERENTIABLE)


def decode_json_example(json_examples, name=None):
    """Converts each JSON-encoded `tf.train.Example` (protobuf's JSON mapping) to its
    serialized binary proto, ready for `tf.io.parse_example`.

    Example:
        >>> tf.io.decode_json_example(
        ...     '{"features": {"feature": {"a": {"int64List": {"value": ["1"]}}}}}')
        # b'\\n\\x0e\\n\\x0c\\n\\x01a\\x12\\x07\\x1a\\x05\\x08\\x01'
    """
    with graph_lib.name_scope(name, "DecodeJSONExample", [json_examples]) as scope:
        x = convert(json_examples, dtype=dtypes.string, name="json_examples")
        return registry.make_tensor("DecodeJSONExample", [x], {}, name=scope)
