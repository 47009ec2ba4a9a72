"""Signature primitives shared by the CMS and certificate-chain checks.

Both checks come down to "does this public key sign these bytes with this hash",
for RSA PKCS#1 v1.5 and ECDSA, with SHA-1 (Apple still signs profiles with it) or the
SHA-2 family. Keys are cached by their DER so the one Apple intermediate that signs every
profile is loaded once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}

SUPPORTED_DIGESTS = frozenset(_HASHES)


def digest(name: str, data: bytes) -> bytes:
    """The ``name`` digest of ``data`` (``name`` as asn1crypto spells it: ``sha1``, ``sha256``...)."""
    return hashlib.new(name, data).digest()


@lru_cache(maxsize=256)
def _public_key(spki: bytes) -> Any:
    """Load a SubjectPublicKeyInfo once; a key we cannot load is ``None`` (never verifies)."""
    try:
        return load_der_public_key(spki)
    except Exception:
        return None


def verify(spki: bytes, signature: bytes, data: bytes, hash_name: str) -> bool:
    """Whether ``signature`` over ``data`` verifies under the key in ``spki``.

    The key type picks the scheme: RSA keys use PKCS#1 v1.5, EC keys ECDSA. Any other key,
    an unknown hash, or a malformed signature is simply "does not verify".
    """
    algorithm = _HASHES.get(hash_name)
    key = _public_key(spki)
    if algorithm is None or key is None:
        return False
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), algorithm())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(algorithm()))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
