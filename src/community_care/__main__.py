"""``python -m community_care`` runs the command line."""

import sys

from community_care.cli import main

if __name__ == "__main__":
    sys.exit(main())
