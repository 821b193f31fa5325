"""Digests of content, for telling what changed between builds: a leaf any stage may use.

xxHash's XXH3 (128 bits) rather than a cryptographic hash: the digests only
tell our own inputs and outputs apart, never guard against an adversary, and a
build hashes everything it reads and makes (sources, bodies, page contexts,
pages), which a cryptographic hash makes a visible part of a build.
"""

from __future__ import annotations

import xxhash


def digest(data: bytes) -> str:
    """32 hex digits that change whenever ``data`` does."""
    return xxhash.xxh3_128_hexdigest(data)


def text_digest(text: str) -> str:
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8"))
