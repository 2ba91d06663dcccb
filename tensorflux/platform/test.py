"""`tf.test`: TF1's TestCase (sessions, `evaluate`, array assertions) and `tf.test.main`."""

import contextlib
import os
import re
import tempfile
import unittest

import numpy as np

from tensorflux import errors
from tensorflux.client import session as session_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.platform.gradient_checker import (  # noqa: F401 - tf.test's names
    compute_gradient,
    compute_gradient_error,
)


class TestCase(unittest.TestCase):
    """A unittest.TestCase with TF1's helpers; each test starts with a fresh default graph."""

    def __init__(self, methodName="runTest"):  # noqa: N803 - unittest's name
        super().__init__(methodName)
        self._cached_session = None
        self._tempdir = None

    def setUp(self):
        super().setUp()
        graph_lib.reset_default_graph()
        np.random.seed(87654321)

    def tearDown(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None
        super().tearDown()

    def get_temp_dir(self):
        if self._tempdir is None:
            self._tempdir = tempfile.mkdtemp(prefix="tensorflux_test_")
        return self._tempdir

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """A new Session on `graph` (default graph), installed as the default session."""
        graph = graph or graph_lib.get_default_graph()
        sess = session_lib.Session(graph=graph, config=config)
        with graph.as_default(), sess.as_default():
            try:
                yield sess
            finally:
                sess.close()

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """One Session per test, reused across calls (for the default graph)."""
        graph = graph or graph_lib.get_default_graph()
        if self._cached_session is None or self._cached_session.graph is not graph \
                or self._cached_session._closed:
            if self._cached_session is not None:
                self._cached_session.close()
            self._cached_session = session_lib.Session(graph=graph, config=config)
        with graph.as_default(), self._cached_session.as_default():
            yield self._cached_session

    @property
    def test_session(self):
        """TF1's name for `cached_session`; a property, so unittest does not collect it."""
        return self.cached_session

    def evaluate(self, tensors):
        sess = session_lib.get_default_session()
        if sess is None:
            with self.cached_session() as sess:
                return sess.run(tensors)
        return sess.run(tensors)

    # --- assertions ---------------------------------------------------------------------
    def _value(self, x):
        if (hasattr(x, "graph") and hasattr(x, "op")) or hasattr(x, "_as_graph_element"):
            return self.evaluate(x)
        return x

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        a, b = self._value(a), self._value(b)
        if isinstance(a, dict) or isinstance(b, dict):
            self.assertEqual(set(a), set(b), msg)
            for k in a:
                self.assertAllClose(a[k], b[k], rtol, atol, msg)
            return
        if isinstance(a, (list, tuple)) and a and not np.isscalar(a[0]) and not isinstance(
                a[0], (list, tuple, float, int)):
            for x, y in zip(a, b):
                self.assertAllClose(x, y, rtol, atol, msg)
            return
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol,
                                   err_msg=msg or "", equal_nan=True)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6,  # noqa: N802
                                      float_rtol=1e-6, float_atol=1e-6, half_rtol=1e-3,
                                      half_atol=1e-3, bfloat16_rtol=1e-2, bfloat16_atol=1e-2,
                                      msg=None):
        a = np.asarray(self._value(a))
        if a.dtype == np.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        elif a.dtype == np.float32:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        self.assertAllClose(a, b, rtol, atol, msg)

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        a, b = np.asarray(self._value(a)), np.asarray(self._value(b))
        self.assertEqual(a.shape, b.shape, msg or "shapes differ: %s vs %s" % (a.shape, b.shape))
        np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertNotAllClose(self, a, b, **kwargs):  # noqa: N802
        try:
            self.assertAllClose(a, b, **kwargs)
        except AssertionError:
            return
        raise AssertionError("The two values are close at all elements")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertTrue(np.all(np.asarray(self._value(a)) > comparison_target))

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertTrue(np.all(np.asarray(self._value(a)) < comparison_target))

    def assertAllInRange(self, target, lower, upper, open_lower_bound=False,  # noqa: N802
                         open_upper_bound=False):
        t = np.asarray(self._value(target))
        lo = t > lower if open_lower_bound else t >= lower
        hi = t < upper if open_upper_bound else t <= upper
        self.assertTrue(np.all(lo & hi), "values outside [%s, %s]" % (lower, upper))

    def assertShapeEqual(self, np_array, tf_tensor, msg=None):  # noqa: N802
        self.assertEqual(list(np.shape(np_array)), tf_tensor.get_shape().as_list(), msg)

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        self.assertEqual(np.asarray(target).dtype, np.dtype(expected_dtype))

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        np.testing.assert_allclose(farray1, farray2, atol=err, rtol=0, err_msg=msg or "")

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        self.assertTrue(abs(f1 - f2) <= err, msg or "%s != %s +/- %s" % (f1, f2, err))

    def assertProtoEquals(self, expected, message, msg=None):  # noqa: N802
        self.assertEqual(str(expected).strip(), str(message).strip(), msg)

    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):  # noqa: N802
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                return re.search(expected_err_re_or_predicate, str(e)) is not None
        try:
            yield
        except exception_type as e:
            if not predicate(e):
                raise AssertionError("Exception of type %s: %s does not match"
                                     % (type(e).__name__, e)) from e
        else:
            raise AssertionError("%s not raised" % exception_type.__name__)

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

    def assertStartsWith(self, actual, expected_start, msg=None):  # noqa: N802
        self.assertTrue(actual.startswith(expected_start), msg)

    def checkedThread(self, target, args=None, kwargs=None):  # noqa: N802
        import threading

        return threading.Thread(target=target, args=args or (), kwargs=kwargs or {})


def main(argv=None):
    """Runs the tests of `__main__` (TF1's `tf.test.main()`)."""
    unittest.main(module="__main__", argv=argv)


def get_temp_dir():
    return tempfile.mkdtemp(prefix="tensorflux_test_")


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """True when a GPU is usable through the XLA backend (JAX with CUDA)."""
    from tensorflux.backends import devices

    return devices.gpu_count() > 0


def gpu_device_name():
    return "/device:GPU:0" if is_gpu_available() else ""


def is_built_with_cuda():
    return is_gpu_available()


def is_built_with_gpu_support():
    return is_gpu_available()


def test_src_dir_path(relative_path):
    return os.path.join(os.path.dirname(os.path.dirname(__file__)), relative_path)


Benchmark = object
StubOutForTesting = None


def create_local_cluster(num_workers, num_ps, protocol="grpc", worker_config=None,
                         ps_config=None):
    """Starts `num_workers` worker and `num_ps` ps servers of one cluster on unused localhost
    ports; returns (worker servers, ps servers) (TF's `tf.test.create_local_cluster`)."""
    from tensorflux.distributed import server

    return server.create_local_cluster(num_workers, num_ps, protocol, worker_config,
                                       ps_config)
