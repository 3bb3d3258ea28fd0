from django.urls import path

from . import views

app_name = "conferences"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("calendar/", views.conference_calendar, name="calendar"),
    path("new/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    # Media relations: registers of the office
    path("media/", views.media_relations, name="media-relations"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact-edit"),
    path("spokespeople/", views.spokesperson_list, name="spokesperson-list"),
    path("spokespeople/new/", views.spokesperson_create, name="spokesperson-create"),
    path("spokespeople/<int:pk>/", views.spokesperson_edit, name="spokesperson-edit"),
    path("delegations/", views.delegation_list, name="delegation-list"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation-revoke"),
    path("<int:pk>/advance/", views.conference_advance, name="advance"),
    path("<int:pk>/cancel/", views.conference_cancel, name="cancel"),
    # Checklist
    path(
        "<int:pk>/checklist/<int:item_pk>/complete/",
        views.checklist_complete,
        name="checklist-complete",
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/reopen/", views.checklist_reopen, name="checklist-reopen"
    ),
    path(
        "<int:pk>/checklist/<int:item_pk>/evidence/",
        views.checklist_evidence,
        name="checklist-evidence",
    ),
    # Information gathering
    path("<int:pk>/facts/", views.fact_add, name="fact-add"),
    path("<int:pk>/facts/<int:fact_pk>/verify/", views.fact_verify, name="fact-verify"),
    path("<int:pk>/chronology/", views.chronology_add, name="chronology-add"),
    path("<int:pk>/open-questions/", views.open_question_add, name="open-question-add"),
    path(
        "<int:pk>/open-questions/<int:question_pk>/resolve/",
        views.open_question_resolve,
        name="open-question-resolve",
    ),
    path("<int:pk>/prior-statements/", views.prior_statement_add, name="prior-statement-add"),
    # Technical planning
    path("<int:pk>/schedule/", views.schedule_save, name="schedule"),
    path("<int:pk>/rundown/", views.rundown_add, name="rundown-add"),
    path("<int:pk>/rundown/<int:item_pk>/remove/", views.rundown_remove, name="rundown-remove"),
    path("<int:pk>/roles/", views.role_assign, name="role-assign"),
    path("<int:pk>/readiness/<int:item_pk>/", views.readiness_set, name="readiness-set"),
    path("<int:pk>/invitations/", views.invitation_add, name="invitation-add"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/",
        views.invitation_update,
        name="invitation-update",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    # Material
    path("<int:pk>/material/<str:kind>/", views.material_edit, name="material"),
    path("<int:pk>/material/<str:kind>/submit/", views.material_submit, name="material-submit"),
    path("<int:pk>/material/<str:kind>/approve/", views.material_approve, name="material-approve"),
    path("<int:pk>/material/<str:kind>/return/", views.material_return, name="material-return"),
    path("<int:pk>/material/<str:kind>/review/", views.material_review, name="material-review"),
    # Spokesperson
    path("<int:pk>/appointments/", views.appointment_add, name="appointment-add"),
    path(
        "<int:pk>/appointments/<int:appointment_pk>/remove/",
        views.appointment_remove,
        name="appointment-remove",
    ),
    path("<int:pk>/briefings/", views.briefing_add, name="briefing-add"),
    # Execution
    path("<int:pk>/execution/", views.execution_save, name="execution"),
    path("<int:pk>/attendance/", views.attendance_add, name="attendance-add"),
    path(
        "<int:pk>/attendance/<int:invitation_pk>/",
        views.attendance_sign_in,
        name="attendance-sign-in",
    ),
    path("<int:pk>/questions/", views.question_add, name="question-add"),
    path("<int:pk>/questions/<int:question_pk>/follow-up/", views.follow_up_done, name="follow-up"),
    # Evaluation
    path("<int:pk>/evaluation/", views.evaluation_save, name="evaluation"),
    path("<int:pk>/coverage/", views.coverage_add, name="coverage-add"),
]
