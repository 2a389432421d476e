"""Logs are JSON in production and never carry a resident's personal data."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
import structlog

from config.logging_setup import build_logging, drop_personal_data, mask_text


@pytest.fixture
def json_log():
    """Route the root logger through the production formatter into a buffer for one test."""
    stream = io.StringIO()
    config = build_logging(json_lines=True, level="INFO", quiet_eager_tasks=False)
    config["handlers"]["console"]["stream"] = stream
    config["handlers"]["console"]["class"] = "logging.StreamHandler"
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logging.config.dictConfig(config)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_personal_keys_are_removed_from_the_event():
    event = drop_personal_data(
        None,
        "info",
        {
            "event": "report_received",
            "reference": "RP-7K3M9Q",
            "contact_name": "Sam Resident",
            "contact_email": "sam@example.org",
            "contact_phone": "07700 900123",
            "postcode": "SW1A 1AA",
        },
    )

    assert event["reference"] == "RP-7K3M9Q"
    assert {event[key] for key in ("contact_name", "contact_email", "contact_phone", "postcode")} == {
        "[removed]"
    }


def test_emails_phones_postcodes_and_tokens_are_masked_inside_text():
    text = mask_text(
        "sent to sam.r+x@example.org and 07700 900123 (+44 7700 900 456) about SW1A 1AA at "
        "/repairs/status/Zq1x9dK3mN4pL7wR2tY8uV0sA5bC6eF7gH/ for RP-7K3M9Q on 2026-12-02"
    )

    for secret in (
        "sam.r+x@example.org",
        "900123",
        "900 456",
        "SW1A 1AA",
        "Zq1x9dK3mN4pL7wR2tY8uV0sA5bC6eF7gH",
    ):
        assert secret not in text
    assert "RP-7K3M9Q" in text and "2026-12-02" in text


def test_nested_values_are_scrubbed():
    event = drop_personal_data(None, "info", {"event": "x", "message": {"recipient": "a@b.org", "job": 4}})

    assert event["message"] == {"recipient": "[removed]", "job": 4}


def test_stdlib_log_lines_come_out_as_json_without_personal_data(json_log):
    logging.getLogger("repairs.test").warning("Could not reach sam@example.org at SW1A 1AA")

    (line,) = lines(json_log)
    assert line["level"] == "warning"
    assert line["logger"] == "repairs.test"
    assert "sam@example.org" not in line["event"] and "SW1A 1AA" not in line["event"]


def test_structlog_events_come_out_as_json_without_personal_data(json_log):
    structlog.get_logger("repairs.test").info(
        "report_received", reference="RP-7K3M9Q", contact_email="a@b.org"
    )

    (line,) = lines(json_log)
    assert line["event"] == "report_received"
    assert line["reference"] == "RP-7K3M9Q"
    assert line["contact_email"] == "[removed]"
    assert "timestamp" in line


def test_tracebacks_are_masked_too(json_log):
    try:
        raise ValueError("bad address sam@example.org")
    except ValueError:
        logging.getLogger("repairs.test").exception("failed")

    (line,) = lines(json_log)
    assert "ValueError" in line["exception"]
    assert "sam@example.org" not in line["exception"]


def test_embedded_run_quietens_eager_celery_and_kombu():
    loggers = build_logging(json_lines=False, level="INFO", quiet_eager_tasks=True)["loggers"]

    assert loggers["celery.app.trace"]["level"] == "WARNING"
    assert loggers["kombu"]["level"] == "ERROR"


def test_a_request_writes_one_structured_line_without_the_status_token(client, db, json_log):
    request_logger = logging.getLogger("django_structlog")
    level = request_logger.level
    request_logger.setLevel(logging.INFO)
    token = "Zq1x9dK3mN4pL7wR2tY8uV0sA5bC6eF7gH"
    try:
        client.get(f"/repairs/status/{token}/?postcode=SW1A+1AA")
    finally:
        request_logger.setLevel(level)

    finished = [line for line in lines(json_log) if line.get("event") == "request_finished"]
    assert finished, lines(json_log)
    assert token not in json.dumps(finished) and "SW1A" not in json.dumps(finished)
    assert "ip" not in finished[0]
