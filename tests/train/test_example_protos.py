"""tf.train.Example and friends: byte-identical to protobuf's serialization (fixtures from
real TensorFlow, tools/fixtures/gen_example.py) and protobuf's Python API."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "example", "example.json")
MESSAGES = json.load(open(FIXTURE))["messages"]


def _b(*v):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=list(v)))


def _f(*v):
    return tf.train.Feature(float_list=tf.train.FloatList(value=list(v)))


def _i(*v):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=list(v)))


def _ex(**kw):
    return tf.train.Example(features=tf.train.Features(feature={
        k.replace("__", "/"): v for k, v in kw.items()}))


def _cases():
    seq = tf.train.SequenceExample(
        context=tf.train.Features(feature={"length": _i(2)}),
        feature_lists=tf.train.FeatureLists(feature_list={
            "tokens": tf.train.FeatureList(feature=[_i(1, 2), _i(3)]),
            "scores": tf.train.FeatureList(feature=[_f(0.5), _f(-1.0, 2.0)])}))
    return {
        "empty": tf.train.Example(),
        "empty_features": tf.train.Example(features=tf.train.Features()),
        "one_int": _ex(label=_i(7)),
        "negative_ints": _ex(x=_i(-1, 0, 2 ** 40, -(2 ** 63))),
        "floats": _ex(x=_f(0.1, -2.5, 1e30, 0.0)),
        "bytes": _ex(x=_b(b"", b"abc", b"\x00\xff" * 100)),
        "empty_lists": _ex(b=tf.train.Feature(bytes_list=tf.train.BytesList()),
                           f=tf.train.Feature(float_list=tf.train.FloatList()),
                           i=tf.train.Feature(int64_list=tf.train.Int64List())),
        "empty_feature": _ex(nothing=tf.train.Feature()),
        "several_keys": _ex(image__encoded=_b(b"jpeg"), image__height=_i(4), zeta=_f(1.0),
                            alpha=_i(1, 2, 3), image__class__label=_i(3)),
        "sequence": seq,
        "float_list": tf.train.FloatList(value=[1.5, 2.25]),
        "feature_int": _i(300, 1),
    }


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_serialize_matches_protobuf_bytes(name):
    msg = _cases()[name]
    assert msg.SerializeToString().hex() == MESSAGES[name]
    back = type(msg).FromString(bytes.fromhex(MESSAGES[name]))
    assert back == msg
    assert back.SerializeToString().hex() == MESSAGES[name]


def test_reading_tf_bytes_gives_the_values():
    ex = tf.train.Example.FromString(bytes.fromhex(MESSAGES["several_keys"]))
    feature = ex.features.feature
    assert sorted(feature) == ["alpha", "image/class/label", "image/encoded", "image/height",
                               "zeta"]
    assert feature["alpha"].int64_list.value == [1, 2, 3]
    assert feature["image/encoded"].bytes_list.value == [b"jpeg"]
    assert feature["zeta"].WhichOneof("kind") == "float_list"
    floats = tf.train.Example.FromString(bytes.fromhex(MESSAGES["floats"]))
    assert floats.features.feature["x"].float_list.value == [
        float(np.float32(v)) for v in (0.1, -2.5, 1e30, 0.0)]


def test_building_in_place_with_append_and_extend():
    ex = tf.train.Example()
    ex.features.feature["label"].int64_list.value.append(7)
    assert ex.SerializeToString().hex() == MESSAGES["one_int"]
    ex2 = tf.train.Example()
    ex2.features.feature["x"].bytes_list.value.extend([b"", b"abc"])
    ex2.features.feature["x"].bytes_list.value.append(b"\x00\xff" * 100)
    assert ex2.SerializeToString().hex() == MESSAGES["bytes"]
    seq = tf.train.SequenceExample()
    seq.context.feature["length"].int64_list.value.append(2)
    tokens = seq.feature_lists.feature_list["tokens"].feature
    tokens.add().int64_list.value.extend([1, 2])
    tokens.add(int64_list=tf.train.Int64List(value=[3]))
    scores = seq.feature_lists.feature_list["scores"].feature
    scores.add().float_list.value.append(0.5)
    scores.add().float_list.value.extend(np.array([-1.0, 2.0], np.float32))
    assert seq.SerializeToString().hex() == MESSAGES["sequence"]


def test_dicts_and_numpy_values_in_constructors():
    feature = tf.train.Feature(int64_list={"value": [np.int64(300), 1]})
    assert feature.SerializeToString().hex() == MESSAGES["feature_int"]
    ex = tf.train.Example(features={"feature": {"label": {"int64_list": {"value": [7]}}}})
    assert ex.SerializeToString().hex() == MESSAGES["one_int"]


def test_type_checks_like_protobuf():
    with pytest.raises(TypeError):
        tf.train.BytesList(value=["text"])
    with pytest.raises(TypeError):
        tf.train.Int64List(value=[1.5])
    with pytest.raises(ValueError, match="out of range"):
        tf.train.Int64List().value.append(2 ** 63)
    with pytest.raises(TypeError):
        tf.train.FloatList(value=["x"])
    assert tf.train.FloatList(value=[0.1]).value[0] == float(np.float32(0.1))
    with pytest.raises(ValueError, match="no \"colour\" field"):
        tf.train.Feature(colour=1)


def test_oneof_kind_follows_the_last_list_written():
    feature = tf.train.Feature()
    assert feature.WhichOneof("kind") is None
    feature.int64_list.value.append(1)
    feature.float_list.value.append(2.0)
    assert feature.WhichOneof("kind") == "float_list"
    assert feature == _f(2.0)


def test_parse_from_string_replaces_and_text_format():
    ex = _ex(a=_i(5))
    ex.ParseFromString(bytes.fromhex(MESSAGES["one_int"]))
    assert list(ex.features.feature) == ["label"]
    assert str(_ex(a=_i(1), b=_b(b"x\n"), c=_f(0.5, 2.0))) == (
        'features {\n  feature {\n    key: "a"\n    value {\n      int64_list {\n'
        '        value: 1\n      }\n    }\n  }\n  feature {\n    key: "b"\n    value {\n'
        '      bytes_list {\n        value: "x\\012"\n      }\n    }\n  }\n'
        '  feature {\n    key: "c"\n    value {\n      float_list {\n        value: 0.5\n'
        '        value: 2\n      }\n    }\n  }\n}\n')


def test_reachable_from_compat_and_the_tensorflow_alias():
    import tensorflux.compat.v1 as v1
    from tensorflux.compat import tensorflow_alias

    assert v1.train.Example is tf.train.Example
    tensorflow_alias.install_as_tensorflow()
    try:
        from tensorflow.core.example import example_pb2, feature_pb2

        assert example_pb2.Example is tf.train.Example
        assert feature_pb2.Int64List is tf.train.Int64List
    finally:
        tensorflow_alias.uninstall()
