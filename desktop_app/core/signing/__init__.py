"""Digital signatures a Party or state body recognises: PAdES made with a Ban Cơ yếu token.

``token`` reaches the USB token through its PKCS#11 driver, ``pades`` signs a PDF with it,
``verify`` checks every signature a PDF carries against ``trust``'s anchors. This layer sits
under the documents and the exchange (which sign at approval and verify on import) and above
the store (the anchors an office adds are kept there). pyHanko and python-pkcs11 load only
when a token is used or a PDF is verified, so start-up does not pay for them.
"""

import logging
import warnings

# pyHanko logs every failed check with its traceback, and fontTools a note per subset font;
# with no handler of the app's, Python would print them to stderr (on the clerk's console).
# The outcome is what the clerk needs, and it is returned.
for _library in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_library).addHandler(logging.NullHandler())
# pyHanko imports cryptography's DSA module, deprecated since cryptography 46; nothing here
# signs or verifies with DSA, and the clerk's console is no place for the notice.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko\.")
