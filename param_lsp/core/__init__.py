"""The pure analysis core: text → positioned tree → Polyaxon model → findings.

Nothing in this package imports pygls or lsprotocol.
"""
