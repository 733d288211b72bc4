"""The signature block from the approval record: who signed, in what capacity, for which body.

The approver's title ("Phó Bí thư", "Phó Chủ tịch", "Chánh Văn phòng") is what the head typed
when approving. Which authority lines stand above it (T/M, K/T, TM., KT., Q., TL., TUQ.) is a
rule of the document format, so it lives in the profile (``signing``): the profile names the
roles a title can reveal and, per role, the lines and the printed title. The body the signer
acts for (the collective and its head's title) comes from the template or office.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.documents.model import SignatureBlock
from desktop_app.core.documents.profiles import Profile, SigningRule, fill
from desktop_app.core.model.text import nfc

HEAD = "head"


@dataclass(frozen=True)
class SigningBody:
    """The body a document is signed for: "BAN THƯỜNG VỤ" led by the "BÍ THƯ", "ỦY BAN NHÂN
    DÂN" led by the "CHỦ TỊCH"; ``collective`` is empty for a body led by one head (a Sở)."""

    collective: str
    head_title: str


def signing_body(authority: str, head_title: str, profile: Profile) -> SigningBody:
    """The body behind a template's default block ("T/M BAN THƯỜNG VỤ" → "BAN THƯỜNG VỤ")."""
    text = nfc(authority).strip()
    for prefix in sorted(profile.signature_prefixes.values(), key=len, reverse=True):
        if text.upper().startswith(prefix.upper()):
            text = text[len(prefix) :].strip()
            break
    return SigningBody(collective=text.upper(), head_title=nfc(head_title).strip().upper())


def signer_role(profile: Profile, title: str) -> tuple[str, str]:
    """The role the approver's title reveals ("phó …" → deputy; the head when none does) and
    the title as printed (without a marker such as "TUQ." typed before it)."""
    title = nfc(title).strip()
    folded = title.casefold()
    for rule in profile.signing_roles:
        start = next((s for s in rule.starts if folded.startswith(s)), None)
        if start is not None or any(word in folded for word in rule.contains):
            if start is not None and rule.strip_start:
                title = title[len(start) :].strip()
            return rule.role, title
    return HEAD, title


def signature(
    profile: Profile, body: SigningBody, title: str = "", name: str = "", signed_note: str = ""
) -> SignatureBlock:
    """The block as the profile prints it for a signer with ``title`` (the head when empty)."""
    role, title = signer_role(profile, nfc(title).strip() or body.head_title)
    rule: SigningRule = profile.signing_blocks[role]
    values = {
        **profile.signature_prefixes,
        "collective": body.collective,
        "head_title": body.head_title,
        "title": title.upper(),
    }
    lines = [
        fill(line, **values).strip()
        for line in rule.lines
        if body.collective or "{collective}" not in line
    ]
    return SignatureBlock(
        authority="\n".join(line for line in lines if line),
        title=fill(rule.title, **values),
        name=name,
        signed_note=signed_note,
    )
