"""A small LTI 1.3 platform for the tests: it signs id_tokens with its own key, and serves its key set,
an OAuth2 token endpoint (checking the tool's signed client assertion) and a line item's score endpoint
(recording what it receives) from a local HTTP server thread."""

import json
import threading
import time
import uuid
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from jwcrypto.jwk import JWK

from lti.launches import AGS_ENDPOINT, CLAIM, DEEP_LINKING_SETTINGS, SCORE_SCOPE
from lti.models import ToolKey
from lti.services import platform_add, tool_key_generate

CLIENT_ID = "tool-client-1"
DEPLOYMENT_ID = "deployment-1"
LINEITEM_PATH = "/api/lti/courses/7/line_items/3"


class LocalPlatform:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.key = JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
        self.scores: list[dict] = []
        self.tool_keys: dict[str, str] = {}
        self.tool_login_link = ""  # the course page's link to the tool (a browser journey sets it)
        self.launch_extra: dict = {}  # claims the authorization endpoint adds to the id_token
        self.score_failures = 0  # how many score posts to refuse (503) before taking one
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://{host}:{self.server.server_port}"
        self.issuer = self.url
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def lineitem_url(self) -> str:
        return self.url + LINEITEM_PATH

    def sign(self, claims: dict, key: JWK | None = None) -> str:
        key = key or self.key
        private = key.export_to_pem(private_key=True, password=None)
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": key.kid})

    def claims(self, *, nonce: str, sub: str = "learner-42", message_type: str = "LtiResourceLinkRequest", **extra):
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Robin Vale",
            "email": "robin@school.example",
            CLAIM + "message_type": message_type,
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT_ID,
            CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        }
        if message_type == "LtiResourceLinkRequest":
            claims[CLAIM + "resource_link"] = {"id": "link-1"}
            claims[AGS_ENDPOINT] = {"scope": [SCORE_SCOPE], "lineitem": self.lineitem_url}
        else:
            claims[DEEP_LINKING_SETTINGS] = {
                "deep_link_return_url": self.url + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window", "iframe"],
                "accept_multiple": True,
                "data": "opaque-platform-data",
            }
        claims.update(extra)
        return claims

    def trust_tool_key(self, key: ToolKey) -> None:
        """What an administrator pastes or points the platform at: the tool's public key."""
        self.tool_keys[key.kid] = key.public_key


class Handler(BaseHTTPRequestHandler):
    platform: LocalPlatform

    def log_message(self, *args) -> None:
        pass

    def _reply(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/jwks":
            return self._reply(200, {"keys": [json.loads(self.platform.key.export_public())]})
        if self.path == "/course":
            return self._html(f'<a href="{escape(self.platform.tool_login_link)}">Module 1 (external tool)</a>')
        if urlsplit(self.path).path == "/auth":
            return self._authenticate(parse_qs(urlsplit(self.path).query))
        return self._reply(404)

    def _html(self, body: str) -> None:
        data = f"<!doctype html><title>LMS</title>{body}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authenticate(self, query: dict) -> None:
        """The platform's OIDC authorization endpoint: the signed id_token, form-posted to the tool."""
        claims = self.platform.claims(nonce=query["nonce"][0], **self.platform.launch_extra)
        fields = {"id_token": self.platform.sign(claims), "state": query["state"][0]}
        inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in fields.items())
        action = escape(query["redirect_uri"][0])
        self._html(f'<form method="post" action="{action}">{inputs}</form><script>document.forms[0].submit()</script>')

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.path == "/token":
            return self._token(parse_qs(body))
        if urlsplit(self.path).path == LINEITEM_PATH + "/scores":
            return self._score(body)
        return self._reply(404)

    def _token(self, form: dict) -> None:
        assertion = form["client_assertion"][0]
        kid = jwt.get_unverified_header(assertion)["kid"]
        # The tool's signature, checked with its published key: a forged assertion gets no token.
        jwt.decode(assertion, self.platform.tool_keys[kid], algorithms=["RS256"], audience=self.platform.url + "/token")
        self.platform.token = uuid.uuid4().hex
        self._reply(200, {"access_token": self.platform.token, "token_type": "Bearer", "expires_in": 3600})

    def _score(self, body: str) -> None:
        if self.headers.get("Authorization") != f"Bearer {getattr(self.platform, 'token', None)}":
            return self._reply(401)
        if self.platform.score_failures > 0:
            self.platform.score_failures -= 1
            return self._reply(503)
        self.platform.scores.append({"content_type": self.headers.get("Content-Type"), **json.loads(body)})
        self._reply(200)


def _handler(platform: LocalPlatform) -> type[Handler]:
    return type("BoundHandler", (Handler,), {"platform": platform})


def registered_platform(**options) -> "LocalPlatform":
    """A running local platform, registered with the tool (one deployment), trusting the tool's new key."""
    platform = LocalPlatform(**options)
    platform_add(
        issuer=platform.issuer,
        client_id=CLIENT_ID,
        deployment_ids=[DEPLOYMENT_ID],
        auth_login_url=platform.url + "/auth",
        auth_token_url=platform.url + "/token",
        key_set_url=platform.url + "/jwks",
    )
    platform.trust_tool_key(tool_key_generate())
    return platform
