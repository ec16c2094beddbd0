"""Entry point the Node side runs for every Python runtime, torch included:
python3 -B -u python/runtime_worker.py --runtime NAME (this folder is then on sys.path)."""
from infermark_worker.main import main

if __name__ == "__main__":
    main()
