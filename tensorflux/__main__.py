"""`python -m tensorflux …` runs the command-line interface."""

import sys

from tensorflux.cli import main

sys.exit(main())
