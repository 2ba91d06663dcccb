"""`tensorflux inspect-checkpoint` on TF-written V2 and V1 fixtures."""

import io
import os

from tensorflux.apps import inspect_checkpoint

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "checkpoints")


def test_lists_v2_directory():
    out = io.StringIO()
    assert inspect_checkpoint.main(os.path.join(FIX, "basic"), out=out) == 0
    text = out.getvalue()
    assert "conv/weights (float32) [2, 2, 3, 2]" in text
    assert "global_step (int64) []" in text


def test_lists_v1_file():
    out = io.StringIO()
    assert inspect_checkpoint.main(os.path.join(FIX, "v1", "model_v1.ckpt"), out=out) == 0
    assert "(float32)" in out.getvalue()


def test_prints_one_tensor_value():
    out = io.StringIO()
    path = os.path.join(FIX, "basic", "model.ckpt-7")
    assert inspect_checkpoint.main(path, tensor_name="global_step", out=out) == 0
    assert out.getvalue().splitlines()[1].strip() == "7"


def test_missing_checkpoint_is_an_error(tmp_path, capsys):
    assert inspect_checkpoint.main(str(tmp_path / "nope")) == 1
    assert "Unable to open checkpoint" in capsys.readouterr().err
