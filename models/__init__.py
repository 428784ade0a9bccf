"""Neural networks of aifashion: pattern generators and the garment parser.

Plain PyTorch, importable without Django.
"""
