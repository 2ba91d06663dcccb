"""`python -m tensorflux.compat SCRIPT [ARGS]` / `-m MODULE [ARGS]`: run a TF1 program with
`import tensorflow` resolving to tensorflux."""

import os
import runpy
import sys

from tensorflux.compat.tensorflow_alias import install_as_tensorflow

USAGE = "usage: python -m tensorflux.compat SCRIPT [ARGS...] | -m MODULE [ARGS...]"


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    install_as_tensorflow()
    if argv[0] == "-m":
        if len(argv) < 2:
            print(USAGE, file=sys.stderr)
            return 2
        sys.argv = argv[1:]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
