"""The ``prima`` console command: Django's management commands, with dashes allowed.

``prima demo`` is ``manage.py demo``; ``prima verify-audit`` is ``manage.py verify_audit``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["prima", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
