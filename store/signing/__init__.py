"""The re-signer: it writes bytes, so it lives apart from the readers; it verifies before it returns.

``resign`` re-signs an ``.ipa`` with a new identity (PKCS#12) and new provisioning
profiles, innermost code first, and writes the result only once provdesk's own integrity
verification passes. The private key stays in memory; nothing here writes it anywhere.
"""
