"""Compatibility entry points: `tensorflux.compat.v1` (the same TF1 namespace) and
`install_as_tensorflow()` (make `import tensorflow` resolve to tensorflux)."""

from tensorflux.compat import v1
from tensorflux.compat.tensorflow_alias import install_as_tensorflow, uninstall
