"""PNG reading/writing: the committed photos decode to the pixels Pillow decodes them to."""

import hashlib
import os

import numpy as np
import pytest

from tensorflux.utils import png

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "data")
# sha256 prefix and pixel sum of each photo as decoded by Pillow 11
EXPECTED = {"camera": ((512, 512), "5cb24482a53416f9", 33832495),
            "chelsea": ((300, 451, 3), "416b729128bfb2c3", 46802357),
            "coffee": ((400, 600, 3), "0ce2b51640b9c95f", 71003487)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_decodes_sample_photos_exactly(name):
    img = png.read_png(os.path.join(DATA, name + ".png"))
    shape, digest, total = EXPECTED[name]
    assert img.shape == shape and img.dtype == np.uint8
    assert hashlib.sha256(img.tobytes()).hexdigest()[:16] == digest
    assert int(img.astype(np.int64).sum()) == total


@pytest.mark.parametrize("shape", [(5, 7), (4, 3, 3), (2, 6, 4)])
def test_round_trip(tmp_path, shape):
    img = np.random.RandomState(0).randint(0, 256, size=shape).astype(np.uint8)
    path = str(tmp_path / "x.png")
    png.write_png(path, img)
    np.testing.assert_array_equal(png.read_png(path), img)


def test_corrupt_file_is_rejected(tmp_path):
    path = str(tmp_path / "x.png")
    png.write_png(path, np.zeros((3, 3), np.uint8))
    raw = bytearray(open(path, "rb").read())
    raw[20] ^= 1
    open(path, "wb").write(bytes(raw))
    with pytest.raises(ValueError, match="CRC"):
        png.read_png(path)
    open(path, "wb").write(b"not a png")
    with pytest.raises(ValueError, match="not a PNG"):
        png.read_png(path)
