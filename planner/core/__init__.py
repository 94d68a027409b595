"""The pure planning core: data in, data out.

Nothing here reads the environment, files, the network, the clock or a random
source; ``tests/test_purity.py`` enforces it.
"""
