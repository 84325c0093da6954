"""The `blanche` command: the invoicing commands plus the service's own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from invoicing import cli as invoicing_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blanche", description="Blanche invoicing")
    commands = parser.add_subparsers(dest="command", required=True)
    invoicing_cli.register_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
