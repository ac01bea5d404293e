"""The authorisation matrix: every URL pattern, requested by every identity, GET and POST.

The resolver is walked, so a URL that exists is a URL that is checked: each pattern is
requested with real ids from the demo (``load_demo`` on a small number of zones) as anonymous
and as each role, and the answer is compared with the one written down in :data:`MATRIX`,
the one table of who may do what. A pattern without a row fails the test with the row to
add; a row without a pattern fails too.

Answers, per cell: ``200`` (or any other status code, written as a number), ``login`` (a
redirect to the login page, the site's or the admin's), ``302`` (a redirect elsewhere).
POST cells send an empty form: they show whether a role gets past the permission check
(``200`` form errors, ``302`` done or refused with a message, ``400``) or not (``login``,
``403``, ``404``, ``405``). Every cell runs in a savepoint that is rolled back, so no cell
sees what another one did.

The admin's per-model URLs are one row per kind of view (``admin:*_change`` …) for every
registered model; their ``perm`` cells mean "200 (or 302 for the id redirect) when the role
holds the Django permission the view needs, else 403".

After adding a URL, add its row with its arguments and ``"?"`` for both answer lines, print
the answers as they are now, review them (is each 200 meant for that role?) and paste::

    MATRIX_PRINT=1 .venv/bin/python -m pytest memorandum/tests/test_authorisation_matrix.py -q -s
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import tempfile
from typing import NamedTuple

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from memorandum.catalogue import roles
from memorandum.catalogue.models import Edition, PoliceZone, Recommendation, UserProfile

IDENTITIES = (
    "anonymous",
    "secretariat",
    "chief",
    "other_chief",
    "coordinator",
    "assembly",
    "partner",
    "outsider",
)


class Row(NamedTuple):
    """How to call one URL pattern and what each identity gets, in :data:`IDENTITIES` order.

    ``args`` are the pattern's keyword arguments: ``name=key`` takes the real id stored under
    ``key`` in the test data (or ``key`` itself when there is none), a bare ``name`` the id
    stored under ``name``.
    """

    args: str
    get: str
    post: str


# fmt: off
# Columns:     anonymous  secretariat  chief  other_chief  coordinator  assembly  partner  outsider
MATRIX: dict[str, Row] = {
    # --- project ------------------------------------------------------------------------------
    "healthz": Row("",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    # --- the back office (Django's admin), one address only -----------------------------------
    "admin:index": Row("",
        "login  200    login  login  login  login  login  login",
        "login  200    login  login  login  login  login  login"),
    "admin:login": Row("",
        "200    302    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "admin:logout": Row("",
        "302    405    302    302    302    302    302    302",
        "302    302    302    302    302    302    302    302"),
    "admin:password_change": Row("",
        "login  200    login  login  login  login  login  login",
        "login  200    login  login  login  login  login  login"),
    "admin:password_change_done": Row("",
        "login  200    login  login  login  login  login  login",
        "login  405    login  login  login  login  login  login"),
    "admin:autocomplete": Row("",
        "login  403    login  login  login  login  login  login",
        "login  405    login  login  login  login  login  login"),
    "admin:jsi18n": Row("",
        "login  200    login  login  login  login  login  login",
        "login  405    login  login  login  login  login  login"),
    "admin:view_on_site": Row("content_type_id=recommendation_type object_id=recommendation",
        "login  302    login  login  login  login  login  login",
        "login  302    login  login  login  login  login  login"),
    "admin:app_list": Row("app_label=catalogue",
        "login  200    login  login  login  login  login  login",
        "login  200    login  login  login  login  login  login"),
    "admin/(?P<url>.*)$": Row("path=/admin/no-such-page/",
        "login  404    login  login  login  login  login  login",
        "login  404    login  login  login  login  login  login"),
    # Every model's admin views (``perm``: see the module docstring).
    "admin:*_changelist": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    "admin:*_add": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    "admin:*_change": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    "admin:*_delete": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    "admin:*_history": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    "admin:*_redirect": Row("",
        "login  perm   login  login  login  login  login  login",
        "login  perm   login  login  login  login  login  login"),
    # --- project pages ------------------------------------------------------------------------
    "home": Row("",
        "302    302    302    302    302    302    302    302",
        "302    302    302    302    302    302    302    302"),
    "login": Row("",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "logout": Row("",
        "405    405    405    405    405    405    405    405",
        "302    302    302    302    302    302    302    302"),
    "lockouts": Row("",
        "login  200    403    403    403    403    403    403",
        "login  400    403    403    403    403    403    403"),
    # --- catalogue ----------------------------------------------------------------------------
    "catalogue:edition": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:catalogue": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:recommendation": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:history": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:export": Row("slug fmt=xlsx",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:process": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "catalogue:phase_next": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "catalogue:phase_back": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "catalogue:import": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "catalogue:register": Row("",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "catalogue:register_export": Row("fmt=csv",
        "login  200    403    403    403    403    403    403",
        "login  405    403    403    403    403    403    403"),
    # --- consultation -------------------------------------------------------------------------
    "consultation:events": Row("slug",
        "login  200    200    200    200    403    403    403",
        "login  200    200    200    200    403    403    403"),
    "consultation:event_new": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "consultation:proposals": Row("slug",
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403"),
    "consultation:proposal_new": Row("slug",
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403"),
    "consultation:similar_hint": Row("slug",
        "login  200    200    200    403    403    403    403",
        "login  200    200    200    403    403    403    403"),
    "consultation:import": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "consultation:import_template": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "consultation:duplicates": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "consultation:merge": Row("slug",
        "login  302    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "consultation:proposal": Row("slug pk=proposal",
        "login  200    404    404    403    403    403    403",
        "login  200    404    404    403    403    403    403"),
    "consultation:proposal_withdraw": Row("slug pk=proposal",
        "login  405    405    405    405    405    405    405",
        "login  302    404    404    404    404    404    404"),
    "consultation:merges": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "consultation:merge_undo": Row("slug pk=merge",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "consultation:provenance": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    # --- survey -------------------------------------------------------------------------------
    "survey:ballot_token": Row("token",
        "200    200    200    200    200    200    200    200",
        "400    400    400    400    400    400    400    400"),
    "survey:count_status": Row("slug pk=tallied_survey",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "survey:list": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "survey:create": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "survey:detail": Row("slug pk=open_survey",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "survey:edit": Row("slug pk=open_survey",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "survey:action": Row("slug pk=open_survey action=remind",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "survey:invitation_action": Row("slug pk=open_survey invitation action=resend",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "survey:participation": Row("slug pk=open_survey",
        "login  200    403    403    200    403    403    403",
        "login  200    403    403    200    403    403    403"),
    "survey:my_ballot": Row("slug pk=open_survey",
        "login  403    200    200    403    403    403    403",
        "login  403    400    400    403    403    403    403"),
    "survey:results": Row("slug pk=tallied_survey",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "survey:chart": Row("slug pk=tallied_survey name=intervals",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "survey:ballots_export": Row("slug pk=tallied_survey",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "survey:export": Row("slug pk=tallied_survey fmt=csv",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    # --- impact -------------------------------------------------------------------------------
    "impact:estimate_token": Row("token=impact_token",
        "200    200    200    200    200    200    200    200",
        "400    400    400    400    400    400    400    400"),
    "impact:missions": Row("slug",
        "login  200    200    200    200    200    200    403",
        "login  200    200    200    200    200    200    403"),
    "impact:mission_create": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "impact:mission": Row("slug pk=impact_mission",
        "login  200    200    200    200    200    200    403",
        "login  200    403    403    403    403    403    403"),
    "impact:mission_edit": Row("slug pk=impact_mission",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "impact:round": Row("slug pk=open_round",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "impact:round_action": Row("slug pk=open_round action=remind",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "impact:my_estimate": Row("slug pk=open_round",
        "login  403    200    200    403    403    403    403",
        "login  403    400    400    403    403    403    403"),
    "impact:report": Row("slug pk=counted_round",
        "login  200    200    200    200    200    200    403",
        "login  200    200    200    200    200    200    403"),
    "impact:download": Row("slug pk=counted_round filename=figures.xlsx",
        "login  200    200    200    200    200    200    403",
        "login  200    200    200    200    200    200    403"),
    # --- assembly -----------------------------------------------------------------------------
    "assembly:meetings": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "assembly:meeting_new": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "assembly:adopted": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "assembly:meeting": Row("slug pk=meeting",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "assembly:meeting_edit": Row("slug pk=meeting",
        "login  302    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "assembly:agenda_item_new": Row("slug pk=meeting",
        "login  302    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "assembly:decision_new": Row("slug pk=meeting item_pk=item",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "assembly:minutes": Row("slug pk=meeting lang=nl fmt=docx",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    # --- publication --------------------------------------------------------------------------
    "assembly:recommendation": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "assembly:decision_correct": Row("slug pk=meeting item_pk=item decision_pk=decision",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "assembly:publish": Row("slug pk=meeting",
        "login  302    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "assembly:meeting_delete": Row("slug pk=meeting",
        "login  200    403    403    403    403    403    403",
        "login  409    403    403    403    403    403    403"),
    "publication:memorandum": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "publication:download": Row("slug lang=nl fmt=docx",
        "302    302    302    302    302    302    302    302",
        "302    302    302    302    302    302    302    302"),
    "publication:preview": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "publication:publish": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "publication:version": Row("slug number=version",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "publication:version_file": Row("slug number=version lang=nl fmt=pdf",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    # --- roadmap (the initiative is a partner's, not public) ----------------------------------
    "roadmap:dashboard": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "roadmap:status_chart": Row("slug by=domain",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "roadmap:timeline_chart": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "roadmap:recommendation": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "roadmap:initiative_create": Row("slug",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "roadmap:initiative": Row("slug pk=initiative",
        "404    200    200    200    200    200    200    404",
        "404    200    200    200    200    200    200    404"),
    "roadmap:initiative_edit": Row("slug pk=initiative",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:record_update": Row("slug pk=initiative",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:add_milestone": Row("slug pk=initiative",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:edit_milestone": Row("slug pk=initiative milestone_pk=milestone",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:milestone_done": Row("slug pk=initiative milestone_pk=milestone",
        "login  405    405    405    405    405    405    405",
        "login  200    403    403    403    403    200    404"),
    "roadmap:add_indicator": Row("slug pk=initiative",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:indicator_chart": Row("slug pk=initiative indicator_pk=indicator",
        "404    200    200    200    200    200    200    404",
        "404    200    200    200    200    200    200    404"),
    "roadmap:add_measurement": Row("slug pk=initiative",
        "login  200    403    403    403    403    200    404",
        "login  200    403    403    403    403    200    404"),
    "roadmap:delete_measurement": Row("slug pk=initiative measurement_pk=measurement",
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    302    404"),
    "roadmap:raise_point": Row("slug pk=initiative",
        "login  200    200    200    200    200    200    404",
        "login  200    200    200    200    200    200    404"),
    "roadmap:resolve_point": Row("slug pk=initiative point_pk=point",
        "login  405    405    405    405    405    405    405",
        "login  302    403    403    403    403    302    404"),
    "roadmap:attachment": Row("slug pk=initiative update_pk=update",
        "404    200    200    200    200    200    200    404",
        "404    200    200    200    200    200    200    404"),
    "roadmap:export": Row("slug",
        "200    200    200    200    200    200    200    200",
        "200    200    200    200    200    200    200    200"),
    "imports:job": Row("pk=import_job",
        "login  404    404    404    404    404    200    404",
        "login  405    405    405    405    405    405    405"),
    "roadmap:import": Row("slug",
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200"),
    "roadmap:report": Row("slug",
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200"),
    # --- accounts, audit log, profile ---------------------------------------------------------
    "catalogue:profile": Row("",
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200"),
    "audit:log": Row("",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "audit:export": Row("fmt=csv",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "accounts:list": Row("",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "accounts:invite": Row("",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "accounts:edit": Row("pk=account",
        "login  200    403    403    403    403    403    403",
        "login  200    403    403    403    403    403    403"),
    "accounts:deactivate": Row("pk=account",
        "login  200    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "accounts:reactivate": Row("pk=account",
        "login  405    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "accounts:resend": Row("pk=account",
        "login  405    403    403    403    403    403    403",
        "login  302    403    403    403    403    403    403"),
    "accounts:set_password": Row("token=welcome_token",
        "400    400    400    400    400    400    400    400",
        "400    400    400    400    400    400    400    400"),
    "accounts:me": Row("",
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200"),
    "accounts:password": Row("",
        "login  200    200    200    200    200    200    200",
        "login  200    200    200    200    200    200    200"),
    # --- the JSON API (memorandum/api) and the token section of the profile page ---------------
    # With the site's session, as every row here; tokens and scopes: memorandum/api/tests.
    "api_tokens:create": Row("",
        "login  405    405    405    405    405    405    405",
        "login  400    400    400    400    400    400    400"),
    "api_tokens:revoke": Row("pk=api_token",
        "login  404    404    404    404    404    200    404",
        "login  404    404    404    404    404    302    404"),
    "api:docs": Row("",
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405"),
    "api:schema": Row("",
        "200    200    200    200    200    200    200    200",
        "405    405    405    405    405    405    405    405"),
    "api:editions": Row("",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:edition": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:domains": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:recommendations": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    415    403    403    403    403    403    403"),
    "api:recommendation": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:versions": Row("slug code",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:decisions": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:publications": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:surveys": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:survey": Row("slug pk=tallied_survey",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:results": Row("slug pk=tallied_survey",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:initiatives": Row("slug",
        "200    200    200    200    200    200    200    200",
        "401    405    405    405    405    405    405    405"),
    "api:initiative": Row("slug pk=initiative",
        "404    200    200    200    200    200    200    404",
        "401    405    405    405    405    405    405    405"),
    "api:updates": Row("slug pk=initiative",
        "405    405    405    405    405    405    405    405",
        "401    415    403    403    403    403    415    404"),
    "api:milestone_done": Row("slug pk=initiative milestone",
        "405    405    405    405    405    405    405    405",
        "401    415    403    403    403    403    415    404"),
    "api:measurements": Row("slug pk=initiative",
        "405    405    405    405    405    405    405    405",
        "401    415    403    403    403    403    415    404"),
    "api:not_found": Row("path=/api/v1/no-such-thing/",
        "404    404    404    404    404    404    404    404",
        "404    404    404    404    404    404    404    404"),
}
# fmt: on


def admin_answers(kind: str, method: str, model_admin, obj, user) -> set[str]:
    """What a staff user gets from an admin view: what the ModelAdmin's own rules allow.

    An empty POST to an add or change form is either refused as invalid (200) or, for a
    form whose fields are all read-only or optional, saved (302).
    """
    request = RequestFactory().get("/admin/")
    request.user = user
    if kind == "redirect":
        return {"302"}
    if kind == "add":
        allowed = model_admin.has_add_permission(request)
    elif kind == "delete":
        allowed = model_admin.has_delete_permission(request, obj)
    elif kind == "change" and method == "post":
        allowed = model_admin.has_change_permission(request, obj)
    else:
        allowed = model_admin.has_view_or_change_permission(request, obj)
    if not allowed:
        return {"403"}
    return {"200", "302"} if method == "post" and kind in ("add", "change") else {"200"}


# Development-only patterns (media files under DEBUG) are not part of what is deployed.
SKIPPED_VIEWS = {"django.views.static.serve"}


def walk(patterns, prefix: str = "", namespace: str = ""):
    """Every URL pattern under ``patterns``: (route, full name, pattern)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            full = f"{namespace}:{name}" if namespace and name else name
            yield prefix + str(pattern.pattern), full, pattern


def view_path(pattern: URLPattern) -> str:
    callback = pattern.callback
    return f"{callback.__module__}.{getattr(callback, '__name__', '')}"


def answer_class(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if location.startswith(("/nl/login/", "/fr/login/", "/en/login/", "/admin/login/")):
            return "login"
        return "302"
    return str(response.status_code)


class AuthorisationMatrixTestCase(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        # Attachments of roadmap updates are written to and read from a private folder.
        cls.attachments = tempfile.TemporaryDirectory()
        cls.attachments_setting = override_settings(ROADMAP_ATTACHMENTS_ROOT=cls.attachments.name)
        cls.attachments_setting.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.attachments_setting.disable()
        cls.attachments.cleanup()

    @classmethod
    def setUpTestData(cls) -> None:
        with override_settings(DEBUG=True):
            call_command("load_demo", zones=24, stdout=io.StringIO())
        User = get_user_model()
        cls.users = {name: User.objects.get(username=name) for name in ("secretariat", "chief")}
        cls.users["coordinator"] = User.objects.get(username="coordinator")
        cls.users["assembly"] = User.objects.get(username="assembly")
        cls.users["partner"] = User.objects.get(username="partner")
        chief_zone = cls.users["chief"].profile.zone
        other_zone = PoliceZone.objects.exclude(pk=chief_zone.pk).order_by("pk").first()
        other = User.objects.create_user("other_chief", password="a-long-password-7")
        other.groups.add(Group.objects.get(name=roles.CORPS_CHIEF))
        UserProfile.objects.create(user=other, zone=other_zone)
        cls.users["other_chief"] = other
        outsider = User.objects.create_user("outsider", password="a-long-password-8")
        UserProfile.objects.create(user=outsider)
        cls.users["outsider"] = outsider
        cls.ids = cls.real_ids()

    @classmethod
    def real_ids(cls) -> dict[str, object]:
        """The ids every row's arguments are taken from: real objects of the demo."""
        from memorandum.api.models import ApiToken
        from memorandum.assembly.models import Meeting
        from memorandum.consultation.models import Merge, Proposal
        from memorandum.impact.models import EstimateRound, RoundStatus
        from memorandum.imports.models import ImportJob
        from memorandum.roadmap.models import Initiative, PointOfAttention, Update
        from memorandum.survey.models import Survey, SurveyStatus

        edition = Edition.objects.get(slug="2024-2028")
        chief = cls.users["chief"]
        open_survey = Survey.objects.filter(edition=edition, status=SurveyStatus.OPEN).first()
        tallied = Survey.objects.filter(edition=edition, status=SurveyStatus.TALLIED).first()
        invitation = open_survey.invitations.get(zone=chief.profile.zone)
        token = invitation.new_token()
        invitation.save()
        meeting = Meeting.objects.filter(edition=edition, items__isnull=False).first()
        open_round = EstimateRound.objects.get(status=RoundStatus.OPEN)
        counted_round = EstimateRound.objects.get(status=RoundStatus.COUNTED)
        impact_invitation = open_round.invitations.get(zone=chief.profile.zone)
        impact_token = impact_invitation.new_token()
        impact_invitation.save()
        # A partner's initiative that is not public: owners, the secretariat and nobody else.
        initiative = (
            Initiative.objects.filter(
                edition=edition,
                owners=cls.users["partner"],
                is_public=False,
                indicators__measurements__isnull=False,
                milestones__isnull=False,
            )
            .distinct()
            .first()
        )
        indicator = initiative.indicators.filter(measurements__isnull=False).first()
        point = initiative.points_of_attention.first() or PointOfAttention.objects.create(
            initiative=initiative, text="Matrix", raised_by=cls.users["partner"]
        )
        update = Update.objects.create(
            initiative=initiative,
            author=cls.users["partner"],
            text="Matrix",
            attachment=SimpleUploadedFile("nota.txt", b"tekst", "text/plain"),
        )
        proposal = Proposal.objects.filter(edition=edition, author=chief).first()
        # An import the worker ran for the partner: only the partner follows it.
        import_job = ImportJob.objects.create(
            kind="follow_up",
            edition=edition,
            user=cls.users["partner"],
            language="nl",
            file_name="opvolging.xlsx",
            content=b"",
            status="refused",
        )
        return {
            "slug": edition.slug,
            "code": Recommendation.objects.filter(edition=edition).order_by("pk").first().code,
            "proposal": (proposal or Proposal.objects.filter(edition=edition).first()).pk,
            "merge": Merge.objects.filter(edition=edition).first().pk,
            "open_survey": open_survey.pk,
            "tallied_survey": tallied.pk,
            "invitation": invitation.pk,
            "token": token,
            "open_round": open_round.pk,
            "counted_round": counted_round.pk,
            "impact_mission": open_round.mission_id,
            "impact_token": impact_token,
            "meeting": meeting.pk,
            "item": meeting.items.first().pk,
            "initiative": initiative.pk,
            "milestone": initiative.milestones.first().pk,
            "indicator": indicator.pk,
            "measurement": indicator.measurements.first().pk,
            "point": point.pk,
            "update": update.pk,
            "recommendation_type": ContentType.objects.get_for_model(Recommendation).pk,
            "recommendation": Recommendation.objects.filter(edition=edition).first().pk,
            "decision": meeting.items.first().decisions.order_by("pk").first().pk,
            "version": 1,
            "account": cls.users["other_chief"].pk,
            "welcome_token": "MQ-not-a-valid-link",
            "import_job": import_job.pk,
            "api_token": ApiToken.issue(
                user=cls.users["partner"],
                name="Matrix",
                scope="write",
                expires_at=timezone.now() + dt.timedelta(days=3650),
            )[0].pk,
        }

    # --- the cells --------------------------------------------------------------------------

    def patterns(self) -> list[tuple[str, str, URLPattern]]:
        with translation.override("nl"):
            return [
                (route, name, pattern)
                for route, name, pattern in walk(get_resolver().url_patterns)
                if view_path(pattern) not in SKIPPED_VIEWS
            ]

    def admin_cases(self, name: str, route: str) -> tuple[str, list[tuple]] | None:
        """For an admin per-model URL: its kind and (url, model admin, object) per model."""
        kinds = ("changelist", "add", "change", "delete", "history")
        if not name:
            if not route.startswith("admin/") or "<path:object_id>/" not in route:
                return None
            kind = "redirect"
        else:
            kind = next((k for k in kinds if name.startswith("admin:") and name.endswith(k)), "")
            if not kind:
                return None
        cases = []
        models = [
            model
            for model in admin.site._registry
            if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/")
        ]
        if not models:
            return None  # e.g. admin:password_change, which only ends like a model view
        for model in models:
            meta = model._meta
            obj = model._default_manager.order_by("pk").first()
            prefix = f"admin:{meta.app_label}_{meta.model_name}"
            if kind in ("changelist", "add"):
                url = reverse(f"{prefix}_{kind}")
            elif obj is None:
                continue
            elif kind == "redirect":
                url = reverse(f"{prefix}_changelist") + f"{obj.pk}/"
            else:
                url = reverse(f"{prefix}_{kind}", args=[obj.pk])
            cases.append((url, admin.site._registry[model], obj))
        return kind, cases

    def url_for(self, name: str, row: Row) -> str:
        if row.args.startswith("path="):  # an unnamed pattern: the path itself
            return row.args.removeprefix("path=")
        kwargs = {}
        for item in row.args.split():
            key, _, source = item.partition("=")
            source = source or key
            kwargs[key] = self.ids.get(source, source)
        with translation.override("nl"):
            return reverse(name, kwargs=kwargs)

    def setUp(self) -> None:
        # One signed-in client per identity; each cell restores its cookies afterwards, so a
        # cell that logs out or signs in again leaves the next one as it found it.
        self.clients = {}
        for identity in IDENTITIES:
            client = Client(raise_request_exception=False)  # a 500 is a cell like any other
            if identity != "anonymous":
                client.force_login(self.users[identity])
            self.clients[identity] = client

    def answer(self, identity: str, method: str, url: str) -> str:
        cache.clear()  # guess counters must not leak from one cell into the next
        client = self.clients[identity]
        cookies = copy.deepcopy(client.cookies)
        try:
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return answer_class(response)

    def test_every_url_answers_every_identity_as_written_down(self):
        """One table for every URL × identity × method; a URL without a row fails."""
        missing, wrong, seen, cells = [], [], set(), 0
        printed: dict[str, tuple[list[str], list[str]]] = {}
        for route, name, _pattern in self.patterns():
            admin_case = self.admin_cases(name, route)
            if admin_case:
                kind, cases = admin_case
                key = f"admin:*_{kind}"
                seen.add(key)
                row = MATRIX.get(key)
                if row is None:
                    missing.append(f"{key}  ({route})")
                    continue
                for url, model_admin, obj in cases:
                    for method, expected_line in (("get", row.get), ("post", row.post)):
                        for identity, expected in zip(
                            IDENTITIES, expected_line.split(), strict=True
                        ):
                            allowed = {expected}
                            if expected == "perm":
                                allowed = admin_answers(
                                    kind, method, model_admin, obj, self.users[identity]
                                )
                            got = self.answer(identity, method, url)
                            cells += 1
                            if got not in allowed:
                                wrong.append(
                                    f"{method.upper()} {url} as {identity}: {got}, table says {expected}"
                                )
                continue
            key = name or route
            seen.add(key)
            row = MATRIX.get(key)
            if row is None:
                missing.append(f"{key}  ({route})")
                continue
            url = self.url_for(name, row)
            answers = {}
            for method, expected_line in (("get", row.get), ("post", row.post)):
                answers[method] = []
                expected_cells = expected_line.split()
                if expected_cells == ["?"]:
                    expected_cells = ["?"] * len(IDENTITIES)
                for identity, expected in zip(IDENTITIES, expected_cells, strict=True):
                    got = self.answer(identity, method, url)
                    answers[method].append(got)
                    cells += 1
                    if got != expected:
                        wrong.append(
                            f"{method.upper()} {url} as {identity}: {got}, table says {expected}"
                        )
            printed[key] = (answers["get"], answers["post"])
        if os.environ.get("MATRIX_PRINT"):
            for key, (get, post) in printed.items():
                print(f'    "{key}": Row("{MATRIX[key].args if key in MATRIX else ""}",')
                print(f'        "{"  ".join(f"{a:5}" for a in get).rstrip()}",')
                print(f'        "{"  ".join(f"{a:5}" for a in post).rstrip()}"),')
        stale = sorted(set(MATRIX) - seen)
        problems = []
        if missing:
            problems.append(
                "These URL patterns have no row in MATRIX (memorandum/tests/test_authorisation_matrix.py); "
                "add one per pattern, with its arguments and the answer each identity should get "
                "(MATRIX_PRINT=1 prints what they get now):\n  " + "\n  ".join(missing)
            )
        if stale:
            problems.append(
                "These MATRIX rows match no URL pattern any more:\n  " + "\n  ".join(stale)
            )
        if wrong:
            problems.append(
                f"{len(wrong)} of {cells} cells differ from the table:\n  " + "\n  ".join(wrong)
            )
        self.assertFalse(problems, "\n\n".join(problems))
        print(f"\nauthorisation matrix: {cells} cells checked")
