"""``python -m orgsim.cli``: the ``orgsim`` command."""

import sys

from orgsim.cli import main

if __name__ == "__main__":
    sys.exit(main())
