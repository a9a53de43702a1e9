"""``python -m intikhab.cli``."""

from intikhab.cli.main import main

main()
