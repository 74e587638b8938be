"""``python -m maintlib``: the command line."""

from maintlib.cli import main

raise SystemExit(main())
