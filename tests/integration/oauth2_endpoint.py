#!/usr/bin/python3
"""An OAuth2 provider for the integration tests, on 127.0.0.1: a token endpoint like Microsoft
identity platform's and Google's, the device-code endpoint, and the introspection endpoint that
Dovecot's oauth2 passdb and smtp_sink.py --xoauth2 ask whether a token is good.

  oauth2_endpoint.py DIR CONFIG.json

Prints "PORT <n>" once it listens; stops on SIGTERM. CONFIG holds what a grant must carry:
  client_id, client_secret, certificate (a PEM file whose key must sign a client assertion, the
  alternative to the secret),
  scope (client credentials), delegated_scope (device code, refresh), user (the mailbox),
  google: {email, key_file (the service account JSON), scope, user},
  lifetime (seconds a token lives), refresh_token (the one a device-code login gets),
  rotate (a refresh gives a new refresh token), pending_polls (device code polls before sign-in).

It checks the grant type, client, assertion (RS256 signature, x5t, aud, iss, sub, exp) and scope;
tokens expire after `lifetime`. A file DIR/refuse holding an OAuth2 error code (invalid_grant,
invalid_client) makes every grant fail with it, on demand; DIR/lifetime overrides `lifetime`. Each request is a JSON line in
DIR/events.log (never a secret); DIR/refresh-token holds the refresh token now valid.
"""
import base64
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

DIR = sys.argv[1]
CONFIG = json.load(open(sys.argv[2]))
LOCK = threading.Lock()
TOKENS = {}  # access token -> (user, expiry)
STATE = {"refresh": CONFIG.get("refresh_token", ""), "devices": {}, "port": 0, "n": 0}


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def event(**fields):
    with LOCK, open(os.path.join(DIR, "events.log"), "a") as f:
        f.write(json.dumps(fields) + "\n")


def verify_jwt(jwt, public_key, audience):
    """The claims of an RS256 JWT signed by public_key's key, or raises ValueError."""
    header_b64, claims_b64, signature_b64 = jwt.split(".")
    header = json.loads(b64url_decode(header_b64))
    claims = json.loads(b64url_decode(claims_b64))
    if header.get("alg") != "RS256":
        raise ValueError("alg is not RS256")
    try:
        public_key.verify(b64url_decode(signature_b64), (header_b64 + "." + claims_b64).encode(),
                          padding.PKCS1v15(), hashes.SHA256())
    except Exception:
        raise ValueError("bad signature")
    now = time.time()
    if claims.get("aud") != audience:
        raise ValueError("aud is " + str(claims.get("aud")))
    if not (claims.get("exp", 0) > now and claims.get("iat", now + 999) <= now + 5):
        raise ValueError("expired or not yet valid")
    return header, claims


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, error, why, grant=""):
        event(path=self.path, grant=grant, ok=False, error=error, why=why)
        self.answer(400 if error != "invalid_client" else 401,
                    {"error": error, "error_description": why})

    def issue(self, grant, user, extra=None):
        token = "at-" + secrets.token_urlsafe(24)
        lifetime = CONFIG.get("lifetime", 3600)
        if os.path.exists(os.path.join(DIR, "lifetime")):
            lifetime = int(open(os.path.join(DIR, "lifetime")).read())
        with LOCK:
            TOKENS[token] = (user, time.time() + lifetime)
            STATE["n"] += 1
        body = {"token_type": "Bearer", "expires_in": lifetime,
                "access_token": token}
        body.update(extra or {})
        event(path=self.path, grant=grant, ok=True, rotated="refresh_token" in body)
        self.answer(200, body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path == "/introspect":
            return self.introspect(form)
        if self.path == "/devicecode":
            return self.device_code(form)
        if self.path != "/token":
            return self.answer(404, {"error": "not_found"})
        grant = form.get("grant_type", "")
        refuse = os.path.join(DIR, "refuse")
        if os.path.exists(refuse):
            return self.refuse(open(refuse).read().strip(), "refused on demand", grant)
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self.google(form)
        if not self.client_ok(form, grant):
            return
        if grant == "client_credentials":
            if form.get("scope") != CONFIG["scope"]:
                return self.refuse("invalid_scope", "scope " + form.get("scope", ""), grant)
            return self.issue(grant, CONFIG["user"])
        if grant == "refresh_token":
            if form.get("scope") != CONFIG["delegated_scope"]:
                return self.refuse("invalid_scope", "scope " + form.get("scope", ""), grant)
            with LOCK:
                good = form.get("refresh_token") == STATE["refresh"] and STATE["refresh"]
            if not good:
                return self.refuse("invalid_grant", "AADSTS70000: the refresh token is not "
                                   "valid", grant)
            extra = {}
            if CONFIG.get("rotate"):
                with LOCK:
                    STATE["refresh"] = "rt-" + secrets.token_urlsafe(24)
                    extra = {"refresh_token": STATE["refresh"]}
                self.save_refresh()
            return self.issue(grant, CONFIG["user"], extra)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            with LOCK:
                polls = STATE["devices"].get(form.get("device_code"))
                if polls is None:
                    return self.refuse("invalid_grant", "unknown device code", grant)
                STATE["devices"][form["device_code"]] = polls + 1
            if polls < CONFIG.get("pending_polls", 0):
                event(path=self.path, grant=grant, ok=False, error="authorization_pending")
                return self.answer(400, {"error": "authorization_pending"})
            with LOCK:
                STATE["refresh"] = CONFIG.get("refresh_token") or "rt-" + secrets.token_urlsafe(24)
            self.save_refresh()
            return self.issue(grant, CONFIG["user"], {"refresh_token": STATE["refresh"]})
        return self.refuse("unsupported_grant_type", grant, grant)

    def client_ok(self, form, grant):
        if form.get("client_id") != CONFIG["client_id"]:
            self.refuse("invalid_client", "AADSTS700016: unknown client", grant)
            return False
        if "client_assertion" in form or ("client_secret" not in CONFIG and
                                          grant == "client_credentials"):
            cert = x509.load_pem_x509_certificate(open(CONFIG["certificate"], "rb").read())
            if form.get("client_assertion_type") != \
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
                self.refuse("invalid_client", "no client assertion", grant)
                return False
            try:
                header, claims = verify_jwt(form.get("client_assertion", ""), cert.public_key(),
                                            self.url("/token"))
                if header.get("x5t") != b64url(cert.fingerprint(hashes.SHA1())):
                    raise ValueError("x5t does not match the certificate")
                if claims.get("iss") != CONFIG["client_id"] or \
                        claims.get("sub") != CONFIG["client_id"] or not claims.get("jti"):
                    raise ValueError("iss, sub or jti")
            except ValueError as e:
                self.refuse("invalid_client", "AADSTS700027: client assertion: " + str(e), grant)
                return False
            event(path=self.path, grant=grant, ok=True, assertion="verified")
            return True
        if "client_secret" in CONFIG and grant == "client_credentials" and \
                form.get("client_secret") != CONFIG["client_secret"]:
            self.refuse("invalid_client", "AADSTS7000215: Invalid client secret provided.", grant)
            return False
        return True

    def google(self, form):
        grant = "jwt-bearer"
        g = CONFIG["google"]
        key = json.load(open(g["key_file"]))
        public = serialization.load_pem_private_key(key["private_key"].encode(),
                                                    None).public_key()
        try:
            header, claims = verify_jwt(form.get("assertion", ""), public, self.url("/token"))
        except ValueError as e:
            return self.refuse("invalid_grant", "Invalid JWT: " + str(e), grant)
        if header.get("kid") != key.get("private_key_id") or claims.get("iss") != g["email"]:
            return self.refuse("invalid_client", "unknown service account", grant)
        if claims.get("scope") != g["scope"]:
            return self.refuse("invalid_scope", "scope " + str(claims.get("scope")), grant)
        if claims.get("sub") != g["user"]:
            return self.refuse("unauthorized_client", "Client is unauthorized to retrieve "
                               "access tokens using this method for " + str(claims.get("sub")),
                               grant)
        event(path=self.path, grant=grant, ok=True, assertion="verified")
        return self.issue(grant, g["user"])

    def device_code(self, form):
        if form.get("client_id") != CONFIG["client_id"]:
            return self.refuse("invalid_client", "AADSTS700016: unknown client", "device")
        if form.get("scope") != CONFIG["delegated_scope"]:
            return self.refuse("invalid_scope", "scope " + form.get("scope", ""), "device")
        code = "dc-" + secrets.token_urlsafe(16)
        with LOCK:
            STATE["devices"][code] = 0
        event(path=self.path, ok=True)
        self.answer(200, {"device_code": code, "user_code": "HA7-TEST", "interval": 1,
                          "verification_uri": self.url("/device"), "expires_in": 30,
                          "message": "To sign in, use a web browser to open the page " +
                          self.url("/device") + " and enter the code HA7-TEST to authenticate."})

    def introspect(self, form):
        with LOCK:
            user, expiry = TOKENS.get(form.get("token", ""), ("", 0))
        ok = bool(user) and expiry > time.time()
        event(path=self.path, ok=ok, expired=bool(user) and not ok)
        if not ok:
            return self.answer(401, {"active": False})
        self.answer(200, {"active": True, "username": user})

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (STATE["port"], path)

    def save_refresh(self):
        with open(os.path.join(DIR, "refresh-token"), "w") as f:
            f.write(STATE["refresh"])


def main():
    os.makedirs(DIR, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    STATE["port"] = server.server_address[1]
    if STATE["refresh"]:
        Handler.save_refresh(None)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("PORT %d" % STATE["port"], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
