#!/usr/bin/python3
"""A real SMTP server for the tests: Debian's aiosmtpd, its Controller on 127.0.0.1 and a free port.

Run it with Debian's interpreter (/usr/bin/python3, the shebang), which has python3-aiosmtpd; a
python3 first on PATH (pyenv) may not.

Usage: smtp_server.py --dir DIR [--tls-cert PEM --tls-key PEM] [--auth USER:PASSWORD [--auth-plaintext] [--login-only]]

Prints "PORT <n>" once it listens, then writes every message it accepts to DIR/<nnnn>.eml (the
bytes received after DATA, dot-stuffing undone) with DIR/<nnnn>.json beside it: the envelope
(mail_from, rcpt_tos), the login it authenticated with and the mechanism, whether the session
was under TLS, and the message as decode_mail.py reads it ("decoded"). The .json is written
first and the .eml renamed into place last, so a reader that sees the .eml sees both whole.
Recipients "unknown@…" are refused with 550, "later@…" with 451. Runs until its standard input
closes (the test ends) or SIGTERM.
"""
import argparse
import json
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from decode_mail import decode  # noqa: E402


class EphemeralController(Controller):
    """Controller on port 0: learns the port the kernel chose before its start-up probe."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Saver:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 User unknown"
        if address.startswith("later@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.folder, f"{number:04d}")
        auth = session.auth_data if isinstance(session.auth_data, dict) else {}
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated_as": auth.get("login"),
            "auth_mechanism": auth.get("mechanism"),
            "tls": session.ssl is not None,
            "decoded": decode(envelope.original_content),
        }
        with open(base + ".json", "w", encoding="utf-8") as out:
            json.dump(meta, out)
        with open(base + ".eml.tmp", "wb") as out:
            out.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth", help="USER:PASSWORD accepted by AUTH")
    parser.add_argument("--auth-plaintext", action="store_true", help="allow AUTH without TLS")
    parser.add_argument("--login-only", action="store_true", help="offer AUTH LOGIN but not PLAIN")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # AUTH without TLS is what --auth-plaintext asks for
    os.makedirs(args.dir, exist_ok=True)

    options = {"server_hostname": "localhost", "ready_timeout": 10.0}
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options["tls_context"] = context
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False,
                              auth_data={"login": auth_data.login.decode(), "mechanism": mechanism} if ok else None)

        options["authenticator"] = authenticator
        options["auth_required"] = True
        options["auth_require_tls"] = not args.auth_plaintext
        if args.login_only:
            options["auth_exclude_mechanism"] = ["PLAIN"]

    controller = EphemeralController(Saver(args.dir), hostname="127.0.0.1", port=0, **options)
    controller.start()
    print(f"PORT {controller.port}", flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
