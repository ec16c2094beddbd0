"""Worker start-up: pick the runtime named on the command line, then serve requests.

The worker starts with the standard library only, so a missing package is an
`info` reply that says which one and how to install it, never a dead process."""
import sys

from infermark_torch.main import exit_when_orphaned

from .runtimes import RUNTIME_MODULES


def main():
    exit_when_orphaned()
    args = sys.argv[1:]
    if len(args) != 2 or args[0] != "--runtime" or args[1] not in RUNTIME_MODULES:
        sys.stderr.write(f"usage: runtime_worker.py --runtime NAME; NAME is one of {', '.join(RUNTIME_MODULES)}\n")
        sys.exit(2)
    from .serve import serve
    serve(args[1])
