"""Open Badges pages for a person: what a badge means, who issues it, and a form to check a
certificate. The same addresses answer machines in JSON; `wants_html` decides which."""

from __future__ import annotations

from html import escape
from typing import Any

from recognition.openbadges import Issuer, Verification

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1d1d1b}h1{font-size:1.6rem}a{color:#005eb8}"
    "textarea{width:100%;min-height:8rem;font:inherit}button{font:inherit;padding:.4rem 1rem}"
    ".valid{border-left:.4rem solid #007f3b;padding-left:.8rem}"
    ".invalid{border-left:.4rem solid #d5281b;padding-left:.8rem}"
)


def wants_html(accept: str) -> bool:
    """A browser's Accept names text/html before any JSON type; API clients name JSON or nothing."""
    accept = accept.lower()
    html_at = accept.find("text/html")
    if html_at < 0:
        return False
    json_at = [at for at in (accept.find("application/json"), accept.find("application/ld+json"))
               if at >= 0]
    return not json_at or html_at < min(json_at)


def achievement_page(achievement: dict[str, Any], issuer: Issuer) -> str:
    name = escape(str(achievement["name"]))
    criteria = escape(str(achievement.get("criteria", {}).get("narrative", "")))
    return _page(
        f"{name}: a MAC Heroes badge",
        f"<h1>{name}</h1>"
        f"<p>{escape(str(achievement['description']))}</p>"
        f"<h2>How it is earned</h2><p>{criteria}</p>"
        f"<h2>Who gives it</h2><p>{_issuer_link(issuer)} gives this badge as an Open Badges 3.0 "
        "certificate, signed so that anyone can check it.</p>"
        + _how_to_check(issuer),
    )


def issuer_page(issuer: Issuer) -> str:
    return _page(
        f"{escape(issuer.name)}: badge issuer",
        f"<h1>{escape(issuer.name)}</h1>"
        f"<p>{_issuer_link(issuer)} recognises the people who make improvements in health and "
        "care. Its badges are Open Badges 3.0 certificates, signed with the network's key.</p>"
        + _how_to_check(issuer),
    )


def verify_page(issuer: Issuer, result: Verification | None = None) -> str:
    outcome = ""
    if result is not None and result.is_valid and result.credential is not None:
        subject = result.credential.get("credentialSubject", {})
        badge = escape(str(subject.get("achievement", {}).get("name", "a badge")))
        since = escape(str(result.credential.get("validFrom", "")))
        outcome = (f'<div class="valid" role="status"><h2>This certificate is genuine</h2>'
                   f"<p>{escape(issuer.name)} issued the badge <strong>{badge}</strong> "
                   f"on {since[:10]}, and it is still held.</p></div>")
    elif result is not None:
        outcome = (f'<div class="invalid" role="status"><h2>This certificate does not check '
                   f"out</h2><p>{escape(result.reason or 'It could not be checked.')}</p></div>")
    return _page(
        f"Check a certificate from {escape(issuer.name)}",
        f"<h1>Check a certificate</h1>{outcome}"
        f"<p>Paste the certificate you were given (the text inside its <code>.jwt</code> file, "
        "starting <code>eyJ</code>) to "
        f"check that {escape(issuer.name)} issued it and that it has not been changed or "
        "withdrawn.</p>"
        f'<form method="post" action="{escape(issuer.base_url)}/verify">'
        '<label for="credential">Certificate</label>'
        '<textarea id="credential" name="credential" required></textarea>'
        "<p><button type=\"submit\">Check it</button></p></form>",
    )


def _how_to_check(issuer: Issuer) -> str:
    base = escape(issuer.base_url)
    return (
        "<h2>Checking a certificate</h2>"
        f'<p>Given a certificate for this badge? <a href="{base}/verify">Check it here</a>, '
        f'or with any Open Badges 3.0 verifier: the public key is at <a href="{base}/jwks.json">'
        f"{base}/jwks.json</a>.</p>"
    )


def _issuer_link(issuer: Issuer) -> str:
    return f'<a href="{escape(issuer.url)}">{escape(issuer.name)}</a>'


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )
