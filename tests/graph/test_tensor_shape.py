"""TensorShape and Dimension: partial shapes, compatibility, merging, printing (TF 1.x forms)."""

import pickle

import pytest

import tensorflux as tf

TS, D = tf.TensorShape, tf.Dimension


def test_dimension_basics():
    assert D(3).value == 3
    assert D(None).value is None
    assert D(D(4)).value == 4
    assert repr(D(3)) == "Dimension(3)"
    assert repr(D(None)) == "Dimension(None)"
    assert str(D(None)) == "?"
    assert str(D(5)) == "5"
    assert int(D(7)) == 7
    assert [1, 2, 3][D(1)] == 2  # __index__
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        D(-1)
    with pytest.raises(TypeError):
        D(2.5)
    with pytest.raises(TypeError):
        D("a")


def test_dimension_comparisons_with_unknown_are_none():
    assert (D(3) == 3) is True
    assert (D(3) == D(4)) is False
    assert (D(None) == D(3)) is None
    assert (D(3) != D(None)) is None
    assert (D(2) < D(3)) is True
    assert (D(None) < D(3)) is None
    assert (D(3) >= 3) is True


def test_dimension_arithmetic():
    assert (D(3) + D(4)).value == 7
    assert (D(3) + 1).value == 4
    assert (1 + D(3)).value == 4
    assert (D(3) + D(None)).value is None
    assert (D(6) - 2).value == 4
    assert (D(3) * D(4)).value == 12
    assert (D(7) // 2).value == 3
    assert (D(7) % 4).value == 3
    assert (D(None) * 2).value is None


def test_dimension_compatibility_and_merge():
    assert D(3).is_compatible_with(3)
    assert D(None).is_compatible_with(3)
    assert not D(3).is_compatible_with(4)
    assert D(None).merge_with(4).value == 4
    assert D(4).merge_with(None).value == 4
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        D(3).merge_with(4)


def test_dimension_value_helper():
    assert tf.dimension_value(D(3)) == 3
    assert tf.dimension_value(3) == 3
    assert tf.dimension_value(D(None)) is None
    assert tf.dimension_value(None) is None


def test_shape_construction_and_printing():
    assert TS([None, 3]).as_list() == [None, 3]
    assert str(TS([None, 3])) == "(?, 3)"
    assert str(TS([3])) == "(3,)"
    assert str(TS([])) == "()"
    assert str(TS(None)) == "<unknown>"
    assert repr(TS([None, 3])) == "TensorShape([None, 3])"
    assert repr(TS(None)) == "TensorShape(None)"
    assert TS(TS([1])).as_list() == [1]
    assert TS([D(1), None]).dims[1].value is None
    assert [d.value for d in TS([1, None]).dims] == [1, None]
    assert TS(None).dims is None
    assert TS(5).as_list() == [5]


def test_shape_rank_and_length():
    assert TS([1, 2]).ndims == 2
    assert TS([1, 2]).rank == 2
    assert TS(None).ndims is None
    assert TS([]).ndims == 0
    assert len(TS([1, 2, 3])) == 3
    with pytest.raises(ValueError, match="Cannot take the length of shape with unknown rank."):
        len(TS(None))
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown "
                                         "TensorShape."):
        TS(None).as_list()


def test_shape_indexing():
    s = TS([1, 2, 3])
    assert s[0].value == 1
    assert s[-1].value == 3
    assert s[1:] == TS([2, 3])
    assert TS(None)[0].value is None
    assert TS(None)[1:].ndims is None
    assert [d.value for d in s] == [1, 2, 3]


def test_num_elements_and_fully_defined():
    assert TS([2, 3]).num_elements() == 6
    assert TS([]).num_elements() == 1
    assert TS([2, None]).num_elements() is None
    assert TS(None).num_elements() is None
    assert TS([2, 3]).is_fully_defined()
    assert not TS([2, None]).is_fully_defined()
    with pytest.raises(ValueError, match="is not fully defined"):
        TS([None]).assert_is_fully_defined()


def test_compatibility():
    assert TS([None, 3]).is_compatible_with([2, 3])
    assert not TS([1, 3]).is_compatible_with([2, 3])
    assert TS(None).is_compatible_with([1])
    assert not TS([1]).is_compatible_with([1, 1])
    with pytest.raises(ValueError, match="Shapes \\(1, 2\\) and \\(1, 3\\) are incompatible"):
        TS([1, 2]).assert_is_compatible_with(TS([1, 3]))


def test_merge_with():
    assert TS([None, 3]).merge_with(TS([2, None])) == TS([2, 3])
    assert TS(None).merge_with([1, 2]).as_list() == [1, 2]
    assert TS([1, 2]).merge_with(TS(None)).as_list() == [1, 2]
    with pytest.raises(ValueError, match="Shapes \\(2, 3\\) and \\(2, 4\\) are not compatible"):
        TS([2, 3]).merge_with(TS([2, 4]))
    with pytest.raises(ValueError, match="Shapes \\(2, 3\\) and \\(2,\\) are not compatible"):
        TS([2, 3]).merge_with(TS([2]))


def test_rank_checks():
    assert TS([1, 2]).with_rank(2) == TS([1, 2])
    assert TS(None).with_rank(2).as_list() == [None, None]
    with pytest.raises(ValueError, match="Shape \\(1, 2\\) must have rank 3"):
        TS([1, 2]).with_rank(3)
    with pytest.raises(ValueError, match="Shape \\(1, 2\\) must have rank at least 3"):
        TS([1, 2]).with_rank_at_least(3)
    with pytest.raises(ValueError, match="must have rank at most 1"):
        TS([1, 2]).with_rank_at_most(1)
    assert TS([1, 2]).with_rank_at_least(1) == TS([1, 2])


def test_concatenate_and_most_specific():
    assert TS([1]).concatenate(TS([2])) == TS([1, 2])
    assert TS([1]).concatenate([None, 3]).as_list() == [1, None, 3]
    assert TS([1]).concatenate(TS(None)).ndims is None
    assert TS([1]) + TS([2, 3]) == TS([1, 2, 3])
    assert TS([1, 2]).most_specific_compatible_shape(TS([1, 3])).as_list() == [1, None]
    assert TS([1, 2]).most_specific_compatible_shape(TS([1])).ndims is None


def test_shape_equality():
    assert TS([1, 2]) == TS([1, 2])
    assert TS([1, 2]) == [1, 2]
    assert TS([None]) == TS([None])
    assert TS(None) == TS(None)
    assert TS([1, 2]) != TS([2, 1])
    assert TS([1]) != TS(None)
    assert hash(TS([1, 2])) == hash(TS([1, 2]))


def test_helpers_and_pickling():
    from tensorflux.graph import tensor_shape

    assert tensor_shape.unknown_shape().ndims is None
    assert tensor_shape.unknown_shape(2).as_list() == [None, None]
    assert tensor_shape.scalar() == TS([])
    assert tensor_shape.vector(3) == TS([3])
    assert tensor_shape.matrix(2, None).as_list() == [2, None]
    for s in (TS([1, None]), TS(None), TS([])):
        assert pickle.loads(pickle.dumps(s)) == s
    assert pickle.loads(pickle.dumps(D(3))).value == 3


def test_static_shapes_of_tensors():
    p = tf.placeholder(tf.float32, [None, 3])
    assert p.shape.as_list() == [None, 3]
    assert p.get_shape() == TS([None, 3])
    assert tf.placeholder(tf.float32).shape.ndims is None
    assert tf.placeholder(tf.float32, []).shape == TS([])
    assert tf.placeholder(tf.float32, TS([2, None])).shape.as_list() == [2, None]
