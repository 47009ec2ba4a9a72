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
unsafe-path           an entry name is absolute or climbs out with ``..``
too-many-entries      the archive lists more entries than any real app has
unreadable-file       the path cannot be read (``inspect`` and ``read_ipa`` on a path)
not-a-certificate     a trust anchor that is not a PEM or DER certificate
bad-certificate       a certificate that does not parse (only where one is required)
====================  =====================================================================

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
