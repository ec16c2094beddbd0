"""Entry point the Node side runs: python3 -B python/torch_worker.py (this folder is then on sys.path)."""
from infermark_torch.main import main

if __name__ == "__main__":
    main()
