"""The provider's pages: plain, accessible HTML (every value escaped here, nowhere else)."""

from __future__ import annotations

from html import escape

from devstack.oidc.grants import AuthorizationRequest
from devstack.oidc.members import DemoAccount

TITLE = "Sign in to the MAC Heroes Network (development)"

STYLE = """
body { font-family: Arial, "Liberation Sans", sans-serif; font-size: 1.1875rem; line-height: 1.5;
       color: #0b0c0c; background: #ffffff; margin: 0; }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
.notice { border-left: 0.5rem solid #005eb8; padding: 0.5rem 1rem; background: #f0f4f5; }
.error-summary { border: 0.3rem solid #d5281b; padding: 1rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; }
.error-message { color: #d5281b; font-weight: bold; display: block; margin-bottom: 0.25rem; }
ul.accounts { list-style: none; padding: 0; margin: 0; }
ul.accounts li { margin: 0 0 0.75rem; }
button { font: inherit; cursor: pointer; border-radius: 0.25rem; }
.account { width: 100%; text-align: left; padding: 0.75rem 1rem; background: #ffffff;
           color: #0b0c0c; border: 2px solid #005eb8; }
.account:hover { background: #e8f1fa; }
.account .name { display: block; font-weight: bold; color: #005eb8; }
.primary { background: #007f3b; color: #ffffff; border: 0; padding: 0.6rem 1.2rem;
           box-shadow: 0 4px 0 #00401e; }
.secondary { background: #f0f4f5; color: #0b0c0c; border: 2px solid #4c6272;
             padding: 0.5rem 1rem; }
label { display: block; font-weight: bold; }
.hint { display: block; color: #4c6272; margin-bottom: 0.25rem; }
input[type=text] { font: inherit; width: 100%; max-width: 28rem; padding: 0.4rem;
                   border: 2px solid #4c6272; box-sizing: border-box; margin-bottom: 1rem; }
input[aria-invalid=true] { border-color: #d5281b; }
:focus-visible { outline: 3px solid #ffeb3b; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
"""


def sign_in_page(
    request: AuthorizationRequest,
    accounts: list[DemoAccount],
    *,
    error: str | None = None,
    member_id: str = "",
) -> str:
    """Demo accounts as buttons, and a form to sign in as any member by id."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in request.as_params().items()
    )
    summary = ""
    if error:
        summary = (
            '<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-title">'
            f'<h2 id="error-title">You could not be signed in</h2><p>{escape(error)}</p></div>'
        )
    # The member id field is marked wrong only when the error is about what was typed in it.
    invalid = bool(error and member_id)
    field_error = (
        f'<span class="error-message" id="member_id-error">{escape(error or "")}</span>'
        if invalid
        else ""
    )
    described_by = "member_id-hint member_id-error" if invalid else "member_id-hint"
    body = f"""
<h1>{TITLE}</h1>
{summary}
<p class="notice">This is a development sign-in service for the demo network. Anyone here can
sign in as anyone: never use it with real people's details.</p>
{_accounts(accounts, hidden)}
<h2 id="another">Sign in as another member</h2>
<form method="post" action="/authorize" aria-labelledby="another">
{hidden}
<label for="member_id">Member id</label>
<span class="hint" id="member_id-hint">The id of a member of the network, for example someone who
has just joined through an invitation. It looks like 5eed0000-0000-4000-8000-000000000000.</span>
{field_error}
<input type="text" id="member_id" name="member_id" value="{escape(member_id)}" autocomplete="off"
 spellcheck="false" aria-describedby="{described_by}"{' aria-invalid="true"' if invalid else ""}>
<button type="submit" class="primary">Sign in</button>
</form>
<h2>Changed your mind?</h2>
<form method="post" action="/authorize">
{hidden}
<button type="submit" name="cancel" value="yes" class="secondary">Cancel and go back</button>
</form>
"""
    return _page(TITLE if not error else f"Error: {TITLE}", body)


def _accounts(accounts: list[DemoAccount], hidden: str) -> str:
    if not accounts:
        return "<p>There are no demo accounts on this network. Sign in with a member id below.</p>"
    items = "".join(
        f'<li><button type="submit" class="account" name="member_id" value="{account.member_id}">'
        f'<span class="name">{escape(account.name)}</span>'
        f"<span>{escape(account.role_name)}, {escape(account.organisation)}</span></button></li>"
        for account in accounts
    )
    return (
        f'<h2 id="demo">Choose a demo account</h2>'
        f'<form method="post" action="/authorize" aria-labelledby="demo">{hidden}'
        f'<ul class="accounts">{items}</ul></form>'
    )


def message_page(title: str, message: str) -> str:
    """A page that explains why nothing more can happen here."""
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(message)}</p>")


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main id="main">{body}</main>
</body>
</html>
"""
