"""Signed bundles without a database: keys, DSSE envelopes, strict JSON, the ZIP container,
the manifest and report data, and bundle building and verification (``docs/bundle-format.md``).
"""
