"""The preprocessing command of the output contract, kept at this name for its callers:

    python -m lib.preprocess SRC --out DIR

The run itself is `lib.run.preprocess`.
"""

import sys

from lib.run.preprocess import main

if __name__ == "__main__":
    sys.exit(main())
