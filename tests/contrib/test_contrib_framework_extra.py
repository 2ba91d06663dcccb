"""The rest of tf.contrib.framework: tensor checks (with_shape, with_same_shape,
assert_scalar_int, reduce_sum_n, remove_squeezable_dimensions), zero_initializer, py_func,
smart_cond, deprecation decorators and the re-exports (sort, argsort, nest, get_name_scope,
init_from_checkpoint, checkpoint readers). sort/argsort/get_name_scope are compared with real
TensorFlow 2.21 (tests/fixtures/contrib_leftovers)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

F = tf.contrib.framework
FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_leftovers")


def _cases():
    with open(os.path.join(FIX, "cases.json")) as f:
        return json.load(f)


def _run(fetches, feeds=None, init=False):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feeds)


def test_public_names():
    for name in ["nest", "get_name_scope", "init_from_checkpoint", "zero_initializer", "sort",
                 "argsort", "is_tensor", "with_shape", "convert_to_tensor_or_sparse_tensor",
                 "smart_cond", "smart_constant_value", "py_func", "deprecated",
                 "deprecated_args", "deprecated_arg_values", "reduce_sum_n",
                 "assert_scalar_int", "assert_scalar", "remove_squeezable_dimensions",
                 "with_same_shape", "load_checkpoint", "load_variable", "list_variables",
                 "get_graph_from_inputs", "get_trainable_variables", "filter_variables",
                 "local_variable", "model_variable", "prepend_name_scope", "strip_name_scope",
                 "assert_same_float_dtype", "is_numeric_tensor", "is_non_decreasing",
                 "is_strictly_increasing"]:
        assert callable(getattr(F, name)) or name == "nest", name
    assert F.nest.flatten({"b": [1, 2], "a": 3}) == [3, 1, 2]
    assert F.init_from_checkpoint is tf.train.init_from_checkpoint


def test_sort_argsort_match_tf():
    case = _cases()["sort"]
    v = np.array(case["values"], np.float32)
    out = _run({"sort": F.sort(v), "sort_desc": F.sort(v, direction="DESCENDING"),
                "argsort": F.argsort(v), "argsort_desc": F.argsort(v, direction="DESCENDING"),
                "sort_axis0": F.sort(v, axis=0)})
    for key, value in out.items():
        np.testing.assert_array_equal(value, case[key], err_msg=key)


def test_get_name_scope_matches_tf():
    with tf.name_scope("outer"):
        with tf.name_scope("inner"):
            assert F.get_name_scope() == _cases()["graph"]["name_scope"]
    assert F.get_name_scope() == ""


def test_reduce_sum_n():
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.constant([[3.0], [4.0]], name="b")
    total = F.reduce_sum_n([a, b])
    assert total.op.type == "AddN" and total.op.name == "reduce_sum_n"
    assert _run(total) == 10.0
    single = F.reduce_sum_n([a], name="one")
    assert single.op.name == "one/a/sum"
    assert _run(single) == 3.0
    with pytest.raises(ValueError, match="No tensors provided."):
        F.reduce_sum_n([])


def test_remove_squeezable_dimensions_contrib_order():
    p, lab = F.remove_squeezable_dimensions(tf.zeros([3, 1]), tf.zeros([3]))
    assert p.shape.as_list() == [3] and lab.shape.as_list() == [3]
    p, lab = F.remove_squeezable_dimensions(tf.zeros([3]), tf.zeros([3, 1]))
    assert p.shape.as_list() == [3] and lab.shape.as_list() == [3]
    pp = tf.placeholder(tf.float32, None)
    p, lab = F.remove_squeezable_dimensions(pp, tf.zeros([3]))
    assert _run(p, {pp: np.ones((3, 1))}).shape == (3,)
    assert _run(p, {pp: np.ones(3)}).shape == (3,)


def test_with_shape_static():
    x = tf.zeros([2, 3])
    assert F.with_shape([2, 3], x) is x
    with pytest.raises(ValueError, match=r"Invalid shape for tensor zeros:0, expected \[3 2\], "
                                         r"got \(2, 3\)."):
        F.with_shape([3, 2], x)
    with pytest.raises(ValueError, match="Invalid rank 2"):
        F.with_shape(np.zeros((2, 2), np.int32), x)
    with pytest.raises(ValueError, match="Invalid dtype"):
        F.with_shape(tf.constant([2.0, 3.0]), x)
    with pytest.raises(ValueError, match="SparseTensor not supported."):
        F.with_shape([1], tf.SparseTensor([[0]], [1.0], [1]))
    one = tf.constant([5.0])
    scalar = F.with_shape([], one)
    assert scalar.shape.as_list() == [] and _run(scalar) == 5.0


def test_with_shape_dynamic_assert():
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    y = F.with_shape([2, 3], p)
    assert y.shape.as_list() == [2, 3]
    assert y.op.name.startswith("p/")
    np.testing.assert_array_equal(_run(y, {p: np.ones((2, 3))}), np.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Wrong shape for p:0 \[expected\] \[actual\]."):
        _run(y, {p: np.ones((4, 3))})
    t = F.with_shape(tf.constant([4, 3]), p)
    assert _run(t, {p: np.ones((4, 3))}).shape == (4, 3)


def test_with_same_shape():
    p = tf.placeholder(tf.float32, [None, 2])
    q = tf.placeholder(tf.float32, [None, 2])
    r = F.with_same_shape(p, q)
    assert _run(r, {p: np.zeros((3, 2)), q: np.ones((3, 2))}).shape == (3, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Wrong shape"):
        _run(r, {p: np.zeros((3, 2)), q: np.ones((2, 2))})
    assert F.with_same_shape(tf.zeros([2]), tf.ones([2])).shape.as_list() == [2]


def test_assert_scalar_int_and_scalar():
    t = tf.constant(3)
    assert F.assert_scalar_int(t) is not None
    with pytest.raises(ValueError, match="Expected integer type for Const_1:0, received type: "
                                         "<dtype: 'float32'>."):
        F.assert_scalar_int(tf.constant(1.0))
    with pytest.raises(ValueError, match="Expected scalar"):
        F.assert_scalar_int(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="Expected scalar"):
        F.assert_scalar(tf.constant([1.0]))


def test_is_tensor_and_convert():
    assert F.is_tensor(tf.constant(1)) and not F.is_tensor(np.ones(2))
    sp = tf.SparseTensor([[0]], [1.0], [2])
    assert F.convert_to_tensor_or_sparse_tensor(sp) is sp
    assert isinstance(F.convert_to_tensor_or_sparse_tensor([1, 2]), tf.Tensor)


def test_zero_initializer():
    v = tf.Variable(tf.ones([2, 3]), name="v")
    op = F.zero_initializer(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(op), np.zeros((2, 3)))
        np.testing.assert_array_equal(sess.run(v), np.zeros((2, 3)))


def test_py_func_nested_and_kwargs():
    x = tf.constant([1.0, 2.0])
    y = tf.constant(3.0)

    def fn(a, scale=1.0):
        return {"sum": (a * scale).astype(np.float32), "pair": (a.sum().astype(np.float32),
                                                                 np.int32(len(a)))}

    out = F.py_func(fn, [x], {"scale": y},
                    output_types={"sum": tf.float32, "pair": (tf.float32, tf.int32)},
                    output_shapes={"sum": [2], "pair": ([], [])})
    assert out["sum"].shape.as_list() == [2]
    assert out["pair"][1].shape.as_list() == []
    v = _run(out)
    np.testing.assert_array_equal(v["sum"], [3.0, 6.0])
    assert v["pair"] == (3.0, 2)
    single = F.py_func(lambda a: a * 2, [x], output_types=tf.float32)
    np.testing.assert_array_equal(_run(single), [2.0, 4.0])
    typed = F.py_func(lambda a: a + 1, [x], output_types=lambda a: a.dtype,
                      output_shapes=lambda a: a.shape)
    assert typed.shape.as_list() == [2]
    with pytest.raises(TypeError, match="args must be list"):
        F.py_func(lambda a: a, x, output_types=tf.float32)
    with pytest.raises(TypeError, match="kwargs must be dict"):
        F.py_func(lambda a: a, [x], kwargs=[1], output_types=tf.float32)


def test_smart_cond():
    calls = []
    assert F.smart_cond(True, lambda: calls.append(1) or 1, lambda: 2) == 1
    assert F.smart_cond(tf.constant(False), lambda: 1, lambda: 2) == 2
    assert F.smart_constant_value(tf.constant(True)) is True
    assert F.smart_constant_value(0) is False
    p = tf.placeholder(tf.bool, [])
    out = F.smart_cond(p, lambda: tf.constant(1), lambda: tf.constant(2))
    assert _run(out, {p: False}) == 2
    assert F.smart_constant_value(p) is None
    with pytest.raises(TypeError, match="`true_fn` must be callable."):
        F.smart_cond(True, 1, lambda: 2)
    with pytest.raises(TypeError, match="`pred` must be a Tensor, or a Python bool, or 1 or 0"):
        F.smart_constant_value(2)


def test_deprecation_decorators_warn(capfd):
    @F.deprecated("2030-01-01", "Use bar instead.")
    def foo(x):
        return x + 1

    @F.deprecated_args(None, "Drop it.", "old")
    def bar(x, old=None):
        return x

    @F.deprecated_arg_values(None, "Use True.", flag=False)
    def baz(x, flag=True):
        return x

    assert foo(1) == 2
    assert bar(1, old=3) == 1
    assert baz(1, flag=False) == 1
    text = capfd.readouterr().err
    assert ".foo (from test_contrib_framework_extra) is deprecated and will be removed after " \
           "2030-01-01.\nInstructions for updating:\nUse bar instead." in text
    assert ".bar (from test_contrib_framework_extra) with old is deprecated" in text
    assert ".baz (from test_contrib_framework_extra) with flag=False is deprecated" in text
    assert foo(2) == 3 and capfd.readouterr().err == ""  # warned once


def test_graph_helpers():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    assert F.get_graph_from_inputs([a]) is g
    b = tf.constant(2.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        F.get_graph_from_inputs([a, b])
    case = _cases()["graph"]["prepend"]
    assert [F.prepend_name_scope("a/b:0", "imp"), F.prepend_name_scope("^a", "imp"),
            F.prepend_name_scope("loc:@a", "imp/")] == case
    assert F.strip_name_scope("imp/a/b:0", "imp") == "a/b:0"


def test_checkpoint_readers(tmp_path):
    v = tf.Variable([1.0, 2.0], name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "model"))
    assert ("w", [2]) in F.list_variables(path)
    np.testing.assert_array_equal(F.load_variable(path, "w"), [1.0, 2.0])
    np.testing.assert_array_equal(F.load_checkpoint(path).get_tensor("w"), [1.0, 2.0])


def test_get_placeholders():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, name="a")
        tf.constant(1.0)
        b = tf.placeholder(tf.int32, name="b")
    assert F.get_placeholders(g) == [a, b]
