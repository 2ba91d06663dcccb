"""variable_scope and get_variable: sharing rules, nesting, defaults, custom getters, names."""

import numpy as np
import pytest

import tensorflux as tf


def _init_and_run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


def test_get_variable_names_and_initializer_ops():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
        c = tf.constant(1.0, name="c")
    assert v.name == "foo/v:0"
    assert c.name == "foo/c:0"
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names[:8] == ["foo/v/Initializer/random_uniform/shape",
                         "foo/v/Initializer/random_uniform/min",
                         "foo/v/Initializer/random_uniform/max",
                         "foo/v/Initializer/random_uniform/RandomUniform",
                         "foo/v/Initializer/random_uniform/sub",
                         "foo/v/Initializer/random_uniform/mul",
                         "foo/v/Initializer/random_uniform",
                         "foo/v"]
    assert tf.get_variable_scope().name == ""


def test_reuse_true_shares_and_requires_existence():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        assert tf.get_variable("v", [1]) is v
        assert tf.get_variable("v") is v  # shape may be omitted when reusing
        # the name scope is new, the variable scope is the same
        assert tf.constant(1.0, name="c").name == "foo_1/c:0"
    with tf.variable_scope("bar", reuse=True):
        with pytest.raises(ValueError, match="Variable bar/v does not exist, or was not created "
                                             "with tf.get_variable\\(\\). Did you mean to set "
                                             "reuse=tf.AUTO_REUSE in VarScope\\?"):
            tf.get_variable("v", [1])


def test_creating_twice_is_an_error():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    with pytest.raises(ValueError, match="^Variable foo/v already exists, disallowed. Did you "
                                         "mean to set reuse=True or reuse=tf.AUTO_REUSE in "
                                         "VarScope\\?$"):
        with tf.variable_scope("foo"):
            tf.get_variable("v", [1])
    with pytest.raises(ValueError, match="already exists"):
        tf.get_variable("foo/v", [1])


def test_sharing_checks_shape_and_dtype():
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match="Trying to share variable foo/v, but specified shape "
                                             "\\(2,\\) and found shape \\(1,\\)."):
            tf.get_variable("v", [2])
        with pytest.raises(ValueError, match="Trying to share variable foo/v, but specified dtype "
                                             "int32 and found dtype float32_ref."):
            tf.get_variable("v", [1], dtype=tf.int32)


def test_auto_reuse():
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        a1 = tf.get_variable("a", [2])
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        a2 = tf.get_variable("a", [2])
        b = tf.get_variable("b", [2])
    assert a1 is a2 and a1.name == "auto/a:0"
    assert b.name == "auto/b:0"
    assert len(tf.global_variables()) == 2


def test_nesting_and_reuse_inheritance():
    with tf.variable_scope("a"):
        with tf.variable_scope("b", reuse=True):
            with tf.variable_scope("c", reuse=False):
                assert tf.get_variable_scope().reuse is True  # reuse is inherited
                assert tf.get_variable_scope().name == "a/b/c"
    assert tf.get_variable_scope().reuse is False


def test_reuse_variables():
    with tf.variable_scope("r") as scope:
        z = tf.get_variable("z", [1])
        scope.reuse_variables()
        assert scope.reuse is True
        assert tf.get_variable("z", [1]) is z


def test_reentering_a_scope_object():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("inner"):
            x = tf.get_variable("x", [])
            assert tf.constant(0.0, name="k").name == "outer/inner/k:0"
    assert outer.name == "outer"
    assert outer.original_name_scope == "outer/"
    with tf.variable_scope(outer, reuse=True) as again:
        assert again.name == "outer"
        assert again.original_name_scope == "outer/"
        assert tf.constant(0.0, name="k").name == "outer_1/k:0"
        with tf.variable_scope("inner"):
            assert tf.get_variable("x", []) is x
            assert tf.get_variable_scope().name == "outer/inner"
            assert tf.get_variable_scope().reuse is True
    with tf.variable_scope("outer"):
        assert tf.constant(0.0, name="k").name == "outer_2/k:0"


def test_reentering_from_another_scope():
    with tf.variable_scope("a") as a_scope:
        pass
    with tf.variable_scope("b"):
        with tf.variable_scope(a_scope):
            v = tf.get_variable("v", [])
            assert tf.constant(0.0, name="k").name == "b/a/k:0"
    assert v.name == "a/v:0"


def test_root_scope_keeps_the_name_scope():
    root = tf.get_variable_scope()
    with tf.name_scope("ns"):
        with tf.variable_scope(root):
            assert tf.constant(1.0, name="c").name == "ns/c:0"
            assert tf.get_variable("top", []).name == "top:0"


def test_default_name_is_uniquified():
    with tf.variable_scope(None, default_name="conv2d"):
        w1 = tf.get_variable("w", [])
    with tf.variable_scope(None, default_name="conv2d"):
        w2 = tf.get_variable("w", [])
    with tf.variable_scope("nest"):
        with tf.variable_scope(None, default_name="conv2d"):
            w3 = tf.get_variable("w", [])
    with tf.variable_scope("given", default_name="ignored") as sc:
        assert sc.name == "given"
    assert (w1.name, w2.name, w3.name) == ("conv2d/w:0", "conv2d_1/w:0", "nest/conv2d/w:0")
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is "
                                        "required"):
        with tf.variable_scope(None):
            pass


def test_get_variable_ignores_name_scope():
    with tf.name_scope("nsonly"):
        gv = tf.get_variable("gv", [1])
        c = tf.constant(1.0)
    assert gv.name == "gv:0"
    assert c.name == "nsonly/Const:0"
    with tf.variable_scope("vs"):
        assert tf.Variable(1.0, name="tv").name == "vs/tv:0"


def test_scope_defaults_are_inherited():
    with tf.variable_scope("init", initializer=tf.constant_initializer(0.4), dtype=tf.float64):
        d = tf.get_variable("d", [2])
        with tf.variable_scope("sub"):
            d2 = tf.get_variable("d2", [1])
        d3 = tf.get_variable("d3", [1], initializer=tf.constant_initializer(0.9))
        d4 = tf.get_variable("d4", [1], dtype=tf.float32)
    assert d.dtype.base_dtype == tf.float64 and d2.dtype.base_dtype == tf.float64
    assert d4.dtype.base_dtype == tf.float32
    assert d2.name == "init/sub/d2:0"
    got = _init_and_run([d, d2, d3, d4])
    np.testing.assert_allclose(got[0], [0.4, 0.4])
    np.testing.assert_allclose(got[1], [0.4])
    np.testing.assert_allclose(got[2], [0.9])
    np.testing.assert_allclose(got[3], [0.4])


def test_regularizer():
    def reg(t):
        return tf.reduce_sum(t) * 0.5

    with tf.variable_scope("reg", regularizer=reg):
        rv = tf.get_variable("rv", [2], initializer=tf.ones_initializer())
        no_reg = tf.get_variable("nr", [2], regularizer=lambda t: None)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.name for t in losses] == ["reg/rv/Regularizer/mul:0"]
    assert no_reg.name == "reg/nr:0"
    assert _init_and_run(losses) == [1.0]
    del rv


def test_custom_getter():
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name + "_c", *args, **kwargs)

    with tf.variable_scope("cg", custom_getter=getter):
        v = tf.get_variable("g", [1])
    assert seen == ["cg/g"]
    assert v.name == "cg/g_c:0"


def test_custom_getters_nest():
    calls = []

    def outer(getter, name, *args, **kwargs):
        calls.append("outer")
        return getter(name, *args, **kwargs)

    def inner(getter, name, *args, **kwargs):
        calls.append("inner")
        kwargs["trainable"] = False
        return getter(name, *args, **kwargs)

    with tf.variable_scope("o", custom_getter=outer):
        with tf.variable_scope("i", custom_getter=inner):
            v = tf.get_variable("v", [1])
    assert calls == ["inner", "outer"]
    assert v not in tf.trainable_variables()
    del calls[:]
    with tf.variable_scope("o2", custom_getter=outer):
        tf.get_variable("w", [1], custom_getter=inner)  # the argument replaces the scope's
    assert calls == ["inner"]


def test_get_variable_arguments():
    with pytest.raises(ValueError, match="Shape of a new variable \\(noshape\\) must be fully "
                                         "defined"):
        tf.get_variable("noshape")
    with pytest.raises(ValueError, match="must be fully defined"):
        tf.get_variable("pshape", [None, 2])
    iv = tf.get_variable("iv", [2], dtype=tf.int32)
    assert iv.dtype.base_dtype == tf.int32
    fv = tf.get_variable("fromval", initializer=tf.constant([1.0, 2.0]))
    assert fv.shape.as_list() == [2]
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("fromval2", [2], initializer=tf.constant([1.0, 2.0]))
    nt = tf.get_variable("nt", [1], trainable=False)
    assert nt not in tf.trainable_variables() and nt in tf.global_variables()
    got = _init_and_run([iv, fv])
    assert got[0].tolist() == [0, 0]  # integer variables default to zeros
    np.testing.assert_allclose(got[1], [1.0, 2.0])


def test_get_local_variable():
    with tf.variable_scope("loc"):
        lv = tf.get_local_variable("lv", [1])
    assert lv.name == "loc/lv:0"
    assert tf.local_variables() == [lv]
    assert lv not in tf.global_variables()
    assert lv not in tf.trainable_variables()


def test_scope_collections():
    with tf.variable_scope("m") as m:
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
    tf.get_variable("ma", [1])  # "ma" must not match scope "m"
    assert m.global_variables() == [a, b]
    assert m.trainable_variables() == [a]


def test_variable_scope_values_pick_the_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    with tf.variable_scope("s", values=[x]):
        v = tf.get_variable("v", [])
    assert v.graph is g
    assert v.name == "s/v:0"
    assert tf.get_default_graph().get_operations() == []


def test_each_graph_has_its_own_variables():
    with tf.Graph().as_default():
        a = tf.get_variable("v", [])
    with tf.Graph().as_default():
        b = tf.get_variable("v", [])
    assert a is not b and a.name == b.name == "v:0"


def test_auxiliary_name_scope_false():
    with tf.variable_scope("aux", auxiliary_name_scope=False):
        v = tf.get_variable("v", [])
        c = tf.constant(1.0, name="c")
    assert v.name == "aux/v:0"
    assert c.name == "c:0"


def test_default_name_opens_the_name_scope_on_default_name():
    # what TF 1.x names (recorded with TensorFlow 2.21's compat.v1): the variable scope is made
    # unique among variable scopes, the name scope among name scopes, each on its own
    with tf.Graph().as_default():
        got = []
        for _ in range(2):
            with tf.variable_scope(None, default_name="x") as s:
                got.append((s.name, tf.constant(1.0).name))
        with tf.variable_scope("z"):
            got.append(tf.constant(1.0).name)
        with tf.variable_scope("z"):
            got.append(tf.constant(1.0).name)
        with tf.variable_scope(None, default_name="z") as s:
            got.append((s.name, tf.constant(1.0).name))
    assert got == [("x", "x/Const:0"), ("x_1", "x_1/Const:0"), "z/Const:0", "z_1/Const:0",
                   ("z_1", "z_2/Const:0")]
