"""Scheduling in the Wagtail admin: schedulers, routing rules, the built-in calendar, appointments and
the "needs booking" queue. Administrators change routing here; the next job follows the new rule."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .forms import SchedulerConnectionForm
from .models import (
    Appointment,
    Closure,
    NeedsBooking,
    Operative,
    RoutingRule,
    SchedulerConnection,
    TeamCalendar,
    WorkingHours,
)
from .selectors import waiting_for_booking


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Listed and inspected only: appointments change through bookings, the queue through retries."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Appointment, ReadOnlyPermissionPolicy(Appointment), exact_class=True)
register_permission_policy(NeedsBooking, ReadOnlyPermissionPolicy(NeedsBooking), exact_class=True)


class RoutingRuleViewSet(ModelViewSet):
    model = RoutingRule
    icon = "redirect"
    menu_label = "Routing rules"
    list_display = [
        "__str__",
        "team",
        BooleanColumn("residents_book_online", label="Book online"),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["connection", "location", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("trade"), FieldPanel("location")], heading="Which jobs"),
        FieldRowPanel([FieldPanel("connection"), FieldPanel("team")], heading="Who books and does them"),
        FieldRowPanel([FieldPanel("residents_book_online"), FieldPanel("contact_within_days")]),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("is_active")]),
    ]


class SchedulerConnectionViewSet(ModelViewSet):
    model = SchedulerConnection
    icon = "link"
    menu_label = "Schedulers"
    list_display = ["name", "kind", "endpoint_url", BooleanColumn("is_active", label="Active")]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldPanel("endpoint_url"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("username"), FieldPanel("password")]),
                    FieldRowPanel([FieldPanel("client_id"), FieldPanel("client_secret")]),
                    FieldRowPanel([FieldPanel("instance"), FieldPanel("world"), FieldPanel("contract")]),
                ],
                heading="Reaching the scheduler",
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("inbound_username"), FieldPanel("inbound_secret")])],
                heading="Updates the scheduler sends us",
            ),
            FieldRowPanel([FieldPanel("timeout_seconds"), FieldPanel("is_active")]),
        ],
        base_form_class=SchedulerConnectionForm,
    )


class OperativeViewSet(ModelViewSet):
    model = Operative
    icon = "user"
    list_display = ["name", "team", BooleanColumn("is_active", label="Active")]
    list_filter = ["team", "trades", "is_active"]
    search_fields = ["name"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("team")]),
        FieldPanel("trades"),
        FieldPanel("is_active"),
    ]


class WorkingHoursViewSet(ModelViewSet):
    model = WorkingHours
    icon = "time"
    menu_label = "Working hours"
    list_display = ["operative", "weekday", "starts", "ends"]
    list_filter = ["operative__team", "weekday"]
    panels = [
        FieldRowPanel([FieldPanel("operative"), FieldPanel("weekday")]),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
    ]


class ClosureViewSet(ModelViewSet):
    model = Closure
    icon = "date"
    list_display = ["reason", "starts_on", "ends_on", "team", "operative"]
    list_filter = ["team"]
    panels = [
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel(
            [FieldPanel("team"), FieldPanel("operative")], help_text="Leave both empty to close for everyone."
        ),
    ]


class TeamCalendarViewSet(ModelViewSet):
    model = TeamCalendar
    icon = "calendar"
    menu_label = "Team calendars"
    list_display = ["team", "lead_days"]
    panels = [FieldPanel("team"), FieldPanel("slot_shapes"), FieldPanel("lead_days")]


class AppointmentViewSet(ModelViewSet):
    model = Appointment
    icon = "calendar-check"
    list_display = ["job", "connection", "status", "starts_at", "operative_name"]
    list_filter = ["status", "connection"]
    inspect_view_enabled = True
    form_fields = ["status"]  # never editable: the read-only policy refuses changes


class NeedsBookingViewSet(ModelViewSet):
    """The queue staff watch: jobs a scheduler has not taken yet, with the reason and the next try, and
    homes to call back before booking ("Call the resident to arrange a visit")."""

    model = NeedsBooking
    icon = "warning"
    menu_label = "Needs booking"
    list_display = [
        "job",
        "reason",
        "attempts",
        "next_attempt_at",
        BooleanColumn("retryable", label="Retried"),
    ]
    list_filter = ["retryable"]
    inspect_view_enabled = True
    form_fields = ["reason"]  # never editable: the read-only policy refuses changes

    def get_queryset(self, request):
        return waiting_for_booking()


class SchedulingViewSetGroup(ModelViewSetGroup):
    menu_label = "Scheduling"
    menu_icon = "calendar-alt"
    items = (
        NeedsBookingViewSet("needs_booking"),
        AppointmentViewSet("appointments"),
        RoutingRuleViewSet("routing_rules"),
        SchedulerConnectionViewSet("schedulers"),
        OperativeViewSet("operatives"),
        WorkingHoursViewSet("working_hours"),
        ClosureViewSet("closures"),
        TeamCalendarViewSet("team_calendars"),
    )


@hooks.register("register_admin_viewset")
def register_scheduling_viewsets():
    return SchedulingViewSetGroup()
