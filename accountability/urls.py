from django.urls import path

from .views import checks, instructions, records

app_name = "accountability"
urlpatterns = [
    path("", checks.overview, name="overview"),
    path("red-items/", checks.red_items, name="red_items"),
    path("instructions/", instructions.instruction_list, name="instructions"),
    path("instructions/new/<str:kind>/", instructions.instruction_new, name="instruction_new"),
    path("instructions/<int:pk>/", instructions.instruction_detail, name="instruction"),
    path("instructions/<int:pk>/withdraw/", instructions.instruction_withdraw, name="withdraw"),
    path("instructions/<int:pk>/print/", instructions.instruction_print, name="print"),
    path("instructions/<int:pk>/docx/", instructions.instruction_docx_download, name="docx"),
    path("recipients/<int:pk>/acknowledge/", instructions.recipient_acknowledge, name="acknowledge"),
    path("recipients/<int:pk>/reply/", instructions.recipient_reply, name="reply"),
    path("recipients/<int:pk>/decide/", instructions.recipient_decide, name="decide"),
    path("attachments/<int:pk>/", instructions.attachment_download, name="attachment"),
    path("talks/", records.talk_list, name="talks"),
    path("talks/new/", records.talk_new, name="talk_new"),
    path("talks/<int:pk>/", records.talk_detail, name="talk"),
    path("talks/<int:pk>/follow-up/", records.talk_follow_up, name="talk_follow_up"),
    path("records/", records.record_list, name="records"),
    path("records/new/", records.record_new, name="record_new"),
    path("records/<int:pk>/", records.record_detail, name="record"),
    path("records/attachments/<int:pk>/", records.record_attachment, name="record_attachment"),
    path("spot-checks/", checks.spot_check_list, name="spot_checks"),
    path("spot-checks/new/", checks.spot_check_new, name="spot_check_new"),
    path("spot-checks/<int:pk>/", checks.spot_check_detail, name="spot_check"),
    path("spot-checks/items/<int:pk>/verdict/", checks.spot_check_verdict, name="verdict"),
    path("reuse/", checks.reuse_flags, name="reuse"),
]
