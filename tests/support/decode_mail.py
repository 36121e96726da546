#!/usr/bin/python3
"""Reads e-mail the way a mail program would: Python's email package, independent of our writer.

Usage: decode_mail.py FILE...  One JSON object per file, one per line, with the decoded subject,
From (display name and address), To, Date (ISO 8601), Message-ID, content type and charset,
transfer encoding, the body as text (line ends "\n"), the header names in order, the parser's
defects, the longest line in bytes and whether any line ends without CR.
"""
import email
import email.policy
import email.utils
import json
import sys


def decode(raw: bytes) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = message["From"].addresses[0] if message["From"] else None
    date = email.utils.parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    lines = raw.split(b"\n")
    return {
        "subject": str(message["Subject"]),
        "from_name": sender.display_name if sender else None,
        "from_address": sender.addr_spec if sender else None,
        "to": [a.addr_spec for a in message["To"].addresses] if message["To"] else [],
        "date": date.isoformat() if date else None,
        "message_id": str(message["Message-ID"]),
        "content_type": message.get_content_type(),
        "charset": message.get_content_charset(),
        "transfer_encoding": str(message["Content-Transfer-Encoding"]),
        "body": message.get_content().replace("\r\n", "\n"),
        "header_names": list(message.keys()),
        "defects": [type(d).__name__ for d in message.defects],
        "max_line_bytes": max(len(line.rstrip(b"\r")) for line in lines),
        "bare_lf": any(not line.endswith(b"\r") for line in lines[:-1]),
    }


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(json.dumps(decode(f.read()), ensure_ascii=False))
