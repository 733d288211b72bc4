"""Digital signatures a Party or state body recognises: PAdES made with a Ban Cơ yếu token.

``token`` reaches the USB token through its PKCS#11 driver, ``pades`` signs a PDF with it,
``verify`` checks every signature a PDF carries against ``trust``'s anchors. This layer sits
under the documents and the exchange (which sign at approval and verify on import) and above
the store (the anchors an office adds are kept there). pyHanko and python-pkcs11 load only
when a token is used or a PDF is verified, so start-up does not pay for them.
"""
