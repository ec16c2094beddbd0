"""python -m infermark_torch: start the worker (see torch_worker.py)."""
from .main import main

main()
