"""Scheduler credentials are Fernet tokens in the database, plain in Python, and rows stored before
encryption are encrypted by the migration."""

from __future__ import annotations

import importlib

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from scheduling.models import SchedulerConnection

pytestmark = pytest.mark.django_db

SECRETS = ("password", "client_secret", "inbound_secret")


def stored(pk: int) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT password, client_secret, inbound_secret FROM scheduling_schedulerconnection "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


@pytest.fixture
def keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    return settings


def test_secrets_are_stored_encrypted_and_read_back_plain(keys):
    row = SchedulerConnection.objects.create(
        name="DRS", kind="drs", password="pass-1", client_secret="client-2", inbound_secret="inbound-3"
    )
    raw = stored(row.pk)
    assert all(value.startswith("gAAAAA") for value in raw)
    assert not {"pass-1", "client-2", "inbound-3"} & set(raw)
    fresh = SchedulerConnection.objects.get(pk=row.pk)
    assert (fresh.password, fresh.client_secret, fresh.inbound_secret) == ("pass-1", "client-2", "inbound-3")


def test_a_blank_secret_stays_blank(keys):
    row = SchedulerConnection.objects.create(name="Calendar", kind="builtin")
    assert stored(row.pk) == ("", "", "")
    assert SchedulerConnection.objects.get(pk=row.pk).password == ""


def test_a_new_key_in_front_still_reads_rows_saved_with_the_old_one(keys):
    row = SchedulerConnection.objects.create(name="DRS", kind="drs", password="before-rotation")
    keys.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *keys.FIELD_ENCRYPTION_KEYS]
    assert SchedulerConnection.objects.get(pk=row.pk).password == "before-rotation"


def test_a_row_no_key_opens_is_a_clear_error(keys):
    row = SchedulerConnection.objects.create(name="DRS", kind="drs", password="lost")
    keys.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        SchedulerConnection.objects.get(pk=row.pk)


def test_the_migration_encrypts_rows_stored_in_plain_text(keys):
    row = SchedulerConnection.objects.create(name="Total Mobile", kind="totalmobile")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scheduling_schedulerconnection "
            "SET password = %s, client_secret = %s, inbound_secret = %s WHERE id = %s",
            ["plain-pass", "plain-client", "", row.pk],
        )
    migration = importlib.import_module("scheduling.migrations.0003_encrypted_secrets_and_no_access")
    with connection.schema_editor() as editor:
        migration.encrypt_stored(None, editor)
    raw = stored(row.pk)
    assert raw[0].startswith("gAAAAA") and raw[1].startswith("gAAAAA") and raw[2] == ""
    fresh = SchedulerConnection.objects.get(pk=row.pk)
    assert (fresh.password, fresh.client_secret, fresh.inbound_secret) == ("plain-pass", "plain-client", "")
    with connection.schema_editor() as editor:
        migration.decrypt_stored(None, editor)
    assert stored(row.pk) == ("plain-pass", "plain-client", "")
