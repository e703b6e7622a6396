"""``python -m govxl``: the ``govxl`` command, for when the console script is not on PATH."""

from govxl.apps.cli import main

if __name__ == "__main__":
    main()
