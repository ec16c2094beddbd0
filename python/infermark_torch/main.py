"""Worker start-up: import torch (exit 3 with the reason when it is missing), then serve."""
import os
import sys
import threading
import time

EXIT_NO_TORCH = 3
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
    try:
        import torch
    except Exception as err:  # ImportError, or a torch whose native libraries do not load
        sys.stderr.write(f"infermark torch worker: cannot import torch with {sys.executable}: {type(err).__name__}: {err}\n")
        sys.exit(EXIT_NO_TORCH)
    from .worker import serve
    serve(torch)
