"""String ops against real TensorFlow: every case of tools/fixtures/gen_strings.py.

Each case is rebuilt with tensorflux from `cases.json` and compared exactly with what TensorFlow
recorded: static shapes, dtypes and values (strings byte for byte, non-ASCII UTF-8 included), and
for error cases the exception class and the kernel's message.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import registry

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "strings")

with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as _f:
    CASES = json.load(_f)["strings"]

OK = [c for c in CASES if "error" not in c]
ERRORS = [c for c in CASES if "error" in c]
# TF 2.21 loses these kernels' messages (a C++ RuntimeError while building the text); TF 1.x
# raised InvalidArgumentError, which tensorflux does: case -> how tensorflux's message starts
# (TF 1.x's words; a bad pattern's reason comes from Python's `re`, not RE2).
LOST_MESSAGES = {
    "as_string_err_both": "Cannot select both scientific and shortest notation",
    "as_string_err_int_precision": "precision not supported for datatype int32",
    "regex_replace_err_pattern": "Invalid pattern: (",
    "to_number_err_float0": "StringToNumberOp could not correctly convert string: abc",
    "to_number_err_float1": "StringToNumberOp could not correctly convert string: ",
    "to_number_err_float2": "StringToNumberOp could not correctly convert string: 1_0",
    "to_number_err_float3": "StringToNumberOp could not correctly convert string: 1.5 x",
}


def _build(spec):
    phs, feed = [], {}
    for k, inp in spec["inputs"].items():
        dtype = inp["dtype"]
        value = np.array(inp["values"], dtype=object if dtype == "string" else dtype)
        p = tf.placeholder(dtype, value.shape, name=k)
        phs.append(p)
        feed[p] = value
    fn = eval(spec["code"], {"tf": tf})  # noqa: S307 - the fixture's case table
    return phs, feed, fn


def _outputs(out):
    if isinstance(out, tf.SparseTensor):
        return [out.indices, out.values, out.dense_shape]
    return [out]


def _expected(rec):
    shape = rec["shape"]
    if rec["dtype"] == "string":
        flat = np.empty(len(rec["hex"]), dtype=object)
        flat[:] = [bytes.fromhex(h) for h in rec["hex"]]
        return flat.reshape(shape)
    return np.array(rec["values"], dtype=rec["dtype"]).reshape(shape)


@pytest.mark.parametrize("spec", OK, ids=[c["name"] for c in OK])
def test_case_matches_tf(spec):
    phs, feed, fn = _build(spec)
    outs = _outputs(fn(*phs))
    assert [None if t.shape.ndims is None else t.shape.as_list() for t in outs] == \
        spec["shapes"]
    assert [t.dtype.name for t in outs] == [r["dtype"] for r in spec["outputs"]]
    with tf.Session() as sess:
        got = sess.run(outs, feed)
    for i, (v, rec) in enumerate(zip(got, spec["outputs"])):
        want, v = _expected(rec), np.asarray(v)
        assert v.shape == want.shape, (i, v.shape, want.shape)
        if rec["dtype"] == "string":
            assert v.tolist() == want.tolist(), i
        else:
            assert v.dtype == want.dtype, (i, v.dtype, want.dtype)
            np.testing.assert_array_equal(v, want)


@pytest.mark.parametrize("spec", ERRORS, ids=[c["name"] for c in ERRORS])
def test_error_matches_tf(spec):
    error, message = spec["error"], spec["message"]
    lost = error == "RuntimeError"
    if lost:
        error, message = "InvalidArgumentError", LOST_MESSAGES[spec["name"]]
    expected = getattr(tf.errors, error, None) or getattr(__builtins__, error, None) or \
        {"ValueError": ValueError, "TypeError": TypeError}[error]
    with pytest.raises(expected) as info:
        phs, feed, fn = _build(spec)
        outs = _outputs(fn(*phs))
        with tf.Session() as sess:
            sess.run(outs, feed)
    text = info.value.message if isinstance(info.value, tf.errors.OpError) else str(info.value)
    if lost:
        assert text.startswith(message), text
    elif issubclass(expected, tf.errors.OpError):
        assert text.split("\n")[0] == message
    else:  # a graph-construction error: TF names its own nodes, so compare up to the node
        assert text.split(" for '")[0] == message.split(" for '")[0]


def test_every_string_op_is_a_host_op():
    for name in ("AsString", "ReduceJoin", "RegexReplace", "RegexFullMatch", "StringSplit",
                 "StringSplitV2", "Substr", "StringLength", "StringLower", "StringUpper",
                 "StringStrip", "StringToNumber", "StringJoin", "EncodeBase64", "DecodeBase64"):
        opdef = registry.get(name)
        assert opdef.grad == registry.NOT_DIFFERENTIABLE and "numpy" in opdef.kernels
        assert "xla" not in opdef.kernels


def test_feeds_of_str_are_utf8():
    x = tf.placeholder(tf.string, [2])
    n = tf.strings.length(x)
    joined = tf.strings.join([x, "!"])
    with tf.Session() as sess:
        lengths, out = sess.run([n, joined], {x: ["ö", "ab"]})
    assert lengths.tolist() == [2, 2]
    assert out.tolist() == ["ö!".encode(), b"ab!"]


def test_namespaces():
    import tensorflux.compat.v1 as tf_v1

    assert tf.strings.join is tf.string_join
    assert tf.strings.to_number is tf.string_to_number
    assert tf_v1.strings.split is tf.strings.split
    assert tf_v1.string_split is tf.string_split
    for name in ("as_string", "reduce_join", "regex_replace", "string_split", "string_strip",
                 "string_to_number", "substr", "encode_base64", "decode_base64"):
        assert callable(getattr(tf, name)), name


def test_tensorflow_module_alias():
    import importlib

    from tensorflux.compat import tensorflow_alias

    tensorflow_alias.install_as_tensorflow()
    try:
        mod = importlib.import_module("tensorflow.python.ops.string_ops")
    finally:
        tensorflow_alias.uninstall()
    assert mod.string_split is tf.string_split
    assert mod.string_split_v2 is tf.strings.split
    assert mod.string_length is tf.strings.length


def test_reduce_join_unknown_axes_and_empty():
    x = tf.placeholder(tf.string, [None, 2])
    axis = tf.placeholder(tf.int32, [None])
    out = tf.reduce_join(x, axis, separator=",")
    assert out.shape.ndims is None
    with tf.Session() as sess:
        got = sess.run(out, {x: np.empty((0, 2), object), axis: [0]})
    assert got.tolist() == [b"", b""]


def test_unsupported_arguments_are_clear():
    with pytest.raises(NotImplementedError, match="RaggedTensor"):
        tf.strings.split(["a b"], result_type="RaggedTensor")
    with pytest.raises(NotImplementedError, match="BYTE"):
        tf.strings.substr(["a"], 0, 1, unit="UTF8_CHAR")
    with pytest.raises(TypeError, match="out_type"):
        tf.string_to_number(["1"], out_type=tf.string)
