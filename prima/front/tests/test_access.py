"""Every view has an access test, and nobody gets in without logging in.

How this works (read this when you add a view)
-----------------------------------------------
``ACCESS_TESTS`` maps the name of every URL pattern of ``prima.urls`` (with its namespace,
e.g. ``"conferences:detail"``; API operations are ``"api:<function name>"``) to the test or
tests that check who may open it: anonymous visitors (log-in redirect, or 401 for the API),
the personas who may (200) and the outsider from another office (404 for objects of
Soekarno-Hatta), and 403 for a role that may see but not act. Tests are written
``"path/to/test_module.py::test_function"``.

- :func:`test_every_view_has_an_access_test` walks all URL patterns and fails for any named
  pattern that is neither in ``ACCESS_TESTS`` nor in ``SKIPPED``: when you add a view, write
  its access test and add a line below.
- :func:`test_registered_access_tests_exist` fails when a line points to a test function
  that does not exist, or names a URL pattern that no longer exists.
- :func:`test_anonymous_visitors_cannot_open_any_view` requests every pattern as an
  anonymous visitor, with dummy values for its parameters (1 for ``int``, ``"x"`` for
  ``str``/``slug``/``path``, a random UUID for ``uuid``; a pattern that cannot be reversed
  with these is skipped): pages must redirect to the log-in page and API operations answer
  401 (or 403/405), unless the name is in ``PUBLIC``.

``SKIPPED`` holds what has no view of ours to test: the admin site (one gate for all of it,
:class:`prima.front.admin_site.PrimaAdminSite`, tested here by
:func:`test_only_administrators_get_into_the_admin`), Django's i18n views and django-ninja's
internal pages. Unnamed patterns (static and media files under DEBUG) are skipped too.
"""

from __future__ import annotations

import importlib
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from prima.conftest import client_for, make_person
from prima.organizations.models import Role

OT = "prima/organizations/tests"
FT = "prima/front/tests"
MT = "prima/monitoring/tests/test_views_access.py"
MM = "prima/monitoring/tests/test_views_model.py"
CT = "prima/conferences/tests/test_views_access.py"
CRV = "prima/crisis/tests/test_views_access.py"
CRA = "prima/crisis/tests/test_api.py"
KT = "prima/catalogue/tests/test_views.py"
PV = "prima/portal/tests/test_public_visibility.py"
PS = "prima/portal/tests/test_staff.py"
PA = "prima/portal/tests/test_api.py"
DV = "prima/documents/tests/test_verification_views.py"
DG = "prima/documents/tests/test_generation_views.py"
EP = "prima/evaluation/tests/test_postevent_views.py"
EPA = "prima/evaluation/tests/test_postevent_api.py"
EV = "prima/evaluation/tests/test_indicator_views.py"
EVD = "prima/evaluation/tests/test_indicators_document.py"

ACCESS_TESTS: dict[str, str | tuple[str, ...]] = {
    # --- front ---------------------------------------------------------------------------
    "home": (
        f"{FT}/test_home.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{FT}/test_home.py::test_every_persona_gets_the_home_page",
        f"{FT}/test_home.py::test_others_do_not_see_my_attention_items",
    ),
    "healthz": f"{FT}/test_healthz.py::test_it_reports_the_database_without_a_log_in",
    # --- organizations -------------------------------------------------------------------
    "login": (
        f"{OT}/test_login.py::test_anonymous_visitors_see_the_form",
        f"{OT}/test_login.py::test_a_logged_in_person_is_sent_home",
    ),
    "logout": f"{OT}/test_login.py::test_log_out_needs_a_post_and_ends_the_session",
    "admin-login": (
        f"{OT}/test_login.py::test_the_admin_log_in_form_is_prima_s_own_sign_in",
        f"{OT}/test_login.py::test_a_signed_in_person_without_the_admin_is_refused_not_looped",
    ),
    "login-code": (
        f"{OT}/test_twofactor_access.py::test_the_second_step_pages_open_only_after_the_password",
        f"{OT}/test_twofactor.py::test_with_a_factor_the_password_alone_opens_nothing",
    ),
    "login-setup": (
        f"{OT}/test_twofactor_access.py::test_the_second_step_pages_open_only_after_the_password",
        f"{OT}/test_twofactor.py::test_a_required_role_without_a_factor_must_enrol_before_anything_else",
    ),
    "reauth": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_every_persona_opens_their_own_settings",
    ),
    "twofactor": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_every_persona_opens_their_own_settings",
    ),
    "twofactor-setup": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_every_persona_opens_their_own_settings",
    ),
    "twofactor-disable": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_own_actions_need_a_post",
        f"{OT}/test_twofactor.py::test_turning_off_needs_a_fresh_confirmation",
    ),
    "twofactor-recovery-codes": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_own_actions_need_a_post",
    ),
    "twofactor-reset": (
        f"{OT}/test_twofactor_access.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_twofactor_access.py::test_only_administrators_over_the_person_s_office_may_reset",
    ),
    "office-list": (
        f"{OT}/test_office_list.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_office_list.py::test_each_persona_sees_the_offices_their_roles_reach",
        f"{OT}/test_office_list.py::test_bali_sees_nothing_of_jakarta",
    ),
    "office-detail": (
        f"{OT}/test_office_detail.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_office_detail.py::test_who_may_open_which_office",
        f"{OT}/test_office_detail.py::test_bali_sees_nothing_of_jakarta",
    ),
    "audit-list": (
        f"{OT}/test_audit_list.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_audit_list.py::test_who_may_read_the_trail",
        f"{OT}/test_audit_list.py::test_who_may_export",
        f"{OT}/test_audit_list.py::test_bali_sees_nothing_of_jakarta",
    ),
    "privacy-record": (
        f"{OT}/test_privacy_record.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_record.py::test_who_may_see_the_record",
        f"{OT}/test_privacy_record.py::test_an_office_out_of_reach_is_not_found",
        f"{OT}/test_privacy_record.py::test_bali_sees_nothing_of_jakarta",
    ),
    "privacy-record-csv": (
        f"{OT}/test_privacy_record.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_record.py::test_who_may_see_the_record",
        f"{OT}/test_privacy_record.py::test_an_office_out_of_reach_is_not_found",
    ),
    "breach-list": (
        f"{OT}/test_privacy_breach.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_breach.py::test_who_may_see_the_register_and_a_breach",
        f"{OT}/test_privacy_breach.py::test_bali_sees_nothing_of_jakarta",
    ),
    "breach-create": (
        f"{OT}/test_privacy_breach.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_breach.py::test_who_may_register_a_breach",
        f"{OT}/test_privacy_breach.py::test_an_administrator_registers_for_an_office_of_the_sub_tree",
    ),
    "breach-detail": (
        f"{OT}/test_privacy_breach.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_breach.py::test_who_may_see_the_register_and_a_breach",
        f"{OT}/test_privacy_breach.py::test_bali_sees_nothing_of_jakarta",
    ),
    "breach-edit": (
        f"{OT}/test_privacy_breach.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_breach.py::test_who_may_change_a_breach",
        f"{OT}/test_privacy_breach.py::test_bali_sees_nothing_of_jakarta",
    ),
    "breach-act": (
        f"{OT}/test_privacy_breach.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_privacy_breach.py::test_who_may_change_a_breach",
        f"{OT}/test_privacy_breach.py::test_an_unknown_action_is_a_400",
    ),
    "audit-object-history": (
        f"{OT}/test_object_history.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_object_history.py::test_who_may_read_the_history_of_soekarno_hatta",
        f"{OT}/test_object_history.py::test_who_may_export_the_history",
    ),
    # --- data-subject requests (prima/organizations/privacy/views.py) ---------------------
    "subjectrequest-list": (
        f"{FT}/test_subject_requests.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{FT}/test_subject_requests.py::test_who_may_see_the_list",
        f"{FT}/test_subject_requests.py::test_another_office_sees_nothing",
    ),
    "subjectrequest-create": (
        f"{FT}/test_subject_requests.py::test_who_may_register_a_request",
        f"{FT}/test_subject_requests.py::test_a_request_of_another_office_cannot_be_registered",
    ),
    "subjectrequest-detail": (
        f"{FT}/test_subject_requests.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{FT}/test_subject_requests.py::test_who_may_open_the_detail",
        f"{FT}/test_subject_requests.py::test_another_office_sees_nothing",
    ),
    "subjectrequest-export": (
        f"{FT}/test_subject_requests.py::test_who_may_export",
        f"{FT}/test_subject_requests.py::test_an_unknown_export_format_is_refused",
        f"{FT}/test_subject_requests.py::test_another_office_sees_nothing",
    ),
    "subjectrequest-correct": f"{FT}/test_subject_requests.py::test_who_may_correct",
    "subjectrequest-erase": (
        f"{FT}/test_subject_requests.py::test_who_may_erase",
        f"{FT}/test_subject_requests.py::test_export_and_erasure_ask_a_stale_session_to_confirm_who_it_is",
    ),
    "subjectrequest-close": f"{FT}/test_subject_requests.py::test_who_may_close",
    # --- account lifecycle (prima/organizations/account_views.py) ------------------------
    "people-list": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_sees_the_people_list",
        f"{OT}/test_account_views.py::test_the_people_list_keeps_to_the_office_tree",
    ),
    "people-invite": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_invite",
    ),
    "invitation-withdraw": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_withdrawing_an_invitation",
    ),
    "person-detail": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_open_a_persons_page",
    ),
    "person-deactivate": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_act_on_a_person",
    ),
    "person-reactivate": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_act_on_a_person",
    ),
    "person-reset-password": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_act_on_a_person",
    ),
    "person-end-sessions": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_who_may_act_on_a_person",
    ),
    "my-sessions": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_everyone_sees_only_their_own_sessions",
    ),
    "my-session-end": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_ending_ones_own_sessions",
    ),
    "my-sessions-end-others": (
        f"{OT}/test_account_views.py::test_anonymous_visitors_are_sent_to_log_in",
        f"{OT}/test_account_views.py::test_ending_ones_own_sessions",
    ),
    "invitation-accept": (
        f"{OT}/test_account_views.py::test_an_unknown_invitation_link_is_gone",
        f"{OT}/test_accounts.py::test_an_invitation_makes_a_member_with_the_role_once",
    ),
    "password-reset": (
        f"{OT}/test_accounts.py::"
        "test_a_reset_request_answers_the_same_for_known_and_unknown_addresses"
    ),
    "password-reset-done": (
        f"{OT}/test_account_views.py::test_the_password_reset_pages_are_public",
    ),
    "password-reset-confirm": (
        f"{OT}/test_account_views.py::test_the_password_reset_pages_are_public",
        f"{OT}/test_accounts.py::"
        "test_the_reset_link_sets_a_new_password_once_and_ends_sessions",
    ),
    "password-reset-complete": (
        f"{OT}/test_account_views.py::test_the_password_reset_pages_are_public",
    ),
    # --- monitoring pages (prima/monitoring/views.py) -----------------------------------
    "monitoring:dashboard": (
        f"{MT}::test_dashboard_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:mention-list": (
        f"{MT}::test_stream_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:mention-export": (
        f"{MT}::test_export_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:mention-detail": (
        f"{MT}::test_object_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:mention-correct": (
        f"{MT}::test_mention_correct_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:mention-bulk-correct": (
        f"{MT}::test_mention_bulk_correct_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-list": (
        f"{MT}::test_issue_list_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-detail": (
        f"{MT}::test_object_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-rename": (
        f"{MT}::test_issue_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-merge": (
        f"{MT}::test_issue_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-split": (
        f"{MT}::test_issue_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:issue-status": (
        f"{MT}::test_issue_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:source-list": (
        f"{MT}::test_source_list_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:source-detail": (
        f"{MT}::test_object_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:source-action": (
        f"{MT}::test_source_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:source-import-urls": (
        f"{MT}::test_source_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:clipping-create": (
        f"{MT}::test_clipping_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-list": (
        f"{MT}::test_import_list_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-mapping": (
        f"{MT}::test_import_mapping_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-detail": (
        f"{MT}::test_import_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-file": (
        f"{MT}::test_import_file_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-progress": (
        f"{MT}::test_import_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:import-action": (
        f"{MT}::test_import_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:preset-delete": (
        f"{MT}::test_import_actions_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:sentiment-model": (
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
        f"{MT}::test_people_without_any_role_are_refused",
        f"{MM}::test_every_reader_sees_the_model_cards",
    ),
    "monitoring:sentiment-model-version": (
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
        f"{MM}::test_a_version_shows_only_corrections_of_the_readers_offices",
        f"{MM}::test_an_unknown_version_is_404",
    ),
    "monitoring:watchlist-list": (
        f"{MT}::test_watchlist_list_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    "monitoring:watchlist-detail": (
        f"{MT}::test_object_pages_access",
        f"{MT}::test_anonymous_visitors_are_sent_to_log_in",
    ),
    # --- conference pages (prima/conferences/views.py) ----------------------------------
    "conferences:list": f"{CT}::test_global_page_access",
    "conferences:calendar": f"{CT}::test_global_page_access",
    "conferences:create": f"{CT}::test_global_page_access",
    "conferences:detail": f"{CT}::test_conference_url_access",
    "conferences:advance": f"{CT}::test_conference_url_access",
    "conferences:cancel": f"{CT}::test_conference_url_access",
    "conferences:checklist-complete": f"{CT}::test_conference_url_access",
    "conferences:checklist-reopen": f"{CT}::test_conference_url_access",
    "conferences:checklist-evidence": f"{CT}::test_conference_url_access",
    "conferences:fact-add": f"{CT}::test_conference_url_access",
    "conferences:fact-verify": f"{CT}::test_conference_url_access",
    "conferences:chronology-add": f"{CT}::test_conference_url_access",
    "conferences:open-question-add": f"{CT}::test_conference_url_access",
    "conferences:open-question-resolve": f"{CT}::test_conference_url_access",
    "conferences:prior-statement-add": f"{CT}::test_conference_url_access",
    "conferences:schedule": f"{CT}::test_conference_url_access",
    "conferences:rundown-add": f"{CT}::test_conference_url_access",
    "conferences:rundown-remove": f"{CT}::test_conference_url_access",
    "conferences:role-assign": f"{CT}::test_conference_url_access",
    "conferences:readiness-set": f"{CT}::test_conference_url_access",
    "conferences:invitation-add": f"{CT}::test_conference_url_access",
    "conferences:invitation-update": f"{CT}::test_conference_url_access",
    "conferences:invitation-resend": f"{CT}::test_conference_url_access",
    "conferences:attendance-sign-in": f"{CT}::test_conference_url_access",
    "rsvp": (
        "prima/conferences/tests/test_invitations.py::"
        "test_the_journalist_answers_through_the_link_without_logging_in",
        "prima/conferences/tests/test_invitations.py::test_a_forged_reused_or_expired_link_is_refused",
    ),
    "conferences:material": f"{CT}::test_conference_url_access",
    "conferences:material-submit": f"{CT}::test_conference_url_access",
    "conferences:material-approve": f"{CT}::test_conference_url_access",
    "conferences:material-return": f"{CT}::test_conference_url_access",
    "conferences:material-review": f"{CT}::test_conference_url_access",
    **{
        f"conferences:{name}": (
            "prima/conferences/tests/test_views_registers.py::test_register_page_access"
        )
        for name in (
            "media-relations",
            "contact-list",
            "contact-create",
            "contact-edit",
            "spokesperson-list",
            "spokesperson-create",
            "spokesperson-edit",
            "delegation-list",
            "delegation-revoke",
        )
    },
    "conferences:appointment-add": f"{CT}::test_conference_url_access",
    "conferences:appointment-remove": f"{CT}::test_conference_url_access",
    "conferences:briefing-add": f"{CT}::test_conference_url_access",
    "conferences:execution": f"{CT}::test_conference_url_access",
    "conferences:attendance-add": f"{CT}::test_conference_url_access",
    "conferences:question-add": f"{CT}::test_conference_url_access",
    "conferences:follow-up": f"{CT}::test_conference_url_access",
    "conferences:evaluation": f"{CT}::test_conference_url_access",
    "conferences:coverage-add": f"{CT}::test_conference_url_access",
    # --- service catalogue pages (prima/catalogue/views.py) -----------------------------
    "catalogue:list": f"{KT}::test_catalogue_global_access",
    "catalogue:create": f"{KT}::test_catalogue_global_access",
    "catalogue:service": f"{KT}::test_catalogue_url_access",
    "catalogue:draft-start": f"{KT}::test_catalogue_url_access",
    "catalogue:version": f"{KT}::test_catalogue_url_access",
    "catalogue:version-edit": f"{KT}::test_catalogue_url_access",
    "catalogue:version-action": f"{KT}::test_catalogue_url_access",
    # --- public portal: pages for anyone (prima/portal/public.py) ------------------------
    **{
        f"portal:{name}": (
            f"{PV}::test_anyone_opens_every_public_page",
            f"{PV}::test_unpublished_draft_withdrawn_and_exercise_objects_are_404",
        )
        for name in (
            "index",
            "office",
            "service",
            "poster",
            "newsroom",
            "publication",
            "publication-file",
            "clarification",
            "feed",
            "search",
            "ask",
            "track",
        )
    },  # fmt: skip
    # --- public portal: staff pages (prima/portal/staff.py) ----------------------------
    **{
        f"portal_staff:{name}": f"{PS}::test_portal_staff_url_access"
        for name in (
            "inquiry",
            "inquiry-close",
            "publication",
            "publication-action",
            "unlist",
            "profile",
            "publication-prepare",
            "announce",
        )
    },  # fmt: skip
    **{
        f"portal_staff:{name}": f"{PS}::test_portal_staff_global_access"
        for name in ("inquiries", "publications", "story-create")
    },
    # --- documents: automatic verification (prima/documents/verification/views.py) --------
    "documents:verification-version": (
        f"{DV}::test_anonymous_visitors_are_sent_to_log_in",
        f"{DV}::test_outsiders_get_404",
        f"{DV}::test_the_office_and_its_supervisors_see_the_findings",
    ),
    "documents:verification-live": (
        f"{DV}::test_anonymous_visitors_are_sent_to_log_in",
        f"{DV}::test_outsiders_get_404",
        f"{DV}::test_the_editor_panel_checks_the_posted_text",
    ),
    # --- documents: generation (prima/documents/generation/views.py, documents/api.py) ----
    **{
        f"documents:{name}": (
            f"{DG}::test_anonymous_visitors_are_sent_to_log_in",
            f"{DG}::test_outsiders_get_404",
            f"{DG}::test_the_office_and_its_supervisors_see_and_download",
        )
        for name in ("index", "conference", "case", "status", "download")
    },
    "documents:english": f"{DG}::test_the_english_text_page",
    "documents:generate": (
        f"{DG}::test_anonymous_visitors_are_sent_to_log_in",
        f"{DG}::test_outsiders_get_404",
        f"{DG}::test_supervisors_may_not_generate",
        f"{DG}::test_every_writer_generates_and_htmx_gets_the_row",
    ),
    **{
        f"api:{name}": (
            f"{DG}::test_anonymous_visitors_are_sent_to_log_in",
            f"{DG}::test_outsiders_get_404",
            f"{DG}::test_the_api_lists_generates_and_describes",
        )
        for name in ("list_documents", "generate_document", "get_document")
    },
    # --- evaluation: post-event evaluation (prima/evaluation/postevent_views.py) -----------
    **{
        f"evaluation:{name}": (
            f"{EP}::test_anonymous_visitors_are_sent_to_log_in",
            f"{EP}::test_outsiders_get_404",
            f"{EP}::test_the_office_and_its_supervisors_see_the_report",
        )
        for name in ("postevent-report", "postevent-proposals")
    },
    **{
        f"evaluation:{name}": (
            f"{EP}::test_anonymous_visitors_are_sent_to_log_in",
            f"{EP}::test_outsiders_get_404",
            f"{EP}::test_only_pr_staff_leads_and_the_head_act",
        )
        for name in ("postevent-decide", "postevent-refresh", "postevent-query")
    },
    "evaluation:postevent-document": (
        f"{EP}::test_anonymous_visitors_are_sent_to_log_in",
        f"{EP}::test_outsiders_get_404",
        f"{EP}::test_the_report_as_a_document",
    ),
    # evaluation API (prima/evaluation/postevent_api.py)
    **{
        f"api:{name}": (f"{EPA}::test_anonymous_requests_get_401", f"{EPA}::test_api_access")
        for name in (
            "list_coverage_proposals",
            "decide_coverage_proposal",
            "get_evaluation_report",
        )
    },
    # --- API ------------------------------------------------------------------------------
    "api:openapi-json": (
        f"{OT}/test_api_schema.py::test_the_schema_is_public_and_lists_the_endpoints"
    ),
    "api:me": (
        f"{OT}/test_api_me.py::test_anonymous_requests_get_401",
        f"{OT}/test_api_me.py::test_every_persona_gets_their_own_data",
    ),
    "api:list_offices": (
        f"{OT}/test_api_auth.py::test_anonymous_requests_get_401",
        f"{OT}/test_api_offices.py::test_the_list_holds_the_offices_the_caller_may_see",
        f"{OT}/test_api_offices.py::test_bali_sees_nothing_of_jakarta",
    ),
    "api:get_office": (
        f"{OT}/test_api_auth.py::test_anonymous_requests_get_401",
        f"{OT}/test_api_offices.py::test_one_office",
        f"{OT}/test_api_auth.py::test_a_token_carries_its_owners_permissions",
    ),
    "api:list_audit": (
        f"{OT}/test_api_audit.py::test_anonymous_requests_get_401",
        f"{OT}/test_api_audit.py::test_who_may_read_the_trail",
        f"{OT}/test_api_audit.py::test_bali_sees_nothing_of_jakarta",
    ),
    # conferences API (prima/conferences/api.py)
    "api:list_conferences": (
        "prima/conferences/tests/test_api.py::test_anonymous_gets_401",
        "prima/conferences/tests/test_api.py::test_the_list_shows_what_the_user_may_see",
    ),
    "api:get_conference": (
        "prima/conferences/tests/test_api.py::test_anonymous_gets_401",
        "prima/conferences/tests/test_api.py::test_reading_one_conference",
    ),
    "api:create_conference": (
        "prima/conferences/tests/test_api.py::test_anonymous_gets_401",
        "prima/conferences/tests/test_api.py::test_creating_a_conference",
    ),
    "api:advance": "prima/conferences/tests/test_api.py::test_advancing_access",
    "api:cancel": (
        "prima/conferences/tests/test_api.py::test_anonymous_gets_401",
        "prima/conferences/tests/test_api.py::test_cancelling_through_the_api",
    ),
    "api:approve_material": (
        "prima/documents/tests/test_verification_api.py::test_api_approval_is_held_by_the_same_check",
        "prima/documents/tests/test_verification_api.py::test_api_approval_of_missing_material_is_404",
    ),
    # documents API (prima/documents/verification/api.py)
    "api:verification_of_version": (
        "prima/documents/tests/test_verification_api.py::test_findings_of_a_version"
    ),
    "api:check_text": "prima/documents/tests/test_verification_api.py::test_checking_a_text",
    # monitoring API (prima/monitoring/api.py)
    "api:push_posts": (
        "prima/monitoring/tests/test_api.py::test_anonymous_gets_401_outsiders_404_and_readers_403"
    ),
    "api:list_sources": (
        "prima/monitoring/tests/test_api.py::test_anonymous_readers_get_401",
        "prima/monitoring/tests/test_push_sources.py::"
        "test_sources_are_added_and_listed_through_the_api",
    ),
    "api:create_source": (
        "prima/monitoring/tests/test_push_sources.py::"
        "test_sources_are_added_and_listed_through_the_api",
    ),
    "api:list_mentions": (
        "prima/monitoring/tests/test_api.py::test_anonymous_readers_get_401",
        "prima/monitoring/tests/test_api.py::test_mentions_are_listed_with_filters_and_search",
    ),
    "api:get_mention": (
        "prima/monitoring/tests/test_api.py::test_anonymous_readers_get_401",
        "prima/monitoring/tests/test_api.py::test_one_mention_and_its_access",
    ),
    "api:list_issues": (
        "prima/monitoring/tests/test_api.py::test_anonymous_readers_get_401",
        "prima/monitoring/tests/test_api.py::test_issues_with_their_volume",
    ),
    "api:get_issue": (
        "prima/monitoring/tests/test_api.py::test_anonymous_readers_get_401",
        "prima/monitoring/tests/test_api.py::test_issues_with_their_volume",
    ),
    # open data API (prima/portal/api.py): anonymous, published data only
    "api:public_offices": f"{PA}::test_offices_are_listed_without_a_log_in",
    "api:public_services": (
        f"{PA}::test_services_with_their_versions_and_structured_fees",
        f"{PA}::test_hidden_things_are_404_or_absent",
    ),
    "api:public_service": (
        f"{PA}::test_services_with_their_versions_and_structured_fees",
        f"{PA}::test_hidden_things_are_404_or_absent",
    ),
    "api:public_releases": (
        f"{PA}::test_hidden_things_are_404_or_absent",
        f"{PA}::test_etag_and_if_none_match",
    ),
    "api:public_clarifications": (
        f"{PA}::test_only_published_real_clarifications_are_listed",
        f"{PA}::test_clarifications_carry_an_etag",
    ),
    # --- crisis pages (prima/crisis/views/) ---------------------------------------------
    "crisis:board": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                     f"{CRV}::test_board_and_lists_access"),
    "crisis:case-create": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                           f"{CRV}::test_board_and_lists_access"),
    "crisis:case": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                    f"{CRV}::test_case_pages_access"),
    "crisis:case-log-csv": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                            f"{CRV}::test_case_pages_access"),
    "crisis:case-acknowledge": f"{CRV}::test_case_actions_access",
    "crisis:case-assess": f"{CRV}::test_case_actions_access",
    "crisis:case-override": f"{CRV}::test_case_actions_access",
    "crisis:case-note": f"{CRV}::test_case_actions_access",
    "crisis:case-statement": f"{CRV}::test_case_actions_access",
    "crisis:case-action": f"{CRV}::test_case_actions_access",
    "crisis:case-scope": f"{CRV}::test_case_actions_access",
    "crisis:case-merge": f"{CRV}::test_case_actions_access",
    "crisis:case-close": f"{CRV}::test_case_actions_access",
    "crisis:case-reopen": (f"{CRV}::test_case_actions_access",
                           f"{CRV}::test_reopen_access_on_a_closed_case"),
    "crisis:case-conference": f"{CRV}::test_case_actions_access",
    "crisis:clarification-create": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                                    f"{CRV}::test_clarification_access"),
    "crisis:clarification-list": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                                  f"{CRV}::test_board_and_lists_access"),
    "crisis:clarification": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                             f"{CRV}::test_clarification_access"),
    "crisis:clarification-action": f"{CRV}::test_clarification_access",
    "crisis:drill-list": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                          f"{CRV}::test_board_and_lists_access"),
    "crisis:drill": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                     f"{CRV}::test_drill_access"),
    "crisis:drill-action": f"{CRV}::test_drill_access",
    "crisis:config": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                      f"{CRV}::test_config_access"),
    "crisis:config-edit": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                           f"{CRV}::test_config_access"),
    "crisis:config-version": (f"{CRV}::test_anonymous_visitors_are_sent_to_log_in",
                              f"{CRV}::test_config_access"),
    # crisis API (prima/crisis/api.py)
    "api:list_cases": (f"{CRA}::test_anonymous_requests_get_401",
                       f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:get_case": (f"{CRA}::test_anonymous_requests_get_401",
                     f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:list_case_signals": (f"{CRA}::test_anonymous_requests_get_401",
                              f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:list_assessments": (f"{CRA}::test_anonymous_requests_get_401",
                             f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:record_assessment": (f"{CRA}::test_anonymous_requests_get_401",
                              f"{CRA}::test_recording_an_assessment"),
    "api:acknowledge": (f"{CRA}::test_anonymous_requests_get_401",
                        f"{CRA}::test_acknowledging_through_the_api",
                        f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:list_signals": (f"{CRA}::test_anonymous_requests_get_401",
                         f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    "api:get_config": (f"{CRA}::test_anonymous_requests_get_401",
                       f"{CRA}::test_readers_read_and_outsiders_get_nothing"),
    # --- evaluation: indicators and roll-ups (prima/evaluation/indicators_views.py, api.py)
    "evaluation:indicators": (f"{EV}::test_anonymous_visitors_are_sent_to_log_in",
                              f"{EV}::test_who_may_open_the_indicators",
                              f"{EV}::test_supervisors_see_only_their_subtree",
                              f"{EV}::test_who_may_export"),
    "evaluation:indicators-report": (f"{EVD}::test_anonymous_visitors_are_sent_to_log_in",
                                     f"{EVD}::test_who_may_make_the_report",
                                     f"{EVD}::test_bad_input_goes_back_to_the_page"),
    "evaluation:behind": (f"{EV}::test_anonymous_visitors_are_sent_to_log_in",
                          f"{EV}::test_who_may_open_the_indicators",
                          f"{EV}::test_supervisors_see_only_their_subtree"),
    "evaluation:adoption": (f"{EV}::test_anonymous_visitors_are_sent_to_log_in",
                            f"{EV}::test_who_may_open_the_indicators",
                            f"{EV}::test_who_may_export"),
    "api:get_indicators": (f"{EV}::test_api_rollup_total_is_the_sum_of_its_units",
                           f"{EV}::test_supervisors_see_only_their_subtree"),
    "api:get_adoption": f"{EV}::test_api_rollup_total_is_the_sum_of_its_units",
}  # fmt: skip

# Names (or "namespace:" prefixes) that need no entry in ACCESS_TESTS; see the docstring.
SKIPPED = ("admin:", "set_language", "javascript-catalog", "api:openapi-view", "api:api-root")
# Views that anonymous visitors may open.
PUBLIC = {
    "healthz",
    "login",
    "logout",
    # The sign-in's second step (it needs the pending sign-in of the password step) and
    # the admin's log-in address (a redirect to PRIMA's sign-in).
    "login-code",
    "login-setup",
    "admin-login",
    # The account lifecycle's public pages: an invitation link (its token is the key) and
    # the password reset by e-mail.
    "invitation-accept",
    "password-reset",
    "password-reset-done",
    "password-reset-confirm",
    "password-reset-complete",
    "api:openapi-json",
    # A journalist's answer to an invitation (the signed link is the key).
    "rsvp",
    # The public portal and its open data: published information for everyone.
    *(f"portal:{name}" for name in ("index", "office", "service", "poster", "newsroom",
                                    "publication", "publication-file", "clarification",
                                    "feed", "search", "ask", "track")),
    "api:public_offices",
    "api:public_clarifications",
    "api:public_services",
    "api:public_service",
    "api:public_releases",
}  # fmt: skip


def _patterns(resolvers=None, prefix: str = "", namespace: str = ""):
    """(route, name, pattern) for every URL pattern below ``resolvers``."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield (
                prefix + str(entry.pattern),
                f"{namespace}{entry.name}" if entry.name else "",
                entry,
            )


def _skipped(name: str) -> bool:
    return not name or any(
        name == skip or (skip.endswith(":") and name.startswith(skip)) for skip in SKIPPED
    )


def _views() -> dict[str, str]:
    """URL name → route, for every pattern that needs an access test."""
    return {name: route for route, name, _p in _patterns() if not _skipped(name)}


DUMMY = {"int": lambda: 1, "uuid": uuid.uuid4}


def _dummy_url(name: str, route: str) -> str | None:
    """A path for ``name`` with dummy parameter values, or None if it cannot be reversed."""
    kwargs = {
        param: DUMMY.get(converter, lambda: "x")()
        for converter, param in re.findall(r"<(?:(\w+):)?(\w+)>", route)
    }
    kwargs.update(dict.fromkeys(re.findall(r"\(\?P<(\w+)>", route), "x"))
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _test_exists(node_id: str) -> bool:
    path, _sep, function = node_id.partition("::")
    file = Path(settings.BASE_DIR) / path
    if not file.exists() or not function.startswith("test"):
        return False
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return callable(getattr(module, function, None))


# --- the registry -----------------------------------------------------------------------


def test_every_view_has_an_access_test():
    missing = sorted(
        f"{name}  ({route})" for name, route in _views().items() if name not in ACCESS_TESTS
    )
    assert not missing, (
        "These views have no access test registered in prima/front/tests/test_access.py "
        "(ACCESS_TESTS): write one and add a line there:\n  " + "\n  ".join(missing)
    )


def test_registered_access_tests_exist():
    views = _views()
    problems = []
    for name, tests in ACCESS_TESTS.items():
        if name not in views:
            problems.append(f"{name}: no URL pattern has this name any more")
        for node_id in (tests,) if isinstance(tests, str) else tests:
            if not _test_exists(node_id):
                problems.append(f"{name}: {node_id} does not exist")
    assert not problems, "\n".join(problems)


def test_every_url_pattern_resolves_to_itself():
    for name, route in _views().items():
        url = _dummy_url(name, route)
        if url is None:
            continue
        match = resolve(url.split("?")[0])
        assert match.view_name == name or name.startswith("api:"), (name, url, match.view_name)


@pytest.mark.django_db
def test_anonymous_visitors_cannot_open_any_view():
    login = reverse(settings.LOGIN_URL)
    client = Client()
    refused = []
    for name, route in _views().items():
        if name in PUBLIC:
            continue
        url = _dummy_url(name, route)
        if url is None:
            continue
        response = client.get(url)
        ok = response.status_code in (401, 403, 405) or (
            response.status_code == 302 and response["Location"].startswith(login)
        )
        if not ok:
            refused.append(f"{name} {url} → {response.status_code}")
    assert not refused, "Anonymous visitors got through:\n  " + "\n  ".join(refused)


def test_the_walker_sees_the_foundation_views():
    views = _views()
    assert {
        "home",
        "healthz",
        "office-list",
        "office-detail",
        "audit-list",
        "audit-object-history",
        "api:me",
        "api:get_office",
    } <= set(views)
    assert not any(name.startswith("admin:") for name in views)


# --- the admin site ----------------------------------------------------------------------

ADMIN_URLS = [
    "admin:index",
    "admin:organizations_office_changelist",
    "admin:organizations_office_add",
    "admin:organizations_user_changelist",
    "admin:organizations_apitoken_changelist",
    "admin:organizations_auditentry_changelist",
]


@pytest.mark.parametrize(
    "persona",
    [
        "pr_staff",
        "pr_lead",
        "spokesperson",
        "head",
        "regional_supervisor",
        "dg_supervisor",
        "outsider",
        None,
    ],
)
def test_only_administrators_get_into_the_admin(personas, persona):
    client = client_for(personas[persona] if persona else None)
    for url_name in ADMIN_URLS:
        response = client.get(reverse(url_name))
        assert response.status_code == 302, url_name
        assert response["Location"].startswith(reverse("admin:login")), url_name


def test_the_administrator_gets_into_the_admin(administrator):
    client = client_for(administrator)
    for url_name in ADMIN_URLS:
        assert client.get(reverse(url_name)).status_code == 200, url_name


def test_staff_status_or_superuser_alone_is_not_enough(offices):
    staff = make_person("staf", offices["soetta"], Role.HEAD)
    staff.is_staff = True
    staff.save()
    superuser = make_person("super", offices["dg"])
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    role_only = make_person("peran", offices["dg"], Role.ADMIN)
    role_only.is_staff = False
    role_only.save()
    for user in (staff, superuser, role_only):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302, user.username
