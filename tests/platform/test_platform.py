"""tf.test.TestCase, tf.app/tf.flags, tf.logging and tf.gfile behave as in TF 1.x."""

import os
import subprocess
import sys
import textwrap
import unittest

import numpy as np
import pytest

import tensorflux as tf


class _Case(tf.test.TestCase):
    def test_helpers(self):
        x = tf.constant([1.0, 2.0])
        with self.cached_session() as sess:
            self.assertAllClose(sess.run(x * 2), [2.0, 4.0])
            assert self.cached_session().__enter__() is sess
        self.assertAllEqual(self.evaluate(tf.constant([1, 2])), [1, 2])
        self.assertShapeEqual(np.zeros((2,)), x)
        p = tf.placeholder(tf.float32)
        with self.session() as sess:
            with self.assertRaisesOpError("must feed a value"):
                sess.run(p)
        self.assertTrue(os.path.isdir(self.get_temp_dir()))

    def test_fresh_graph(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        tf.constant(1)


def test_testcase_runs_under_unittest():
    suite = unittest.TestLoader().loadTestsFromTestCase(_Case)
    result = unittest.TestResult()
    suite.run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    names = unittest.TestLoader().getTestCaseNames(_Case)
    assert {"test_helpers", "test_fresh_graph"} <= set(names)


def test_assert_all_close_fails_on_difference():
    case = _Case("test_helpers")
    with pytest.raises(AssertionError):
        case.assertAllClose([1.0, 2.0], [1.0, 2.1])
    with pytest.raises(AssertionError):
        case.assertAllEqual([1, 2], [1, 2, 3])


def test_app_run_with_flags(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        import tensorflux as tf
        flags = tf.app.flags
        flags.DEFINE_integer("steps", 3, "number of steps")
        flags.DEFINE_string("name", "x", "a name")
        flags.DEFINE_boolean("fast", False, "go fast")
        FLAGS = flags.FLAGS

        def main(argv):
            print(FLAGS.steps, FLAGS.name, FLAGS.fast, argv[1:])
            return 0

        if __name__ == "__main__":
            tf.app.run()
    """))
    out = subprocess.run([sys.executable, str(script), "--steps=7", "--fast", "extra"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "7 x True ['extra']"
    out = subprocess.run([sys.executable, str(script), "--fast=false", "--name", "y"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "3 y False []"


def test_logging_levels(capsys):
    tf.logging.set_verbosity(tf.logging.INFO)
    assert tf.logging.get_verbosity() == tf.logging.INFO
    tf.logging.info("hello %d", 5)
    assert "INFO:tensorflow:hello 5" in capsys.readouterr().err
    tf.logging.set_verbosity(tf.logging.WARN)
    tf.logging.info("hidden")
    assert "hidden" not in capsys.readouterr().err


def test_gfile(tmp_path):
    p = str(tmp_path / "a" / "b.txt")
    tf.gfile.MakeDirs(os.path.dirname(p))
    with tf.gfile.GFile(p, "w") as f:
        f.write("hi\n")
    assert tf.gfile.Exists(p) and tf.gfile.ListDirectory(os.path.dirname(p)) == ["b.txt"]
    with tf.gfile.Open(p) as f:
        assert f.read() == "hi\n"
    assert tf.gfile.Glob(str(tmp_path / "a" / "*.txt")) == [p]
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.GFile(str(tmp_path / "missing"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.Copy(p, p)
    tf.gfile.DeleteRecursively(str(tmp_path / "a"))
    assert not tf.gfile.Exists(p)


def test_gpu_queries_tell_the_truth():
    from tensorflux.backends import devices

    assert tf.test.is_gpu_available() == (devices.gpu_count() > 0)
    assert tf.test.gpu_device_name() in ("", "/device:GPU:0")
