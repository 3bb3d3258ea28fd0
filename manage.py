#!/usr/bin/env python
"""Django's command-line utility for PRIMA (the installed `prima` command does the same)."""

import sys

from prima.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
