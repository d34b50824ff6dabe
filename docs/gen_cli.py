"""Generate docs/cli.md, the CLI reference, from the commands' own help texts.

    python docs/gen_cli.py            # rewrite docs/cli.md
    python docs/gen_cli.py --check    # exit 1 when docs/cli.md is stale

The reference walks the click group of ``timeline/cli.py``: the group, then every command in the
order ``timeline --help`` lists them, each with its usage, help, every option and
argument. Help is rendered at a fixed width so the file is the same on every machine.
``tests/test_docs.py`` regenerates it in memory and fails when the committed file differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cli.md"
WIDTH = 100

HEADER = """# CLI reference

Generated from the commands' own `--help` by `python docs/gen_cli.py`; do not edit by hand
(`tests/test_docs.py` fails when this file is stale). The [README](../README.md) has a tour
with real output; the case-file format is in its "Case file reference".

End dates are exclusive everywhere (DC-1 in the [rules reference](rules.md)). Exit codes: 0 ok,
1 bad input (the message names the file, record, field and value), 2 usage error.
"""


def _context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    settings = {"terminal_width": WIDTH, "max_content_width": WIDTH, **command.context_settings}
    return click.Context(command, info_name=name, parent=parent, **settings)


def commands(group: click.Group | None = None) -> list[tuple[str, click.Command]]:
    """``(name, command)`` of every subcommand, in the order of ``timeline --help``."""
    group = group or _group()
    ctx = _context(group, "timeline")
    return [(name, group.get_command(ctx, name)) for name in group.list_commands(ctx)]


def _group() -> click.Group:
    sys.path.insert(0, str(ROOT))
    from timeline.cli import main

    return main


def render(group: click.Group | None = None) -> str:
    """The whole of docs/cli.md as text."""
    group = group or _group()
    root = _context(group, "timeline")
    parts = [HEADER, "## Commands\n"]
    for name, cmd in commands(group):
        short = cmd.get_short_help_str(limit=300)
        parts.append(f"- [`timeline {name}`](#timeline-{name}): {short}")
    parts.append("\n## `timeline`\n")
    parts.append("```text\n" + group.get_help(root).rstrip() + "\n```\n")
    for name, cmd in commands(group):
        parts.append(f"## `timeline {name}`\n")
        parts.append("```text\n" + cmd.get_help(_context(cmd, name, root)).rstrip() + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python docs/gen_cli.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"Wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
