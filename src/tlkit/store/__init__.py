"""Saved state: small records kept between reloads, through one store."""
