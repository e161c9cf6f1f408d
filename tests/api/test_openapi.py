"""The API describes itself."""

from __future__ import annotations

from django.test import Client

EXPECTED = {
    "/api/pathways": {"get", "post"},
    "/api/pathways/{id}": {"get", "patch"},
    "/api/pathways/{id}/transitions": {"post"},
    "/api/pathways/{id}/reopen": {"post"},
    "/api/pathways/{id}/timeline": {"get"},
    "/api/pathways/{id}/stays": {"post"},
    "/api/stays/{id}": {"patch"},
    "/api/stays/{id}/admit": {"post"},
    "/api/stays/{id}/discharge": {"post"},
    "/api/stays/{id}/cancel": {"post"},
    "/api/pathways/{id}/care-team": {"get", "post"},
    "/api/care-team/{id}/end": {"post"},
    "/api/pathways/{id}/handover": {"post"},
    "/api/pathways/{id}/plan": {"get", "post", "patch"},
    "/api/pathways/{id}/plan/sections/{key}": {"patch"},
    "/api/pathways/{id}/plan/measures": {"post"},
    "/api/plan-measures/{id}": {"put"},
    "/api/pathways/{id}/plan/versions": {"get"},
    "/api/pathways/{id}/plan/diff": {"get"},
    "/api/pathways/{id}/plan/comments": {"post"},
    "/api/pathways/{id}/plan/agree": {"post"},
    "/api/units": {"get"},
    "/api/staff": {"get"},
    "/api/pathways/{id}/checklist": {"get"},
    "/api/checklist-items/{id}": {"patch"},
    "/api/offers": {"get"},
    "/api/pathways/{id}/crisis-plan": {"get", "put"},
    "/api/pathways/{id}/mapping": {"get"},
    "/api/pathways/{id}/mapping/rounds": {"post"},
    "/api/mapping-rounds/{id}/clinician": {"put"},
    "/api/mapping-rounds/{id}/patient": {"put"},
    "/api/pathways/{id}/consents": {"get", "post"},
    "/api/pathways/{id}/consents/{consent_id}/withdraw": {"post"},
    "/api/pathways/{id}/next-of-kin": {"get", "post"},
    "/api/pathways/{id}/what-matters": {"get", "put"},
    "/api/me/access-log": {"get"},
    "/api/me/blocks": {"get", "post"},
    "/api/me/blocks/{id}/lift": {"post"},
    "/api/emergency-accesses": {"post"},
    "/api/units/{id}/emergency-accesses": {"get"},
    "/api/bed-programmes": {"get"},
    "/api/bed-programmes/search": {"get"},
    "/api/bed-programmes/{id}": {"get"},
    "/api/bed-programmes/{id}/capacity": {"post"},
    "/api/units/{unit_id}/bed-programme": {"put"},
    "/api/pathways/{id}/bed-agreements": {"get", "post"},
    "/api/bed-agreements": {"post"},
    "/api/me/bed-agreements": {"get"},
    "/api/bed-agreements/{id}": {"get"},
    "/api/bed-agreements/{id}/accept": {"post"},
    "/api/bed-agreements/{id}/free-nights": {"get"},
    "/api/bed-agreements/{id}/bookings": {"post"},
    "/api/bed-bookings/{id}/cancel": {"post"},
    "/api/bed-bookings/{id}/arrive": {"post"},
    "/api/bed-bookings/{id}/refuse": {"post"},
    "/api/bed-bookings/{id}/depart": {"post"},
    "/api/units/{id}/bed-day": {"get"},
    "/api/units/{id}/bed-agreements": {"get"},
    "/api/units/{id}/bed-usage": {"get"},
    # --- messaging ---
    "/api/pathways/{id}/threads/team": {"get"},
    "/api/pathways/{id}/threads/patient": {"get"},
    "/api/pathways/{id}/threads/{kind}/messages": {"post"},
    "/api/pathways/{id}/threads/{kind}/read": {"post"},
    "/api/messages/inbox": {"get"},
    "/api/notifications": {"get"},
    "/api/notifications/read": {"post"},
    "/api/notifications/preferences": {"get", "put"},
    # --- tasks, meetings, discharge ---
    "/api/pathways/{id}/tasks": {"get", "post"},
    "/api/tasks/mine": {"get"},
    "/api/tasks/{id}": {"patch"},
    "/api/tasks/{id}/cancel": {"post"},
    "/api/tasks/{id}/complete": {"post"},
    "/api/tasks/{id}/reopen": {"post"},
    "/api/pathways/{id}/meetings": {"get", "post"},
    "/api/me/meetings": {"get"},
    "/api/meetings/{id}": {"get", "patch"},
    "/api/meetings/{id}/cancel": {"post"},
    "/api/meetings/{id}/decisions": {"post"},
    "/api/meetings/{id}/held": {"post"},
    "/api/meetings/{id}/ics": {"get"},
    "/api/meetings/{id}/minutes": {"put"},
    "/api/meetings/{id}/participants": {"post"},
    "/api/meetings/{id}/participants/{participant_id}": {"delete"},
    "/api/meeting-decisions/{id}/task": {"post"},
    "/api/stays/{id}/checkpoints": {"get"},
    "/api/stays/{id}/checkpoints/{key}/tick": {"post"},
    "/api/stays/{id}/checkpoints/{key}/untick": {"post"},
    "/api/pathways/{id}/overview": {"get"},
    "/api/discharges": {"get"},
}


def test_openapi_lists_every_path(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Ettervern API"
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    assert paths == EXPECTED
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_operation_ids_do_not_depend_on_where_the_code_lives(db):
    """Clients generated from the OpenAPI know operations by these ids."""
    schema = Client().get("/api/openapi.json").json()
    ids = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert ids == {
        "ettervern_api_pathways_worklist", "ettervern_api_pathways_open_pathway",
        "ettervern_api_pathways_pathway", "ettervern_api_pathways_update_pathway",
        "ettervern_api_pathways_transition", "ettervern_api_pathways_reopen",
        "ettervern_api_pathways_timeline",
        "ettervern_api_stays_plan_stay", "ettervern_api_stays_update_stay",
        "ettervern_api_stays_admit", "ettervern_api_stays_discharge",
        "ettervern_api_stays_cancel", "ettervern_api_careteam_care_team",
        "ettervern_api_careteam_add_member", "ettervern_api_careteam_end_member",
        "ettervern_api_careteam_handover", "ettervern_api_directory_units",
        "ettervern_api_directory_staff",
        "ettervern_api_checklist_checklist", "ettervern_api_checklist_update_item",
        "ettervern_api_catalogue_offers",
        "ettervern_api_individualplan_plan", "ettervern_api_individualplan_create_plan",
        "ettervern_api_individualplan_update_plan",
        "ettervern_api_individualplan_update_section",
        "ettervern_api_individualplan_add_measure",
        "ettervern_api_individualplan_update_measure",
        "ettervern_api_individualplan_plan_versions",
        "ettervern_api_individualplan_plan_diff",
        "ettervern_api_individualplan_comment_on_plan",
        "ettervern_api_individualplan_agree_to_plan",
        "ettervern_api_crisisplan_crisis_plan", "ettervern_api_crisisplan_save_crisis_plan",
        "ettervern_api_mapping_mapping", "ettervern_api_mapping_start_round",
        "ettervern_api_mapping_save_clinician", "ettervern_api_mapping_save_patient",
        "ettervern_api_consent_consents", "ettervern_api_consent_grant",
        "ettervern_api_consent_withdraw", "ettervern_api_consent_people",
        "ettervern_api_consent_add_person", "ettervern_api_consent_what_matters",
        "ettervern_api_consent_save_what_matters",
        "ettervern_api_rights_access_log", "ettervern_api_rights_blocks",
        "ettervern_api_rights_create_block", "ettervern_api_rights_lift_block",
        "ettervern_api_rights_open_emergency_access",
        "ettervern_api_rights_unit_emergency_accesses",
        "ettervern_api_beds_bed_programmes", "ettervern_api_beds_search_bed_programmes",
        "ettervern_api_beds_bed_programme", "ettervern_api_beds_save_bed_programme",
        "ettervern_api_beds_set_bed_capacity", "ettervern_api_beds_pathway_bed_agreements",
        "ettervern_api_beds_create_pathway_bed_agreement",
        "ettervern_api_beds_create_bed_agreement", "ettervern_api_beds_my_bed_agreements",
        "ettervern_api_beds_bed_agreement", "ettervern_api_beds_accept_bed_agreement",
        "ettervern_api_beds_bed_free_nights", "ettervern_api_beds_book_bed",
        "ettervern_api_beds_cancel_bed_booking", "ettervern_api_beds_arrive_bed_booking",
        "ettervern_api_beds_refuse_bed_booking", "ettervern_api_beds_depart_bed_booking",
        "ettervern_api_beds_unit_bed_day", "ettervern_api_beds_unit_bed_agreements",
        "ettervern_api_beds_unit_bed_usage",
        # --- messaging ---
        "ettervern_api_messages_pathway_team_thread",
        "ettervern_api_messages_pathway_patient_thread", "ettervern_api_messages_post_message",
        "ettervern_api_messages_mark_thread_read", "ettervern_api_messages_message_inbox",
        "ettervern_api_messages_notifications", "ettervern_api_messages_mark_notifications_read",
        "ettervern_api_messages_notification_preferences",
        "ettervern_api_messages_set_notification_preferences",
        # --- tasks, meetings, discharge ---
        "ettervern_api_tasks_my_tasks", "ettervern_api_tasks_pathway_tasks",
        "ettervern_api_tasks_create_task", "ettervern_api_tasks_update_task",
        "ettervern_api_tasks_complete_task", "ettervern_api_tasks_reopen_task",
        "ettervern_api_tasks_cancel_task",
        "ettervern_api_meetings_pathway_meetings", "ettervern_api_meetings_arrange_meeting",
        "ettervern_api_meetings_my_meetings", "ettervern_api_meetings_meeting",
        "ettervern_api_meetings_update_meeting", "ettervern_api_meetings_cancel_meeting",
        "ettervern_api_meetings_mark_meeting_held", "ettervern_api_meetings_write_minutes",
        "ettervern_api_meetings_add_participant", "ettervern_api_meetings_remove_participant",
        "ettervern_api_meetings_add_decision", "ettervern_api_meetings_meeting_ics",
        "ettervern_api_meetings_decision_task",
        "ettervern_api_discharge_stay_checkpoints_get", "ettervern_api_discharge_checkpoint_tick",
        "ettervern_api_discharge_checkpoint_untick", "ettervern_api_discharge_team_overview",
        "ettervern_api_discharge_discharges_ahead",
    }


ERROR_STATUSES = {"401", "403", "404", "409", "413", "422"}


def test_every_operation_documents_its_errors_in_the_one_shape(db):
    schema = Client().get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert {"code", "message", "field"} <= set(error["required"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            missing = ERROR_STATUSES - set(responses)
            assert not missing, (method, path, missing)
            for status in ERROR_STATUSES:
                content = responses[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path,
                                                                              status)


def test_docs_render(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
