"""The RunGraph tensor codec: what one encoder writes, the other reads back, and both agree
with the message classes' protobuf encoding."""

import numpy as np
import pytest

from tensorflux import errors
from tensorflux.distributed import protocol

VALUES = [
    ("f:0", np.arange(12, dtype=np.float32).reshape(3, 4)),
    ("i:0", np.array(-3, np.int64)),
    ("s:0", np.array([b"x", b"", b"yz"], dtype=object)),
    ("empty:0", np.zeros((0, 2), np.float32)),
    ("b:0", np.array([True, False])),
    ("transposed:0", np.arange(6.0).reshape(2, 3).T),
    ("u8:0", np.arange(5, dtype=np.uint8)),
    ("half:0", np.array([1.5, -2.0], np.float16)),
]


def _roundtrip(items, number=1, wire=""):
    head = protocol.RunGraphResponse(error_code=3, error_message="m").SerializeToString()
    data = b"".join([head] + protocol.tensor_chunks(number, items, wire))
    return data, protocol.split_tensors(data, number)


def test_values_come_back_with_their_names_dtypes_and_shapes():
    data, (rest, got) = _roundtrip(VALUES)
    assert protocol.RunGraphResponse.FromString(rest).error_message == "m"
    assert [n for n, _ in got] == [n for n, _ in VALUES]
    for (_, want), (_, value) in zip(VALUES, got):
        assert value.dtype == want.dtype and value.shape == want.shape
        np.testing.assert_array_equal(value, want)


def test_values_come_back_aligned_and_writeable():
    """A value read in place from the message would sit at any byte offset: unaligned
    operands cost the BLAS several times its time (a dense layer's gradient: 5 ms -> 24 ms)."""
    big = np.random.RandomState(0).randn(300, 7).astype(np.float32)
    for pad in range(4):  # whatever the offset of the tensor in the message
        _, (_, got) = _roundtrip([("p", np.zeros(pad, np.uint8)), ("big", big)])
        value = got[1][1]
        assert value.flags.writeable and value.flags.c_contiguous
        assert value.ctypes.data % 16 == 0
        np.testing.assert_array_equal(value, big)


def test_the_bytes_are_protobuf_a_message_class_reads():
    data, _ = _roundtrip(VALUES)
    resp = protocol.RunGraphResponse.FromString(data)
    assert [n.name for n in resp.recv] == [n for n, _ in VALUES]
    for (_, want), named in zip(VALUES, resp.recv):
        np.testing.assert_array_equal(protocol.decode(named), want)


@pytest.mark.parametrize("wire,bound", [("bfloat16", 2.0 ** -8), ("float16", 2.0 ** -11)])
def test_float32_travels_compressed_and_comes_back_float32(wire, bound):
    x = np.random.RandomState(0).uniform(-100, 100, 1000).astype(np.float32)
    ints = np.arange(4, dtype=np.int32)
    data, (_, got) = _roundtrip([("x", x), ("n", ints)], wire=wire)
    assert len(data) < x.nbytes * 0.6  # 2 bytes a value
    value = got[0][1]
    assert value.dtype == np.float32
    rel = np.abs(value - x) / np.abs(x)
    assert 0 < rel.max() <= bound
    np.testing.assert_array_equal(got[1][1], ints)  # other dtypes travel as they are


def test_a_truncated_message_is_data_loss():
    data, _ = _roundtrip(VALUES[:1])
    with pytest.raises(errors.DataLossError, match="truncated"):
        protocol.split_tensors(data[:-5], 1)
