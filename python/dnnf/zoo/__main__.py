"""``python -m dnnf.zoo [names...]``: generate and describe suite models."""

import sys

from .suite import main

sys.exit(main())
