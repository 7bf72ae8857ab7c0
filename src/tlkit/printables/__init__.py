"""Printable pages: protocol handouts, the peer-observation form, the session-audit sheet, the growth plan, and the print style they share."""
