"""Checks Google credentials (ID token, access token or code) with allauth's provider."""

import jwt
import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lms.common.exceptions import ServiceUnavailable

from .services import GoogleIdentity

TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo"
NOT_CONFIGURED = "Google login is not configured on this server (GOOGLE_CLIENT_ID is unset)."


def google_provider(request: HttpRequest):
    """allauth's Google provider with its app; 503 when no client id is configured."""
    try:
        provider = get_adapter().get_provider(request, GoogleOAuth2Adapter.provider_id)
    except SocialApp.DoesNotExist as exc:
        raise ServiceUnavailable(NOT_CONFIGURED) from exc
    if not provider.app.client_id:
        raise ServiceUnavailable(NOT_CONFIGURED)
    return provider


def google_identity_from_id_token(request: HttpRequest, id_token: str) -> GoogleIdentity:
    """Verify an ID token's RS256 signature against Google's keys, its audience and expiry."""
    provider = google_provider(request)
    try:
        algorithm = jwt.get_unverified_header(id_token).get("alg")
    except jwt.PyJWTError as exc:
        raise ValidationError({"id_token": ["This is not a Google ID token."]}) from exc
    if algorithm != "RS256":
        raise ValidationError({"id_token": ["Google ID tokens are signed with RS256."]})
    try:
        login = provider.verify_token(request, {"id_token": id_token})
    except (ValidationError, OAuth2Error, requests.RequestException) as exc:
        raise ValidationError(
            {"id_token": ["The Google ID token is invalid, expired or not meant for this app."]}
        ) from exc
    data = login.account.extra_data
    return GoogleIdentity(
        uid=str(login.account.uid),
        email=(data.get("email") or "").strip().lower(),
        email_verified=str(data.get("email_verified")).lower() == "true",
        first_name=data.get("given_name") or "",
        last_name=data.get("family_name") or "",
        extra_data=data,
    )


def google_identity_from_access_token(request: HttpRequest, access_token: str) -> GoogleIdentity:
    """Check the access token was issued to our client id, then read the user's profile."""
    provider = google_provider(request)
    adapter = GoogleOAuth2Adapter(request)
    invalid = ValidationError(
        {"access_token": ["The Google access token is invalid or not meant for this app."]}
    )
    try:
        with get_adapter().get_requests_session() as session:
            info = session.get(TOKENINFO_URL, params={"access_token": access_token})
            if not info.ok:
                raise invalid
            info = info.json()
            if provider.app.client_id not in (info.get("aud"), info.get("azp")):
                raise invalid
            profile = session.get(
                adapter.identity_url, headers={"Authorization": f"Bearer {access_token}"}
            )
            if not profile.ok:
                raise invalid
            profile = profile.json()
    except (requests.RequestException, ValueError) as exc:
        raise invalid from exc
    if str(profile.get("id")) != str(info.get("sub")):
        raise invalid
    return GoogleIdentity(
        uid=str(profile["id"]),
        email=(profile.get("email") or "").strip().lower(),
        email_verified=bool(profile.get("verified_email")),
        first_name=profile.get("given_name") or "",
        last_name=profile.get("family_name") or "",
        extra_data=profile,
    )


def google_identity_from_code(request: HttpRequest, code: str, redirect_uri: str) -> GoogleIdentity:
    """Exchange an authorization code (with our client secret) and verify the ID token."""
    provider = google_provider(request)
    adapter = GoogleOAuth2Adapter(request)
    client = OAuth2Client(
        request,
        provider.app.client_id,
        provider.app.secret,
        adapter.access_token_method,
        adapter.access_token_url,
        redirect_uri,
        scope_delimiter=adapter.scope_delimiter,
        headers=adapter.headers,
        basic_auth=adapter.basic_auth,
    )
    try:
        tokens = client.get_access_token(code)
    except (OAuth2Error, requests.RequestException) as exc:
        raise ValidationError({"code": ["Google did not accept this authorization code."]}) from exc
    if not tokens.get("id_token"):
        raise ValidationError({"code": ["Google returned no ID token; request the openid scope."]})
    return google_identity_from_id_token(request, tokens["id_token"])
