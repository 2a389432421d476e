"""Notifications in the Wagtail admin: the rules administrators edit, every message with its preview,
and the "could not reach" list of residents someone should phone."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import UNREACHABLE_STATUSES, Message, NotificationRule


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Messages are written by the outbox and updated by Notify, never edited by hand."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Message, ReadOnlyPermissionPolicy(Message), exact_class=True)


class NotificationRuleViewSet(ModelViewSet):
    model = NotificationRule
    icon = "mail"
    menu_label = "Rules"
    list_display = [
        "name",
        "trigger",
        "state",
        "event",
        "audience",
        BooleanColumn("uses_placeholder", label="Placeholder template"),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["trigger", "audience", "is_active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("trigger"),
                FieldRowPanel([FieldPanel("state"), FieldPanel("event")]),
                FieldRowPanel([FieldPanel("trade"), FieldPanel("priority")]),
            ],
            heading="When",
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldRowPanel([FieldPanel("staff_email"), FieldPanel("staff_group")])],
            heading="Who is told",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("email_template_id"), FieldPanel("sms_template_id")]),
                FieldPanel("personalisation"),
                FieldPanel("preview_text"),
            ],
            heading="What they are sent (GOV.UK Notify templates)",
        ),
        FieldPanel("is_active"),
    ]


class MessageViewSet(ModelViewSet):
    model = Message
    icon = "mail"
    menu_label = "Messages"
    list_display = ["__str__", "job", "status", "created_at", "backend"]
    list_filter = ["status", "channel", "audience", "purpose"]
    search_fields = ["recipient", "reference", "notify_id"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "job",
        "purpose",
        "audience",
        "channel",
        "recipient",
        "template_id",
        "preview",
        "personalisation",
        "status",
        "failure_reason",
        "attempts",
        "reference",
        "notify_id",
        "backend",
        "created_at",
        "sent_at",
        "status_at",
    ]
    form_fields = ["status"]  # never editable: the read-only policy refuses changes

    def get_queryset(self, request):
        return Message.objects.select_related("job", "rule")


class UnreachableViewSet(MessageViewSet):
    """Residents and contractors Notify could not reach: phone them."""

    menu_label = "Could not reach"
    icon = "warning"
    list_display = ["recipient", "channel", "job", "purpose", "status", "failure_reason", "status_at"]
    list_filter = ["status", "channel"]

    def get_queryset(self, request):
        return Message.objects.filter(status__in=UNREACHABLE_STATUSES).select_related("job", "report")


class NotificationsViewSetGroup(ModelViewSetGroup):
    menu_label = "Notifications"
    menu_icon = "mail"
    items = (
        UnreachableViewSet("notifications_unreachable"),
        MessageViewSet("notifications_messages"),
        NotificationRuleViewSet("notifications_rules"),
    )


@hooks.register("register_admin_viewset")
def register_notification_viewsets():
    return NotificationsViewSetGroup()
