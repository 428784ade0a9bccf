"""Visitors own their jobs through a random token kept in their session."""
import secrets

SESSION_KEY = "visitor"


def visitor_token(request) -> str:
    token = request.session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = token
    return token
