"""`make dockerfiles`: render Dockerfile.template per service (looklook_devtools.dockerfiles)."""

import sys

from looklook_devtools.dockerfiles import main

if __name__ == "__main__":
    sys.exit(main())
