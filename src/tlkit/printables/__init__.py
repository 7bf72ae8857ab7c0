"""Printable pages: protocol handouts and the peer-observation form."""
