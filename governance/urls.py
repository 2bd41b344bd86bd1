"""Governance pages, namespaced ``governance:``."""

from django.urls import path

from governance.views import dashboard, documents, holder, inbox, requests, review

app_name = "governance"

urlpatterns = [
    path("requests/", requests.my_requests, name="my_requests"),
    path("basket/", requests.basket, name="basket"),
    path("basket/add/", requests.basket_add, name="basket_add"),
    path("basket/remove/", requests.basket_remove, name="basket_remove"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/submit/", requests.request_submit, name="request_submit"),
    path("requests/<int:pk>/resubmit/", requests.request_resubmit, name="request_resubmit"),
    path("requests/<int:pk>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/delete/", requests.request_delete, name="request_delete"),
    path("requests/<int:pk>/comment/", requests.comment_add, name="comment_add"),
    path("requests/<int:pk>/items/<int:item_id>/withdraw/", requests.item_withdraw, name="item_withdraw"),
    path("requests/<int:pk>/items/<int:item_id>/variables/", requests.item_variables, name="item_variables"),
    path("requests/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path("requests/<int:pk>/documents/<int:document_id>/", documents.document_download, name="document_download"),
    path("requests/<int:pk>/documents/<int:document_id>/remove/", documents.document_delete, name="document_remove"),
    path("letters/<int:letter_id>/", documents.decision_letter, name="decision_letter"),
    path("letters/<int:letter_id>/pdf/", documents.decision_letter_pdf, name="decision_letter_pdf"),
    path("agreements/<int:agreement_id>/sign/", requests.agreement_sign, name="agreement_sign"),
    path("agreements/<int:agreement_id>/pdf/", requests.agreement_pdf, name="agreement_pdf"),
    path("downloads/<int:distribution_id>/", requests.distribution_download, name="download"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/items/<int:item_id>/", review.item_review, name="item_review"),
    path("holder/", holder.holder_requests, name="holder_requests"),
    path("holder/items/<int:item_id>/", holder.release_page, name="release_page"),
    path("holder/items/<int:item_id>/release/", holder.release, name="release"),
    path("holder/items/<int:item_id>/revoke/", holder.revoke, name="revoke"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:notification_id>/open/", inbox.notification_open, name="notification_open"),
    path("inbox/read-all/", inbox.mark_all_read, name="inbox_mark_all_read"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("statistics/", dashboard.statistics, name="statistics"),
]
