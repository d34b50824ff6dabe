"""``python -m timeline ...``: the same command line as the installed ``timeline`` command."""

from timeline.cli import run

if __name__ == "__main__":
    run()
