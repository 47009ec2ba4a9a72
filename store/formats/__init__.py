"""Readers: bytes in, model facts or one ``ParseError`` with a stable code out.

``read_mobileprovision`` (``mobileprovision.py``) and ``read_ipa`` (``ipa.py``) are the
entry points; ``read_certificate`` (``x509.py``) and the trust anchors (``trust.py``) serve
the store. Every failure a reader can meet is one of these codes; scripts match on the
code, people read the message.

Error codes
===========

====================  =====================================================================
code                  meaning
====================  =====================================================================
empty                 the file has no bytes (or only whitespace)
too-large             the file, or one entry of an archive, exceeds the reader's size cap
not-a-profile         neither CMS nor a plist; or CMS whose content is not ``data``
malformed-cms         the CMS SignedData structure does not parse
detached-content      a CMS signature without its content: there is no profile inside
malformed-plist       the plist (profile content, Info.plist, entitlements) does not parse
missing-field         a required key is absent (UUID, Name, TeamIdentifier, CFBundleIdentifier...)
wrong-type            a key holds the wrong type (e.g. Name is not a string)
signature-mismatch    the signature does not match the content (``signature == "invalid"``) [1]
unsigned              a bare plist without a signature (``signature == "absent"``) [1]
untrusted             the signer does not chain to Apple Root CA or an added anchor [1]
incomplete-chain      an intermediate or root needed to judge the chain is missing [1]
not-a-zip             an ``.ipa`` that is not a zip, or whose entries cannot be decompressed
no-app-bundle         the archive has no ``Payload/<name>.app``
payload-not-at-root   ``Payload/`` exists only inside another folder (a zipped folder)
missing-info-plist    the app bundle has no ``Info.plist``
unreadable-executable the main executable is missing or its Mach-O code signature is damaged
zip-bomb              an entry expands beyond the ratio cap, its declared size, or the total cap
unsafe-path           an entry name is absolute, climbs out with ``..``, or is over 1024 bytes
too-many-entries      the archive lists more entries than any real app has
unreadable-file       the path cannot be read (``inspect`` and ``read_ipa`` on a path)
not-a-certificate     a trust anchor that is not a PEM or DER certificate
bad-certificate       a certificate that does not parse (only where one is required)
====================  =====================================================================

Integrity problem codes
=======================

``App.integrity`` (filled by ``read_ipa``; see ``store.formats.codesign``) lists what iOS
would refuse in the app's code signatures and seals. These are facts, not errors: the
app is still read. Each problem names its code, the path in the archive, and a message.

==========================  ===============================================================
code                        meaning
==========================  ===============================================================
unsigned-code               a Mach-O (app, extension, framework, dylib) without a signature,
                            ad-hoc signed, or a bundle without a readable main executable
signature-damaged           the superblob or a CodeDirectory does not parse or is inconsistent
signature-layout            codeLimit is not where the signature starts, or ``__LINKEDIT``
                            does not end the slice (codesign --strict)
code-page-mismatch          a code page differs from its hash in a CodeDirectory
special-slot-mismatch       Info.plist, the requirements, CodeResources or the XML/DER
                            entitlements differ from (or are missing for, or are not bound
                            by) their special slot
cms-invalid                 the CMS over the slot-0 CodeDirectory does not parse, names no
                            signer, or its digest or signature does not verify
cdhash-mismatch             the signed cdhashes (100.9.1) or hash-agility (100.9.2) attributes
                            do not name exactly the CodeDirectories present
signer-untrusted            the signing certificate does not chain (at signing time) to Apple
                            Root CA or an added anchor
team-mismatch               the leaf's team is not the CodeDirectory's, the slices disagree, or
                            nested code is signed by another team than the app
weak-signature              a CodeDirectory below version 0x20400, or an executable with
                            entitlements but no DER entitlements (iOS 15 and later)
entitlements-mismatch       the DER entitlements do not decode to the XML ones (iOS 15 reads DER)
bundle-id-prefix            an extension or nested app whose bundle ID does not start with its
                            parent app's followed by a dot
profile-missing             an app or extension without ``embedded.mobileprovision``
profile-invalid             the embedded profile cannot be read
certificate-not-in-profile  the embedded profile does not list the signing certificate
entitlements-not-allowed    the signed entitlements exceed what the embedded profile grants
unsealed-bundle             a bundle without ``_CodeSignature/CodeResources``
seal-invalid                CodeResources does not parse, or its rules are not patterns of a linear shape
resource-modified           a sealed file's contents (or symlink target, or type) changed
resource-missing            a sealed, non-optional file is gone
resource-added              a file the rules seal is not in the seal
unsafe-symlink              a symlink in a bundle points outside it
==========================  ===============================================================

[1] Not raised by the readers, which report these verdicts as facts (``Profile.signature``
and ``Profile.trust``); raised by ``require_trusted`` and shown by ``provdesk inspect``
beside the facts.
"""

from __future__ import annotations

ERROR_CODES: frozenset[str] = frozenset(
    {
        "empty", "too-large", "not-a-profile", "malformed-cms", "detached-content", "malformed-plist",
        "missing-field", "wrong-type", "signature-mismatch", "unsigned", "untrusted", "incomplete-chain",
        "not-a-zip", "no-app-bundle", "payload-not-at-root", "missing-info-plist", "unreadable-executable",
        "zip-bomb", "unsafe-path", "too-many-entries", "unreadable-file", "not-a-certificate",
        "bad-certificate",
    }
)

INTEGRITY_CODES: frozenset[str] = frozenset(
    {
        "unsigned-code", "signature-damaged", "signature-layout", "code-page-mismatch",
        "special-slot-mismatch", "cms-invalid", "cdhash-mismatch", "signer-untrusted", "team-mismatch",
        "weak-signature", "entitlements-mismatch", "bundle-id-prefix", "profile-missing", "profile-invalid",
        "certificate-not-in-profile", "entitlements-not-allowed", "unsealed-bundle", "seal-invalid",
        "resource-modified", "resource-missing", "resource-added", "unsafe-symlink",
    }
)
