"""Worker start-up: import torch (exit 3 with the reason when it is missing), then serve."""
import sys

EXIT_NO_TORCH = 3


def main():
    try:
        import torch
    except Exception as err:  # ImportError, or a torch whose native libraries do not load
        sys.stderr.write(f"infermark torch worker: cannot import torch with {sys.executable}: {type(err).__name__}: {err}\n")
        sys.exit(EXIT_NO_TORCH)
    from .worker import serve
    serve(torch)
