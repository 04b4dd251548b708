"""Images signed with a C2PA manifest, for the CAWG reader's tests: a throwaway ES256
certificate chain (a root and a signer, valid for a day, made with `cryptography`), and
c2pa-python's Builder to embed a manifest carrying the assertions given."""

from __future__ import annotations

import datetime
import io
from functools import cache
from typing import Any

from PIL import Image

ACTIONS = {
    "label": "c2pa.actions",
    "data": {
        "actions": [
            {
                "action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
            }
        ]
    },
}


@cache
def signer_pems(days: int = 1) -> tuple[bytes, bytes]:
    """(certificate chain, private key) in PEM, valid for `days`: a self-made root, so
    never trusted."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ccsig tests"),
            ]
        )

    now = datetime.datetime.now(datetime.UTC)
    usage = dict.fromkeys(
        (
            "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
            "encipher_only", "decipher_only",
        ),
        False,
    )  # fmt: skip
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(name("ccsig test root"))
        .issuer_name(name("ccsig test root"))
        .public_key(root_key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=False, key_cert_sign=True, crl_sign=True, **usage),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("ccsig test signer"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **usage),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    chain = leaf.public_bytes(pem) + root.public_bytes(pem)
    private = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return chain, private


def training_mining(entries: dict[str, Any], label: str = "cawg.training-mining") -> dict[str, Any]:
    """A training and data mining assertion: {"cawg.ai_training": "notAllowed", ...} or
    {"cawg.ai_training": ("constrained", "info")}."""
    data: dict[str, Any] = {}
    for name, use in entries.items():
        if isinstance(use, tuple):
            data[name] = {"use": use[0], "constraint_info": use[1]}
        else:
            data[name] = {"use": use}
    return {"label": label, "data": {"entries": data}}


def signed_image(assertions: list[dict[str, Any]], fmt: str = "JPEG", days: int = 1) -> bytes:
    """A small image of `fmt` (JPEG or PNG) with a signed C2PA manifest holding
    `assertions` (besides the c2pa.created action C2PA asks for), its certificate valid
    for `days`."""
    import c2pa

    chain, key = signer_pems(days)
    mime = {"JPEG": "image/jpeg", "PNG": "image/png"}[fmt]
    source = io.BytesIO()
    Image.new("RGB", (16, 12), (40, 120, 200)).save(source, fmt)
    manifest = {
        "claim_generator_info": [{"name": "ccsig-tests", "version": "1"}],
        "title": f"test.{fmt.lower()}",
        "assertions": [ACTIONS, *assertions],
    }
    context = c2pa.Context.from_dict(
        {
            "verify": {"verify_after_sign": False, "remote_manifest_fetch": False},
            "builder": {"thumbnail": {"enabled": False}},
        }
    )
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    out = io.BytesIO()
    with c2pa.Builder(manifest, context=context) as builder:
        builder.sign(signer, mime, io.BytesIO(source.getvalue()), out)
    return out.getvalue()


def damaged_pixels(data: bytes) -> bytes:
    """The image with a byte near its end changed: the manifest's hash no longer matches."""
    changed = bytearray(data)
    changed[-10] ^= 0xFF
    return bytes(changed)


def damaged_manifest(data: bytes) -> bytes:
    """The image with bytes inside its manifest store overwritten."""
    start = data.find(b"c2pa") + 200
    return data[:start] + b"x" * 60 + data[start + 60 :]
