"""`import tensorflow` resolves to tensorflux under the alias; `python -m tensorflux.compat`."""

import subprocess
import sys
import textwrap

import pytest

import tensorflux
from tensorflux.compat import tensorflow_alias, tf_modules


@pytest.fixture
def alias():
    tensorflow_alias.install_as_tensorflow()
    yield
    tensorflow_alias.uninstall()


def test_import_tensorflow_is_tensorflux(alias):
    import tensorflow as tf

    assert tf is tensorflux
    import tensorflow.compat.v1 as v1

    assert v1.Session is tensorflux.Session


def test_internal_modules_resolve(alias):
    import importlib

    for name in tf_modules.MODULES:
        mod = importlib.import_module(name)
        assert mod.__name__ == name
    from tensorflow.python.framework import errors_impl

    assert errors_impl.NotFoundError is tensorflux.errors.NotFoundError


def test_unknown_module_is_not_found(alias):
    with pytest.raises(ModuleNotFoundError):
        import tensorflow.no_such_module  # noqa: F401


def test_uninstall_forgets(alias):
    import tensorflow  # noqa: F401

    tensorflow_alias.uninstall()
    assert "tensorflow" not in sys.modules
    tensorflow_alias.install_as_tensorflow()


def test_run_script_under_compat(tmp_path):
    script = tmp_path / "tf1_prog.py"
    script.write_text(textwrap.dedent("""
        import sys
        import tensorflow as tf
        from tensorflow.python.platform import tf_logging

        a = tf.placeholder(tf.float32, shape=())
        b = tf.Variable(2.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(a * b, {a: float(sys.argv[1])}), tf_logging.INFO)
    """))
    out = subprocess.run([sys.executable, "-m", "tensorflux.compat", str(script), "21"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["42.0", "20"]


def test_run_module_under_compat(tmp_path):
    pkg = tmp_path / "tf1pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text("import tensorflow as tf\nprint(tf.__name__)\n")
    out = subprocess.run([sys.executable, "-m", "tensorflux.compat", "-m", "tf1pkg"],
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert out.strip() == "tensorflux"


def test_usage_without_arguments():
    p = subprocess.run([sys.executable, "-m", "tensorflux.compat"], capture_output=True,
                       text=True)
    assert p.returncode == 2 and "usage" in p.stderr
