"""Personal tokens: created on the profile page, shown once, stored hashed, scoped, revoked."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from memorandum.api.models import ApiToken, digest
from memorandum.api.tests.base import API, ApiTestCase
from memorandum.audit.models import AuditEntry


class TokenPageTestCase(ApiTestCase):
    def test_the_profile_page_has_a_token_section(self):
        self.login(self.partner)
        response = self.client.get("/nl/profile/")
        self.assertContains(response, "API-tokens")
        self.assertContains(response, 'action="/nl/profile/api-tokens/"')

    def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(self):
        self.login(self.partner)
        expires = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        response = self.client.post(
            "/nl/profile/api-tokens/",
            {"name": "Projecttool", "scope": "write", "expires_on": expires},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        secret = response.context["secret"]
        self.assertTrue(secret.startswith("mem_"))
        token = ApiToken.objects.get(user=self.partner)
        self.assertEqual(token.digest, digest(secret))
        self.assertNotIn(secret, str(ApiToken.objects.values_list()))
        self.assertNotContains(self.client.get("/nl/profile/"), secret)
        self.assertContains(self.client.get("/nl/profile/"), "Projecttool")
        answer = self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertEqual(answer.status_code, 200)

    def test_an_expiry_in_the_past_or_too_far_is_refused_in_the_users_language(self):
        self.login(self.partner)
        response = self.client.post(
            "/fr/profile/api-tokens/", {"name": "x", "scope": "read", "expires_on": "2001-01-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choisissez une date", status_code=400)
        self.assertFalse(ApiToken.objects.exists())

    def test_revoking_asks_for_confirmation_then_the_token_stops_working(self):
        secret = self.token(self.partner)
        token = ApiToken.objects.get(user=self.partner)
        self.login(self.partner)
        url = f"/nl/profile/api-tokens/{token.pk}/revoke/"
        self.assertContains(self.client.get(url), "kan niet ongedaan")
        self.client.post(url)
        response = self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_creating_and_revoking_are_in_the_audit_log_without_the_secret(self):
        self.login(self.partner)
        expires = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        response = self.client.post(
            "/nl/profile/api-tokens/",
            {"name": "Projecttool", "scope": "write", "expires_on": expires},
        )
        secret = response.context["secret"]
        token = ApiToken.objects.get(user=self.partner)
        created = AuditEntry.objects.get(action="account.api_token_created")
        self.assertEqual((created.actor, created.object_id), (self.partner, str(token.pk)))
        self.assertEqual(created.details["scope"], "write")
        self.client.post(f"/nl/profile/api-tokens/{token.pk}/revoke/")
        self.client.post(f"/nl/profile/api-tokens/{token.pk}/revoke/")  # twice: one entry
        revoked = AuditEntry.objects.filter(action="account.api_token_revoked")
        self.assertEqual(revoked.count(), 1)
        self.assertNotIn(secret, str(AuditEntry.objects.values_list()))

    @override_settings(API_TOKEN_MAX_ACTIVE=2)
    def test_a_person_holds_at_most_the_cap_of_active_tokens_and_is_told_what_to_do(self):
        self.token(self.partner)
        self.token(self.partner)
        expired = ApiToken.objects.filter(user=self.partner).first()
        self.login(self.partner)
        expires = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        form = {"name": "Derde", "scope": "read", "expires_on": expires}
        response = self.client.post("/fr/profile/api-tokens/", form)
        self.assertContains(response, "déjà 2 jetons actifs", status_code=400)
        self.assertEqual(ApiToken.objects.filter(user=self.partner).count(), 2)
        # an expired or revoked token does not count
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        self.assertEqual(self.client.post("/fr/profile/api-tokens/", form).status_code, 200)
        self.assertEqual(self.client.post("/fr/profile/api-tokens/", form).status_code, 400)

    def test_nobody_revokes_another_persons_token(self):
        self.token(self.partner)
        token = ApiToken.objects.get(user=self.partner)
        self.login(self.chief)
        self.assertEqual(
            self.client.post(f"/nl/profile/api-tokens/{token.pk}/revoke/").status_code, 404
        )
        self.assertIsNone(ApiToken.objects.get(pk=token.pk).revoked_at)


class TokenUseTestCase(ApiTestCase):
    def test_an_expired_token_is_refused(self):
        secret = self.token(self.partner, days=-1)
        response = self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertEqual(response.status_code, 401)

    def test_a_token_of_a_deactivated_account_is_refused(self):
        secret = self.token(self.partner)
        self.partner.is_active = False
        self.partner.save()
        self.assertEqual(
            self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code, 401
        )

    def test_a_read_token_cannot_write(self):
        secret = self.token(self.chief, scope="read")
        response = self.client.post(
            f"{API}initiatives/{self.public_initiative.pk}/updates/",
            {"text": "Vooruitgang"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.public_initiative.updates.exists())

    def test_a_token_reads_what_its_owner_reads(self):
        url = f"initiatives/{self.private_initiative.pk}/"
        self.get_json(url, self.other_chief)
        self.get_json(url, self.outsider, status=404)

    def test_using_a_token_records_when(self):
        secret = self.token(self.partner)
        self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.assertIsNotNone(ApiToken.objects.get(user=self.partner).last_used_at)


@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "anonymous": "2/minute"},
    }
)
class RateLimitTestCase(ApiTestCase):
    def test_each_token_has_its_own_limit_then_429_with_retry_after(self):
        first, second = self.token(self.partner), self.token(self.chief)
        for _ in range(3):
            self.assertEqual(
                self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {first}").status_code, 200
            )
        refused = self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {first}")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Content-Type"], "application/problem+json")
        self.assertGreater(int(refused["Retry-After"]), 0)
        self.assertEqual(
            self.client.get(API, HTTP_AUTHORIZATION=f"Bearer {second}").status_code, 200
        )

    def test_anonymous_callers_are_limited_per_address(self):
        for _ in range(2):
            self.assertEqual(self.client.get(API).status_code, 200)
        self.assertEqual(self.client.get(API).status_code, 429)
