"""``python -m mechlib``: run the command line (:mod:`mechlib.cli`)."""

import sys

from mechlib.cli import main

if __name__ == "__main__":
    sys.exit(main())
