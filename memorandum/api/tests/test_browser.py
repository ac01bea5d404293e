"""In a real browser: a partner creates a token on the profile page, a program of theirs posts
a progress update with it, and the update is on the initiative's page."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from memorandum.roadmap.models import Initiative
from memorandum.test import BrowserTestCase


@pytest.mark.browser
class PartnerReportsThroughTheApiTestCase(BrowserTestCase):
    def test_a_token_from_the_profile_page_posts_an_update_seen_on_the_web_page(self):
        initiative = Initiative.objects.create(
            edition=self.edition,
            title_nl="Gedeelde databank",
            lead_organisation="Federale Politie",
            start_date=dt.date(2024, 3, 1),
            status="planned",
        )
        initiative.owners.add(self.partner)
        page = self.page
        self.log_in(self.partner)
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(self.url("/nl/profile/"))
        self.assert_accessible()
        page.fill("input[name=name]", "Projecttool")
        page.check("input[name=scope][value=write]")
        page.click("#api-tokens-heading ~ form button[type=submit]")
        secret = page.input_value("#api-token-secret")
        self.assertTrue(secret.startswith("mem_"))
        self.assert_accessible()

        body = json.dumps({"text": "Databank in test bij drie zones.", "status": "ongoing"})
        request = urllib.request.Request(
            self.url(f"/api/v1/editions/2024-2028/initiatives/{initiative.pk}/updates/"),
            data=body.encode(),
            method="POST",
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            self.assertEqual(response.status, 201)

        page.goto(self.url(initiative.get_absolute_url()))
        self.assertIn("Databank in test bij drie zones.", page.content())

        page.goto(self.url("/nl/profile/"))
        page.click("text=Intrekken")
        page.click("main form button[type=submit]")
        page.wait_for_url(self.url("/nl/profile/"))
        self.assertIn("Projecttool", page.content())  # the success message names it
