"""Access tokens die with the session they came from: password change or reset, deactivation,
role change."""

import time

import pytest
from django.utils import timezone

from lms.users.models import User
from lms.users.tests.conftest import link_tail, login
from lms.users.tests.factories import DEFAULT_PASSWORD, AdminFactory
from lms.users.tests.test_tokens import REFRESH, VERIFY, bearer, claims

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"
CHANGE = "/api/v1/users/password/change/"
RESET = "/api/v1/users/password/reset/"
CONFIRM = "/api/v1/users/password/reset/confirm/"
NEW_PASSWORD = "violet-harbour-engine-42"


def _at_the_start_of_a_second() -> None:
    """Sleep to just past a whole second, so the next few requests share one `iat` second."""
    time.sleep(1.02 - time.time() % 1)


def test_password_change_kills_old_access_tokens_and_the_new_pair_works(api_client, student):
    # given a student logged in on another device, all within one whole second
    _at_the_start_of_a_second()
    other_device = login(api_client, student.email).json()["access"]
    this_device = login(api_client, student.email).json()["access"]
    # when they change their password on this device
    response = bearer(this_device).post(
        CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    fresh = response.json()
    # then neither earlier access token opens their profile any more, even in the same second
    assert int(claims(other_device)["iat"]) == int(claims(fresh["access"])["iat"])
    for old in (other_device, this_device):
        refused = bearer(old).get(ME)
        assert refused.status_code == 401
        assert refused.json()["code"] == "token_not_valid"
    # and the fresh access token answered by the change does
    assert bearer(fresh["access"]).get(ME).status_code == 200
    # and so does one refreshed from the fresh refresh token
    refreshed = api_client.post(REFRESH, {"refresh": fresh["refresh"]}).json()["access"]
    assert bearer(refreshed).get(ME).status_code == 200


def test_reset_confirm_kills_old_access_tokens_and_a_new_login_works(
    api_client, student, send_mail_now
):
    # given a session from before and a mailed reset link
    old_access = login(api_client, student.email).json()["access"]
    _, sent = send_mail_now(lambda: api_client.post(RESET, {"email": student.email}))
    uid, token = link_tail(sent[0].body, "/reset-password/")
    # when the student resets the password and logs in straight away
    confirmed = api_client.post(CONFIRM, {"uid": uid, "token": token, "new_password": NEW_PASSWORD})
    assert confirmed.status_code == 200
    new_access = login(api_client, student.email, NEW_PASSWORD).json()["access"]
    # then the old access token is refused and the new one works
    assert bearer(old_access).get(ME).status_code == 401
    assert bearer(new_access).get(ME).status_code == 200


def test_self_deactivation_kills_access_tokens_even_after_reactivation(
    api_client, auth_client, student, admin
):
    # given a student with a live access token
    old_access = login(api_client, student.email).json()["access"]
    # when they delete (deactivate) their own account and an admin later reactivates it
    assert bearer(old_access).delete(f"/api/v1/users/{student.id}/").status_code == 204
    reactivated = auth_client(admin).patch(f"/api/v1/users/{student.id}/", {"is_active": True})
    assert reactivated.status_code == 200
    # then the old access token stays dead; a new login works
    assert bearer(old_access).get(ME).status_code == 401
    assert bearer(login(api_client, student.email).json()["access"]).get(ME).status_code == 200


def test_admin_deactivation_by_patch_kills_access_tokens(api_client, auth_client, admin, student):
    old_access = login(api_client, student.email).json()["access"]
    response = auth_client(admin).patch(f"/api/v1/users/{student.id}/", {"is_active": False})
    assert response.status_code == 200
    auth_client(admin).patch(f"/api/v1/users/{student.id}/", {"is_active": True})
    assert bearer(old_access).get(ME).status_code == 401


def test_a_demoted_admin_refreshes_to_a_token_with_the_new_role(api_client, auth_client, admin):
    # given a second admin logged in (an admin token names role=admin)
    other = AdminFactory()
    tokens = login(api_client, other.email).json()
    assert claims(tokens["access"])["role"] == "admin"
    # when the first admin demotes them to instructor
    demoted = auth_client(admin).patch(f"/api/v1/users/{other.id}/", {"role": "instructor"})
    assert demoted.status_code == 200
    # then the access token naming the old role is refused
    refused = bearer(tokens["access"]).get(ME)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    # and refreshing answers one with the new role, which works
    refreshed = api_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    access = refreshed.json()["access"]
    assert claims(access)["role"] == "instructor"
    assert bearer(access).get(ME).json()["role"] == "instructor"


def test_verify_refuses_revoked_and_stale_role_tokens(api_client, auth_client, admin, student):
    tokens = login(api_client, student.email).json()
    # a role change: the access token is stale, the refresh token still refreshes
    auth_client(admin).patch(f"/api/v1/users/{student.id}/", {"role": "instructor"})
    assert api_client.post(VERIFY, {"token": tokens["access"]}).status_code == 401
    assert api_client.post(VERIFY, {"token": tokens["refresh"]}).status_code == 200
    # a password change: the old tokens are revoked, the fresh pair verifies
    fresh = login(api_client, student.email).json()
    changed = bearer(fresh["access"]).post(
        CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert api_client.post(VERIFY, {"token": fresh["access"]}).status_code == 401
    assert api_client.post(VERIFY, {"token": changed.json()["access"]}).status_code == 200
    assert api_client.post(VERIFY, {"token": changed.json()["refresh"]}).status_code == 200


def test_verify_refuses_a_deactivated_users_access_token(api_client, student, admin):
    access = login(api_client, student.email).json()["access"]
    User.objects.filter(pk=student.pk).update(is_active=False)
    assert api_client.post(VERIFY, {"token": access}).status_code == 401


def test_refresh_refuses_a_refresh_token_older_than_the_cutoff(api_client, student):
    # given a refresh token that was never blacklisted (say, the cutoff was set in the shell)
    refresh = login(api_client, student.email).json()["refresh"]
    User.objects.filter(pk=student.pk).update(tokens_valid_after=timezone.now())
    # then it no longer refreshes
    assert api_client.post(REFRESH, {"refresh": refresh}).status_code == 401


def test_the_check_costs_no_query(api_client, student, django_assert_num_queries):
    # given one user who never revoked anything and one who just changed the password
    plain = login(api_client, student.email).json()["access"]
    changer = AdminFactory()
    old = login(api_client, changer.email).json()["access"]
    fresh = bearer(old).post(
        CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    # then reading the profile is the one user query, as before, with or without a cutoff
    for access in (plain, fresh.json()["access"]):
        with django_assert_num_queries(1):
            assert bearer(access).get(ME).status_code == 200
