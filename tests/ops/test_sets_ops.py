"""`tf.sets` against real TF: dense and sparse inputs, sizes, validate_indices, errors, names."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import registry

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "lookup_sets", "sets.json")
A = [[1, 2, 3, 3], [4, 5, 6, 4], [7, 7, 7, 7]]
B = [[3, 1, 9, 9], [6, 6, 6, 6], [0, 1, 2, 8]]
A3 = np.arange(24).reshape(2, 3, 4) % 5
B3 = np.arange(24).reshape(2, 3, 4)[:, :, ::-1] % 4
SA = tf.SparseTensorValue([[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]], [3, 5, 6, 7, 1], [3, 4])
SB = tf.SparseTensorValue([[0, 1], [1, 0], [1, 3]], [3, 6, 0], [3, 5])
UNORDERED = tf.SparseTensorValue([[1, 0], [0, 0]], [1, 2], [2, 2])


@pytest.fixture(scope="module")
def fix():
    with open(FIX) as f:
        return json.load(f)


def _plain(v):
    """A fetched SparseTensorValue as the generator wrote TF's (a three-item list)."""
    def conv(a):
        return [x.decode() for x in a.tolist()] if a.dtype == object else a.tolist()
    return [conv(v.indices), conv(v.values), conv(v.dense_shape)]


def test_dense(fix):
    with tf.Graph().as_default(), tf.Session() as sess:
        cases = {
            "int_intersection": tf.sets.set_intersection(A, B),
            "int_union": tf.sets.set_union(A, B),
            "int_a-b": tf.sets.set_difference(A, B),
            "int_b-a": tf.sets.set_difference(A, B, aminusb=False),
            "int64": tf.sets.intersection(tf.constant(A, tf.int64), tf.constant(B, tf.int64)),
            "rank3_union": tf.sets.union(A3.astype(np.int32), B3.astype(np.int32)),
            "rank3_intersection": tf.sets.intersection(A3.astype(np.int32),
                                                       B3.astype(np.int32)),
            "str_union": tf.sets.union([["b", "a", ""], ["c", "c", "d"]],
                                       [["a", "z", "z"], ["e", "d", "b"]]),
            "str_intersection": tf.sets.intersection([["b", "a", ""], ["c", "c", "d"]],
                                                     [["a", "z", ""], ["e", "d", "b"]]),
            "empty": tf.sets.intersection([[1, 2]], [[3, 4]]),
        }
        got = sess.run(cases)
        for k, v in got.items():
            assert _plain(v) == fix["dense"][k], k
        assert got["int64"].values.dtype == np.int64
        assert got["empty"].indices.shape == (0, 2)


def test_sparse(fix):
    with tf.Graph().as_default(), tf.Session() as sess:
        st_a, st_b = tf.SparseTensor(*SA), tf.SparseTensor(*SB)
        dense5 = tf.constant([[1, 3, 5, 7, 9], [0, 2, 4, 6, 8], [1, 1, 1, 1, 1]])
        other = tf.SparseTensor([[0, 1], [1, 0], [1, 3]], [3, 6, 0], [3, 4])
        cases = {
            "dense_sparse_union": tf.sets.union(dense5, st_b),
            "dense_sparse_intersection": tf.sets.intersection(dense5, st_b),
            "sparse_dense_difference": tf.sets.difference(st_b, dense5),
            "dense_sparse_difference": tf.sets.difference(dense5, st_b),
            "sparse_sparse_union": tf.sets.union(st_a, other),
            "sparse_sparse_difference": tf.sets.difference(st_a, other),
        }
        for k, v in sess.run(cases).items():
            assert _plain(v) == fix["sparse"][k], k


def test_size(fix):
    with tf.Graph().as_default(), tf.Session() as sess:
        want = fix["size"]
        assert sess.run(tf.sets.set_size(tf.SparseTensor(*SA))).tolist() == want["a"]
        got = sess.run(tf.sets.size(tf.SparseTensor(*SB)))
        assert got.tolist() == want["b"] and got.dtype == np.int32
        dup = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 1, 0]], ["x", "x", "y"], [2, 2, 3])
        assert sess.run(tf.sets.size(dup)).tolist() == want["dup"]
        loose = tf.sets.size(tf.SparseTensor(*UNORDERED), validate_indices=False)
        assert sess.run(loose).tolist() == want["unordered_no_validate"]
        fed = tf.sparse_placeholder(tf.int32)
        assert sess.run(tf.sets.size(fed), {fed: SA}).tolist() == want["a"]


def test_names_and_static_shapes(fix):
    with tf.Graph().as_default():
        st_a, st_b = tf.SparseTensor(*SA), tf.SparseTensor(*SB)
        tf.sets.intersection(A, B)
        union = tf.sets.union(A, B)
        assert union.indices.name == fix["names"]["dense"]
        assert tf.sets.union([[1]], st_b).values.name == fix["names"]["dense_sparse"]
        assert tf.sets.union(st_a, st_a).dense_shape.name == fix["names"]["sparse_sparse"]
        for _ in range(4):
            tf.sets.size(st_a)
        size = tf.sets.size(st_a)
        assert size.name == fix["names"]["size"]
        shapes = fix["static_shapes"]
        assert union.indices.shape.as_list() == shapes["dense_indices"]
        assert union.values.shape.as_list() == shapes["dense_values"]
        assert union.dense_shape.shape.as_list() == shapes["dense_shape"]
        assert size.shape.ndims is None and shapes["size"] is None


def _check(record, fn, exact=True):
    cls = getattr(tf.errors, record["class"], None) or __builtins__[record["class"]]
    with pytest.raises(cls) as e:
        fn()
    if exact:
        assert record["message"] in str(e.value)


def test_errors(fix):
    err = fix["errors"]
    with tf.Graph().as_default(), tf.Session() as sess:
        _check(err["unordered"], lambda: sess.run(tf.sets.size(tf.SparseTensor(*UNORDERED))))
        _check(err["unordered_op"], lambda: sess.run(tf.sets.union(
            tf.SparseTensor(*UNORDERED), tf.SparseTensor(*UNORDERED))))
        _check(err["float"], lambda: tf.sets.union([[1.0]], [[2.0]]), exact=False)
        with pytest.raises(TypeError, match="'a' has invalid dtype `<dtype: 'float32'>`"):
            tf.sets.union([[1.0]], [[2.0]])
        _check(err["mismatch_dtype"], lambda: tf.sets.union(tf.constant([[1]]),
                                                            tf.constant([[1]], tf.int64)))
        with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
            tf.sets.union([1, 2], [2, 3])
        assert err["rank1"]["class"] == "ValueError"
        _check(err["group_shape"], lambda: sess.run(tf.sets.union(
            tf.placeholder_with_default([[1, 2]], [None, None]),
            tf.placeholder_with_default([[1, 2], [3, 4]], [None, None]))))
        _check(err["size_dense"], lambda: tf.sets.size(tf.constant([[1]])), exact=False)
        with pytest.raises(ValueError, match="Sparse,Dense is not supported"):
            from tensorflux.ops import sets_ops
            sets_ops._set_operation(tf.SparseTensor(*SA), tf.constant([[1]]), "union")


def test_not_differentiable():
    for t in ("DenseToDenseSetOperation", "DenseToSparseSetOperation",
              "SparseToSparseSetOperation", "SetSize"):
        assert registry.get(t).grad is registry.NOT_DIFFERENTIABLE
    assert tf.sets.intersection is tf.sets.set_intersection
