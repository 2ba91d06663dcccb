"""`install_as_tensorflow()`: make `import tensorflow` (and TF1-era internal imports) resolve
to tensorflux in the running interpreter.

`import tensorflow as tf` gives the TF1 namespace (the `tensorflux` module itself);
`tensorflow.compat.v1` is `tensorflux.compat.v1`; `tensorflow.X.Y` is `tensorflux.X.Y` where that
exists; and TensorFlow's own internal modules that TF1 code imports
(`tensorflow.python.framework.ops`, `tensorflow.python.ops.nn`, …) are built from the table in
`tf_modules.py`, with the names those modules had in TF 1.15, as are the
`tensorflow_estimator.*` modules the table lists.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

_PREFIX = "tensorflow"
# Packages TF1 code imports besides `tensorflow`; only their table entries exist here.
_OTHER_PREFIXES = ("tensorflow_estimator",)


def _aliased(fullname):
    return any(fullname == p or fullname.startswith(p + ".")
               for p in (_PREFIX,) + _OTHER_PREFIXES)


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and loads `tensorflow`, `tensorflow.*` (and the table's `tensorflow_estimator.*`)
    as tensorflux modules or shims."""

    def find_spec(self, fullname, path=None, target=None):
        if not _aliased(fullname):
            return None
        if _resolve(fullname) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        module = _resolve(spec.name)()
        return module

    def exec_module(self, module):
        pass


def _resolve(fullname):
    """A zero-argument builder for module `fullname`, or None if tensorflux has no such thing."""
    from tensorflux.compat import tf_modules

    if fullname == _PREFIX:
        return lambda: importlib.import_module("tensorflux")
    rest = fullname[len(_PREFIX) + 1:]
    if fullname in tf_modules.MODULES:
        return lambda: _shim(fullname, tf_modules.MODULES[fullname])
    target = "tensorflux." + rest
    try:
        if fullname.startswith(_PREFIX + ".") and importlib.util.find_spec(target) is not None:
            return lambda: importlib.import_module(target)
    except (ImportError, ValueError):
        pass
    # A package on the way to table entries (`tensorflow.python.framework`); checked after the
    # real modules, so `tensorflow.contrib.layers` stays tensorflux's even though the table has
    # `tensorflow.contrib.layers.python.layers.layers`.
    if any(m.startswith(fullname + ".") for m in tf_modules.MODULES):
        return lambda: _package(fullname)
    return None


def _package(fullname):
    mod = types.ModuleType(fullname, "tensorflux alias package for %s" % fullname)
    mod.__path__ = []

    def __getattr__(name):  # `tensorflow.python.ops.nn` without importing it first
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return importlib.import_module(fullname + "." + name)
        except ImportError:
            raise AttributeError("module %r has no attribute %r" % (fullname, name)) from None

    mod.__getattr__ = __getattr__
    return mod


def _shim(fullname, spec):
    """A module whose attributes come from the table entry `spec` (see tf_modules.py)."""
    mod = types.ModuleType(fullname, "tensorflux stand-in for TensorFlow's %s" % fullname)
    mod.__path__ = []
    for source, names in spec:
        src = importlib.import_module(source)
        if names == "*":
            names = [n for n in dir(src) if not n.startswith("_")]
        for name in names:
            alias, _, attr = name.partition("=")
            setattr(mod, alias, getattr(src, attr or alias))
    return mod


_finder = _AliasFinder()


def install_as_tensorflow():
    """Installs the alias; afterwards `import tensorflow as tf` imports tensorflux."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    for name in [m for m in sys.modules if _aliased(m)]:
        del sys.modules[name]


def uninstall():
    """Removes the alias and forgets the modules imported through it."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [m for m in sys.modules if _aliased(m)]:
        del sys.modules[name]
