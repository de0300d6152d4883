"""`python -m planbuilder ...` runs the command line."""

import sys

from planbuilder.cli import main

sys.exit(main())
