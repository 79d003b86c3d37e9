#!/usr/bin/python3
"""A real SMTP server for the integration tests (aiosmtpd), on 127.0.0.1.

Writes each accepted message as NNNN.eml (the raw bytes) and NNNN.env (MAIL FROM, then one RCPT TO a
line) into OUTDIR, prints "PORT <n>" on stdout once it listens, and stops on SIGTERM.

  smtp_sink.py OUTDIR [--port N] [--fail CODE] [--auth USER:PASSWORD] [--starttls CERT KEY]
               [--xoauth2 INTROSPECTION_URL]

--fail CODE answers every DATA with CODE (e.g. 451 for a temporary failure, 550 permanent).
--auth requires AUTH PLAIN/LOGIN with these credentials (plain text allowed on loopback).
--xoauth2 requires AUTH XOAUTH2 (the only mechanism offered, as Microsoft 365 does); the bearer
token is good when INTROSPECTION_URL (oauth2_endpoint.py) says it is active for the user named.
Each login's result is a line in OUTDIR/auth.log (the user and ok or refused; never the token).
--starttls offers STARTTLS with this certificate and key, and requires it before MAIL.
"""
import argparse
import asyncio
import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import os
import signal
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, outdir, fail):
        self.outdir = outdir
        self.fail = fail
        self.count = len([f for f in os.listdir(outdir) if f.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            return f"{self.fail} configured failure"
        self.count += 1
        base = os.path.join(self.outdir, f"{self.count:04d}")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK stored"


class XOAuth2Sink(Sink):
    """A Sink that takes AUTH XOAUTH2 (RFC-less but documented by Google and Microsoft)."""

    def __init__(self, outdir, fail, introspect):
        super().__init__(outdir, fail)
        self.introspect = introspect

    def active_user(self, token):
        data = urllib.parse.urlencode({"token": token}).encode()
        try:
            with urllib.request.urlopen(self.introspect, data, timeout=10) as answer:
                body = json.loads(answer.read())
                return body.get("username", "") if body.get("active") else ""
        except urllib.error.HTTPError:
            return ""

    async def auth_XOAUTH2(self, server, args):
        if len(args) > 1:
            response = base64.b64decode(args[1])
        else:
            response = await server.challenge_auth("")
            if not isinstance(response, bytes):
                return AuthResult(success=False, handled=True)
        # "user=USER^Aauth=Bearer TOKEN^A^A"
        fields = dict(f.split("=", 1) for f in response.decode().split("\x01") if "=" in f)
        user = fields.get("user", "")
        token = fields.get("auth", "").removeprefix("Bearer ")
        ok = bool(user) and self.active_user(token) == user
        with open(os.path.join(self.outdir, "auth.log"), "a") as f:
            f.write(f"{user} {'ok' if ok else 'refused'}\n")
        return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail", default="")
    parser.add_argument("--auth", default="")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--xoauth2", default="")
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    port = args.port or free_port()
    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            # handled=False: aiosmtpd answers 535 itself (handled=True would leave the client
            # waiting for an answer that never comes).
            return AuthResult(success=ok, handled=False)

        kwargs = dict(authenticator=authenticator, auth_required=True,
                      auth_require_tls=False)
    handler = Sink(args.outdir, args.fail)
    if args.xoauth2:
        handler = XOAuth2Sink(args.outdir, args.fail, args.xoauth2)
        kwargs = dict(auth_required=True, auth_require_tls=False,
                      auth_exclude_mechanism=["LOGIN", "PLAIN"])
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.starttls[0], args.starttls[1])
        kwargs.update(tls_context=context, require_starttls=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
