"""Worker start-up: pick the runtime named on the command line, then serve requests.

The worker starts with the standard library only, so a missing package is an
`info` reply that says which one and how to install it, never a dead process."""
import os
import sys
import threading
import time

from .runtimes import RUNTIME_MODULES

EXIT_ORPHANED = 4


def exit_when_orphaned(poll_s=0.5):
    """End the worker if its parent (the runner) dies, even mid-measurement:
    a busy worker does not read stdin, so it would not see the pipe close."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent:
                os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def main():
    exit_when_orphaned()
    args = sys.argv[1:]
    if len(args) != 2 or args[0] != "--runtime" or args[1] not in RUNTIME_MODULES:
        sys.stderr.write(f"usage: runtime_worker.py --runtime NAME; NAME is one of {', '.join(RUNTIME_MODULES)}\n")
        sys.exit(2)
    from .serve import serve
    serve(args[1])
