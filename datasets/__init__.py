"""The kit's synthetic datasets and codebooks, shipped as package data (see README.md here)."""
