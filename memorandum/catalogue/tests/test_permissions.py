from django.test import RequestFactory

from memorandum.catalogue.models import Recommendation
from memorandum.test import BaseTestCase


class BackOfficeTestCase(BaseTestCase):
    def setUp(self):
        self.r1 = Recommendation.objects.get(edition=self.edition, kind="recommendation", number=1)
        self.change_url = f"/admin/catalogue/recommendation/{self.r1.pk}/change/"

    def test_the_secretariat_can_edit_a_recommendation(self):
        self.login(self.secretariat)
        self.assertEqual(self.client.get(self.change_url).status_code, 200)

    def test_a_corps_chief_cannot_edit_the_catalogue(self):
        self.login(self.chief)
        response = self.client.get(self.change_url)
        self.assertNotEqual(response.status_code, 200)
        response = self.client.post(self.change_url, {"title_nl": "Gekaapt"})
        self.r1.refresh_from_db()
        self.assertNotEqual(self.r1.title_nl, "Gekaapt")

    def test_nobody_but_the_secretariat_may_import(self):
        for user in (self.chief, self.assembly, self.partner, self.coordinator, self.outsider):
            self.login(user)
            self.assertEqual(
                self.client.get("/nl/editions/2024-2028/import/").status_code, 403, user.username
            )

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get("/nl/editions/2024-2028/import/")
        self.assertRedirects(response, "/nl/login/?next=/nl/editions/2024-2028/import/")

    def test_the_secretariat_sees_the_import_page(self):
        self.login(self.secretariat)
        self.assertEqual(self.client.get("/nl/editions/2024-2028/import/").status_code, 200)

    def test_roles_exist_as_groups(self):
        from django.contrib.auth.models import Group

        names = set(Group.objects.values_list("name", flat=True))
        self.assertTrue(
            {"secretariat", "corps_chief", "assembly_member", "partner", "public"} <= names
        )


# Sign-in is rate-limited per address (django-axes), so authenticating needs the request.
SIGN_IN = RequestFactory().post("/nl/login/")


class DemoPasswordTestCase(BaseTestCase):
    def setUp(self):
        self.secretariat.set_password("demo")
        self.secretariat.save()

    def test_the_demo_password_works_in_development(self):
        with self.settings(DEBUG=True):
            self.assertTrue(
                self.client.login(request=SIGN_IN, username="secretariat", password="demo")
            )

    def test_the_demo_password_is_refused_in_production(self):
        with self.settings(DEBUG=False):
            self.assertFalse(
                self.client.login(request=SIGN_IN, username="secretariat", password="demo")
            )
