"""``python -m maintlib``: the command line."""

from maintlib.cli.app import main

raise SystemExit(main())
