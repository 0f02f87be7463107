"""`python -m celebrations_webhook` (or `python -m examples.celebrations_webhook` in the repo)."""

import sys

from .feed import main

sys.exit(main())
