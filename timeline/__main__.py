"""``python -m timeline``: see :mod:`timeline.cli`."""

import sys

from .cli import main

sys.exit(main())
