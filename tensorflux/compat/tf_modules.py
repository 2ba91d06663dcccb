"""The table of TensorFlow-internal modules that TF1-era code imports, with TF 1.15's names.

Each entry maps a module name to a list of `(tensorflux module, names)`; a name may be
`"alias=attribute"`, and `"*"` takes every public name of the source module.
"""

MODULES = {
    "tensorflow.python.framework.errors_impl": [("tensorflux.errors", "*")],
    "tensorflow.python.framework.errors": [("tensorflux.errors", "*")],
    "tensorflow.python.platform.tf_logging": [("tensorflux.platform.tf_logging", "*")],
    "tensorflow.python.platform.gfile": [("tensorflux.platform.gfile", "*")],
    "tensorflow.python.platform.test": [("tensorflux.platform.test", "*")],
    "tensorflow.python.platform.app": [("tensorflux.platform.app", "*")],
    "tensorflow.python.platform.flags": [("tensorflux.platform.flags", "*")],
    "tensorflow.examples.tutorials.mnist.input_data": [
        ("tensorflux.datasets.mnist_input_data", "*")],
}
