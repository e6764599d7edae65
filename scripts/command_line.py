"""What the scripts' command lines share: ``--help`` shows the script's docstring as it is written,
its examples one to a line."""

from __future__ import annotations

import argparse


def parser_for(doc: str | None) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
