"""Tensor: operators (arithmetic, comparisons, `@`, unary, reflected), convert_to_tensor rules."""

import numpy as np
import pytest

import tensorflux as tf


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- operators -----------------------------------------------------------------------------
X = np.array([1.0, 2.0], np.float32)
OPERATORS = [
    # (expression, op type, output name, value)
    (lambda x: x + 1, "Add", "add:0", X + 1),
    (lambda x: 1 + x, "Add", "add:0", 1 + X),
    (lambda x: x - 1, "Sub", "sub:0", X - 1),
    (lambda x: 1 - x, "Sub", "sub:0", 1 - X),
    (lambda x: x * 2, "Mul", "mul:0", X * 2),
    (lambda x: 2 * x, "Mul", "mul:0", 2 * X),
    (lambda x: x / 2, "RealDiv", "truediv:0", X / 2),
    (lambda x: 2 / x, "RealDiv", "truediv:0", 2 / X),
    (lambda x: x // 2, "FloorDiv", "floordiv:0", X // 2),
    (lambda x: 5 // x, "FloorDiv", "floordiv:0", 5 // X),
    (lambda x: x % 2, "FloorMod", "mod:0", X % 2),
    (lambda x: 5 % x, "FloorMod", "mod:0", 5 % X),
    (lambda x: x ** 2, "Pow", "pow:0", X ** 2),
    (lambda x: 2 ** x, "Pow", "pow:0", 2 ** X),
    (lambda x: -x, "Neg", "Neg:0", -X),
    (lambda x: abs(-x), "Abs", "Abs:0", X),
    (lambda x: x < 1.5, "Less", "Less:0", X < 1.5),
    (lambda x: x <= 1, "LessEqual", "LessEqual:0", X <= 1),
    (lambda x: x > 1, "Greater", "Greater:0", X > 1),
    (lambda x: x >= 2, "GreaterEqual", "GreaterEqual:0", X >= 2),
    (lambda x: np.array([1.0, 1.0], np.float32) + x, "Add", "add:0", X + 1),
    (lambda x: np.float32(3.0) * x, "Mul", "mul:0", 3 * X),
    (lambda x: [1.0, 2.0] + x, "Add", "add:0", X + X),
]


@pytest.mark.parametrize("expr,op_type,name,expected", OPERATORS)
def test_operator(expr, op_type, name, expected):
    x = tf.constant(X)
    y = expr(x)
    assert y.op.type == op_type
    assert y.name == name
    np.testing.assert_allclose(_run(y), expected)
    assert y.dtype == (tf.bool if expected.dtype == bool else tf.float32)


def test_reflected_operator_converts_under_the_op_scope():
    x = tf.constant(X)
    y = 1 - x
    assert y.op.inputs[0].name == "sub/x:0"
    assert y.op.inputs[1] is x
    z = x - 1
    assert z.op.inputs[1].name == "sub_1/y:0"


def test_matmul_operator():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[1.0], [1.0]])
    y = a @ b
    assert y.name == "matmul:0" and y.op.type == "MatMul"
    np.testing.assert_allclose(_run(y), [[3.0], [7.0]])
    y = [[1.0, 1.0]] @ a
    np.testing.assert_allclose(_run(y), [[4.0, 6.0]])


def test_logical_operators():
    b = tf.constant([True, False])
    c = tf.constant([True, True])
    assert (~b).op.type == "LogicalNot"
    assert (b & c).name == "and:0"
    assert (b | c).name == "or:0"
    assert (b ^ c).name == "xor:0"
    got = _run([~b, b & c, b | c, b ^ c])
    assert [g.tolist() for g in got] == [[False, True], [True, False], [True, True],
                                         [False, True]]


def test_integer_operators():
    i = tf.constant([3, 4])
    assert (i // 2).dtype == tf.int32
    assert (i % 3).dtype == tf.int32
    assert (-i).dtype == tf.int32
    assert _run(i // 2).tolist() == [1, 2]
    assert _run(tf.constant([-7, 7]) // 2).tolist() == [-4, 3]
    assert _run(tf.constant([-7, 7]) % 3).tolist() == [2, 1]


@pytest.mark.parametrize("dtype,out", [(tf.int32, tf.float64), (tf.int64, tf.float64),
                                       (tf.int8, tf.float32), (tf.int16, tf.float32),
                                       (tf.uint8, tf.float32), (tf.float32, tf.float32),
                                       (tf.float64, tf.float64)])
def test_truediv_of_integers_gives_floats(dtype, out):
    a = tf.constant([3, 7], dtype=dtype)
    y = a / tf.constant([2, 2], dtype=dtype)
    assert y.dtype == out
    np.testing.assert_allclose(_run(y), [1.5, 3.5])
    assert (7 / a).dtype == out


def test_div_is_python2_division():
    assert tf.div(tf.constant(1), 2).name == "div:0"
    assert _run(tf.div(tf.constant([7, -7]), 2)).tolist() == [3, -4]
    np.testing.assert_allclose(_run(tf.div(tf.constant([7.0]), 2.0)), [3.5])


def test_other_division_ops():
    a = tf.constant([-7, 7])
    assert _run(tf.truncatediv(a, 2)).tolist() == [-3, 3]
    assert _run(tf.floordiv(a, 2)).tolist() == [-4, 3]
    assert _run(tf.floormod(a, 3)).tolist() == [2, 1]
    assert _run(tf.truncatemod(a, 3)).tolist() == [-1, 1]
    assert tf.floordiv(a, 2).name == "floordiv_1:0"


def test_round_is_half_to_even():
    np.testing.assert_array_equal(_run(tf.round(tf.constant([0.5, 1.5, 2.5, -0.5, -1.7]))),
                                  [0.0, 2.0, 2.0, -0.0, -2.0])


def test_mixed_dtypes_are_refused():
    x = tf.constant([1.0, 2.0])
    i = tf.constant([3, 4])
    with pytest.raises(TypeError, match="Input 'y' of '(Add|AddV2)' Op has type int32 that does "
                                        "not match type float32 of argument 'x'"):
        x + i  # noqa: B018
    with pytest.raises(TypeError):
        i + 1.5  # noqa: B018
    with pytest.raises(TypeError):
        i * 2.0  # noqa: B018
    with pytest.raises(TypeError):
        x + "a"  # noqa: B018


def test_int_tensor_with_python_int():
    i = tf.constant([3, 4])
    assert (i + 1).dtype == tf.int32
    assert (i * 2).dtype == tf.int32
    assert _run(2 * i).tolist() == [6, 8]


def test_float64_tensor_keeps_dtype_with_python_scalars():
    d = tf.constant([1.0], dtype=tf.float64)
    assert (d * 2).dtype == tf.float64
    assert (2.5 - d).dtype == tf.float64


def test_tensor_is_hashable_and_compares_by_identity():
    x = tf.constant([1.0, 2.0])
    y = tf.constant([1.0, 2.0])
    assert (x == x) is True
    assert (x == y) is False
    assert (x != y) is True
    assert x in {x}
    assert len({x, y}) == 2


def test_tensor_cannot_be_a_bool_or_have_len():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="Using a `tf.Tensor` as a Python `bool` is not allowed"):
        bool(x)
    with pytest.raises(TypeError, match="len is not well defined for symbolic Tensors"):
        len(x)
    with pytest.raises(NotImplementedError, match=r"Cannot convert a symbolic Tensor \(Const:0\) "
                                                  r"to a numpy array"):
        np.array(x)
    with pytest.raises(TypeError):
        list(tf.placeholder(tf.float32))


def test_tensor_str_and_repr():
    x = tf.constant([1.0, 2.0])
    assert str(x) == 'Tensor("Const:0", shape=(2,), dtype=float32)'
    assert repr(x) == "<tf.Tensor 'Const:0' shape=(2,) dtype=float32>"
    assert str(tf.placeholder(tf.float32, name="pp")) == 'Tensor("pp:0", dtype=float32)'
    assert str(tf.placeholder(tf.float32, [None, 2], name="pq")) == \
        'Tensor("pq:0", shape=(?, 2), dtype=float32)'
    assert repr(x.op) == "<tf.Operation 'Const' type=Const>"


def test_tensor_properties():
    x = tf.constant([[1.0, 2.0]], name="c")
    assert x.op.name == "c"
    assert x.value_index == 0
    assert x.graph is tf.get_default_graph()
    assert x.dtype == tf.float32
    assert x.shape == x.get_shape() == tf.TensorShape([1, 2])
    assert x.ndim == 2
    assert x.device == ""
    y = x * 2.0
    assert y.op.inputs[0] is x
    assert y.op in x.consumers()
    assert x.op.outputs == [x]


def test_set_shape():
    p = tf.placeholder(tf.float32, [None, 2])
    p.set_shape([3, None])
    assert p.shape.as_list() == [3, 2]
    with pytest.raises(ValueError, match="not compatible"):
        p.set_shape([3, 3])
    q = tf.placeholder(tf.float32)
    q.set_shape([None, 4])
    assert q.shape.as_list() == [None, 4]


# --- convert_to_tensor -----------------------------------------------------------------------
@pytest.mark.parametrize("value,kw,dtype,shape", [
    (1.0, {}, "float32", []),
    (1, {}, "int32", []),
    (2**40, {}, "int64", []),
    (True, {}, "bool", []),
    ([1, 2.0], {}, "float32", [2]),
    ([[1, 2], [3, 4]], {}, "int32", [2, 2]),
    (np.array([1.0]), {}, "float64", [1]),
    (np.array([1]), {}, "int64", [1]),
    (np.float32(1), {}, "float32", []),
    ("abc", {}, "string", []),
    (b"abc", {}, "string", []),
    (1, {"dtype": tf.float32}, "float32", []),
    (1, {"preferred_dtype": tf.float32}, "float32", []),
    (1.5, {"preferred_dtype": tf.int32}, "float32", []),
    ((1, 2), {}, "int32", [2]),
    ([], {}, "float32", [0]),
    (1 + 2j, {}, "complex128", []),
    (tf.TensorShape([1, 2]), {}, "int32", [2]),
    (tf.Dimension(3), {}, "int32", []),
])
def test_convert_to_tensor_dtypes(value, kw, dtype, shape):
    t = tf.convert_to_tensor(value, **kw)
    assert t.dtype.name == dtype
    assert t.shape.as_list() == shape


def test_convert_to_tensor_names():
    assert tf.convert_to_tensor(3.0).name == "Const:0"
    assert tf.convert_to_tensor(3.0, name="myname").name == "myname:0"
    assert tf.convert_to_tensor([tf.constant(1.0), 2.0]).name == "packed:0"
    assert tf.convert_to_tensor(tf.TensorShape([1])).name == "shape_as_tensor:0"
    v = tf.Variable(1.0, name="v")
    assert tf.convert_to_tensor(v).name == "v/read:0"


def test_convert_to_tensor_values():
    t = tf.convert_to_tensor([tf.constant(1.0), 2.0, [3.0][0]])
    np.testing.assert_allclose(_run(t), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(_run(tf.convert_to_tensor(tf.TensorShape([4, 5]))), [4, 5])


def test_convert_to_tensor_passes_tensors_through():
    x = tf.constant(1.0)
    assert tf.convert_to_tensor(x) is x
    assert tf.convert_to_tensor(x, dtype=tf.float32) is x


def test_convert_to_tensor_errors():
    with pytest.raises(TypeError, match="Expected int32, got 1.5 of type 'float' instead."):
        tf.convert_to_tensor(1.5, dtype=tf.int32)
    with pytest.raises(TypeError, match="Expected int32, got 2.0 of type 'float' instead."):
        tf.convert_to_tensor(2.0, dtype=tf.int32)
    with pytest.raises(ValueError, match="Tensor conversion requested dtype int32 for Tensor "
                                         "with dtype float32"):
        tf.convert_to_tensor(tf.constant(1.0), dtype=tf.int32)
    with pytest.raises(ValueError, match="None values not supported."):
        tf.convert_to_tensor(None)
    with pytest.raises(ValueError):
        tf.convert_to_tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="Expected float32, got 'a' of type 'str' instead."):
        tf.constant("a", dtype=tf.float32)
    with pytest.raises(ValueError, match="partially known TensorShape"):
        tf.convert_to_tensor(tf.TensorShape([None, 2]))


def test_numpy_arrays_are_cast_to_the_requested_dtype():
    t = tf.convert_to_tensor(np.array([1.7, -2.2]), dtype=tf.int32)
    assert _run(t).tolist() == [1, -2]
    t = tf.convert_to_tensor(np.array([1, 2], np.int64), dtype=tf.float32)
    assert t.dtype == tf.float32


def test_constant_shape_argument():
    assert _run(tf.constant([1, 2], shape=[2, 3])).tolist() == [[1, 2, 2], [2, 2, 2]]
    assert _run(tf.constant(7, shape=[2, 2])).tolist() == [[7, 7], [7, 7]]
    assert _run(tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])).tolist() == [[1, 2, 3],
                                                                            [4, 5, 6]]
    with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, but "
                                         "received 3"):
        tf.constant([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match="Expected Tensor's shape: \\(2, 1\\), got \\(2,\\)."):
        tf.constant([1, 2], shape=[2, 1], verify_shape=True)
    with pytest.raises(TypeError):
        tf.constant(tf.constant(1.0))


def test_constant_dtype_inference():
    assert tf.constant(np.float64(1.0)).dtype == tf.float64
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant([1, 2]).dtype == tf.int32
    assert tf.constant(["a", "b"]).dtype == tf.string
    assert _run(tf.constant(["a", "b"])).tolist() == [b"a", b"b"]


def test_constant_value_is_not_aliased():
    arr = np.array([1.0, 2.0], np.float32)
    c = tf.constant(arr)
    arr[0] = 99.0
    assert _run(c).tolist() == [1.0, 2.0]
    out = _run(c)
    out[1] = -1.0  # a fetched array may be modified by the caller
    assert _run(c).tolist() == [1.0, 2.0]


def test_register_tensor_conversion_function():
    class Celsius:
        def __init__(self, v):
            self.v = v

    def conv(value, dtype=None, name=None, as_ref=False):
        return tf.constant(value.v + 273.15, dtype=dtype or tf.float32, name=name)

    tf.register_tensor_conversion_function(Celsius, conv)
    t = tf.convert_to_tensor(Celsius(10.0))
    np.testing.assert_allclose(_run(t), 283.15, rtol=1e-6)
    np.testing.assert_allclose(_run(tf.constant(1.0) + Celsius(0.0)), 274.15, rtol=1e-6)


def test_is_tensor():
    assert tf.is_tensor(tf.constant(1.0))
    assert tf.is_tensor(tf.Variable(1.0))
    assert not tf.is_tensor(1.0)
    assert not tf.is_tensor(np.ones(2))
