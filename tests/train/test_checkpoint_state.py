"""Tests for the `checkpoint` state file: TF's text format, path resolution, atomic writes."""

import json
import os
from pathlib import Path

import pytest

import tensorflux as tf
from tensorflux.train import checkpoint_state as cs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checkpoints"
CASES = json.loads((FIXTURES / "manifest.json").read_text())["state"]["cases"]


@pytest.mark.parametrize("filename", sorted(CASES))
def test_writer_matches_tf_bytes(filename, tmp_path):
    cs.write_checkpoint_state(str(tmp_path), latest_filename=filename, **CASES[filename])
    assert (tmp_path / filename).read_bytes() == (FIXTURES / "state" / filename).read_bytes()
    assert os.listdir(tmp_path) == [filename]  # no temp file left behind


def test_parses_tf_file_with_timestamps():
    directory = str(FIXTURES / "state")
    state = cs.read_checkpoint_state(directory)
    assert state.model_checkpoint_path == os.path.join(directory, "model.ckpt-20")
    assert state.all_model_checkpoint_paths == [os.path.join(directory, "model.ckpt-10"),
                                                os.path.join(directory, "model.ckpt-20")]
    assert state.all_model_checkpoint_timestamps == [1700000000.25, 1700000100.5]
    assert state.last_preserved_timestamp == 1699999999.0


def test_parses_escaped_path():
    state = cs.read_checkpoint_state(str(FIXTURES / "state"), "checkpoint_escaped")
    want = CASES["checkpoint_escaped"]["model_checkpoint_path"]
    assert state.model_checkpoint_path == os.path.join(str(FIXTURES / "state"), want)


def test_parses_saver_written_files():
    directory = str(FIXTURES / "basic")
    relative = cs.read_checkpoint_state(directory)
    assert relative.model_checkpoint_path == os.path.join(directory, "model.ckpt-7")
    absolute = cs.read_checkpoint_state(directory, "checkpoint_abs")
    assert os.path.isabs(absolute.model_checkpoint_path)
    assert absolute.model_checkpoint_path.endswith("basic/model.ckpt-7")


def test_round_trip_absolute_and_relative(tmp_path):
    directory = str(tmp_path)
    paths = [os.path.join(directory, f"model.ckpt-{i}") for i in (1, 2)]
    cs.write_checkpoint_state(directory, paths[1], paths[:1])
    state = cs.read_checkpoint_state(directory)
    assert state.model_checkpoint_path == paths[1]
    assert state.all_model_checkpoint_paths == paths  # the latest is appended
    assert paths[0] in (tmp_path / "checkpoint").read_text()

    cs.write_checkpoint_state(directory, paths[1], paths, save_relative_paths=True)
    text = (tmp_path / "checkpoint").read_text()
    assert text == ('model_checkpoint_path: "model.ckpt-2"\n'
                    'all_model_checkpoint_paths: "model.ckpt-1"\n'
                    'all_model_checkpoint_paths: "model.ckpt-2"\n')
    assert cs.read_checkpoint_state(directory).all_model_checkpoint_paths == paths


def test_parser_accepts_text_format_variants():
    text = ("# comment\nmodel_checkpoint_path: 'a' \"b\\x41\\101\"\n"
            "all_model_checkpoint_timestamps: 1.5e3; last_preserved_timestamp: 2\n")
    state = cs.parse_text(text)
    assert state.model_checkpoint_path == "abAA"
    assert state.all_model_checkpoint_timestamps == [1500.0]
    assert state.last_preserved_timestamp == 2.0


def test_missing_file_reads_as_none(tmp_path):
    assert cs.read_checkpoint_state(str(tmp_path)) is None


def test_unparsable_file_warns_and_reads_as_none(tmp_path):
    (tmp_path / "checkpoint").write_text("model_checkpoint_path: \"x\"\nbogus_field: 3\n")
    with pytest.warns(UserWarning, match="bogus_field"):
        assert cs.read_checkpoint_state(str(tmp_path)) is None


def test_empty_model_path_is_an_error(tmp_path):
    (tmp_path / "checkpoint").write_text('all_model_checkpoint_paths: "x"\n')
    with pytest.raises(ValueError, match="Invalid checkpoint state"):
        cs.read_checkpoint_state(str(tmp_path))


def test_timestamps_must_match_paths(tmp_path):
    with pytest.raises(ValueError, match="timestamps"):
        cs.write_checkpoint_state(str(tmp_path), "m-2", ["m-1", "m-2"],
                                  all_model_checkpoint_timestamps=[1.0])
    assert not (tmp_path / "checkpoint").exists()


def test_save_path_may_not_be_the_state_file(tmp_path):
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "old"\n')
    with pytest.raises(RuntimeError, match="conflicts"):
        cs.write_checkpoint_state(str(tmp_path), str(tmp_path / "checkpoint"))
    assert (tmp_path / "checkpoint").read_text() == 'model_checkpoint_path: "old"\n'


def test_escape_round_trip():
    text = 'q"\\\t\n\r\x00\x7f\u00e9\u4e2d'
    assert cs.c_unescape(cs.c_escape(text)) == text


def test_generate_checkpoint_state_proto_as_tf():
    """Values and message recorded from TF 2.21's tf.compat.v1.train version."""
    s = tf.train.generate_checkpoint_state_proto("rel/dir", "rel/dir/model-2", ["rel/dir/model-1"])
    assert s.model_checkpoint_path == "model-2"
    assert list(s.all_model_checkpoint_paths) == ["model-1", "model-2"]
    s = tf.train.generate_checkpoint_state_proto("/abs", "/abs/m-2",
                                                 all_model_checkpoint_timestamps=[1.0],
                                                 last_preserved_timestamp=0.5)
    assert (s.model_checkpoint_path, list(s.all_model_checkpoint_paths)) == ("/abs/m-2",
                                                                             ["/abs/m-2"])
    assert list(s.all_model_checkpoint_timestamps) == [1.0] and s.last_preserved_timestamp == 0.5
    with pytest.raises(ValueError) as info:
        tf.train.generate_checkpoint_state_proto("/abs", "/abs/m-2", ["/abs/m-1"], [1.0])
    assert str(info.value) == ("Checkpoint timestamps, if provided, must match checkpoint paths "
                               "(got paths ['/abs/m-1', '/abs/m-2'] and timestamps [1.0])")
