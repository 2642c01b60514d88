#!/usr/bin/env python3
"""Reference implementation of the canonical letter content encoding v1
(`Letter::canonical_content` in src/letter/content.rs), for the sample letter
used in the unit tests. Prints the SHA-256 that the golden test expects:

    python3 scripts/letter_content_hash.py
    61c3feb51a600faba943f6b4db09d5e7bfca118b6319e571d9d6fc89ca432fee
"""
import hashlib
import struct

FIELDS = [
    ("kind", "official_letter"),
    ("security", "B"),
    ("urgency", "Biasa"),
    ("classification", "000.8.3.3"),
    ("place", "Kudus"),
    ("subject", "Laporan Pelaksanaan Transformasi Digital"),
    ("attachment", "1\nberkas"),
    ("to.0", "internal:bupati\nBupati Kudus"),
    ("destination", "Kudus"),
    ("body.0", "Dengan hormat, bersama ini kami sampaikan laporan."),
    ("body.1", "Demikian atas perhatiannya kami ucapkan terima kasih."),
    ("signature.delegation", "direct"),
    ("signature.position", "kadis-kominfo\nKepala Dinas Komunikasi dan Informatika"),
    ("signature.signer", "\nBudi Santoso\nS.Kom., M.T.\n197905122005011003\nPembina Tingkat I (IV/b)"),
    ("signature.mode", "electronic"),
]


def encode(fields):
    out = b"surat.letter.content.v1"
    for name, value in fields:
        v = value.encode("utf-8")
        out += name.encode("ascii") + b"\0" + struct.pack(">I", len(v)) + v
    return out


print(hashlib.sha256(encode(FIELDS)).hexdigest())
