"""`tf.app.run`: parse flags, call `main(argv)`, exit with its return value."""

import sys

from tensorflux.platform import flags


def run(main=None, argv=None):
    """Runs `main` (default: `__main__.main`) with the arguments left after flag parsing."""
    args = sys.argv if argv is None else argv
    rest = flags.FLAGS(args)
    main = main or sys.modules["__main__"].main
    sys.exit(main(rest))
