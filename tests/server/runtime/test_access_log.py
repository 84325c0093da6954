from __future__ import annotations

import io
import logging

import pytest
from uvicorn.logging import AccessFormatter

from server.runtime.access_log import (
    REDACTED,
    AccessLine,
    RedactSecrets,
    redact_target,
    uvicorn_log_config,
)

SIGNED = (
    ".eJyrVipILCrJSy2Kz0xRsjLUUUrOzy1IzKuEcVPyk0tzU_NKYPyc_OTEnFQlK6W0IqVaAIrrFGo.axY_TA.rcfeaKWb"
)


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        (f"/editor/pdf/{SIGNED}", f"/editor/pdf/{REDACTED}"),
        (f"/demo/pdf/{SIGNED[1:]}", f"/demo/pdf/{REDACTED}"),
        (f"/editor?p={SIGNED}", f"/editor?p={REDACTED}"),
        ("/studio/login?t=abc&next=/x", f"/studio/login?t={REDACTED}&next=/x"),
        (
            "/a?TOKEN=1&Access_Token=2&api_key=3",
            f"/a?TOKEN={REDACTED}&Access_Token={REDACTED}&api_key={REDACTED}",
        ),
        (f"/a?other={SIGNED}", f"/a?other={REDACTED}"),
        ("/editor#t=abc", "/editor"),
        (
            "/api/v1/companies/3/documents?limit=50&status=draft",
            "/api/v1/companies/3/documents?limit=50&status=draft",
        ),
        ("/editor/static/editor.3f2a1b9c.js", "/editor/static/editor.3f2a1b9c.js"),
    ],
)
def test_secrets_are_redacted_and_the_rest_kept(target: str, shown: str) -> None:
    assert redact_target(target) == shown


def test_the_filter_rewrites_uvicorns_access_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/editor/pdf/{SIGNED}", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == f'127.0.0.1:5000 - "GET /editor/pdf/{REDACTED} HTTP/1.1" 200'


def test_every_handler_and_the_services_own_loggers_are_filtered() -> None:
    config = uvicorn_log_config()
    assert config["root"]["handlers"] == ["default"]  # not Python's unfiltered last resort
    assert all("redact_secrets" in h["filters"] for h in config["handlers"].values())
    assert config["filters"]["redact_secrets"]["()"].endswith("RedactSecrets")


def _access_record(status: int, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        level,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/api/v1/companies/3/documents?limit=5", "1.1", status),
        None,
    )


@pytest.mark.parametrize("status", [200, 201, 404, 422, 599])
@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING])
def test_the_access_line_reads_as_uvicorns_uncoloured_one(status: int, level: int) -> None:
    uvicorns = AccessFormatter(
        '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False
    )
    assert AccessLine().format(_access_record(status, level)) == uvicorns.format(
        _access_record(status, level)
    )


def test_an_access_line_goes_out_redacted_through_the_configured_handler() -> None:
    config = uvicorn_log_config()  # under pytest stdout is no terminal: AccessLine
    assert config["formatters"]["access"]["()"].endswith(".AccessLine")
    assert config["handlers"]["access"]["filters"] == ["redact_secrets"]
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactSecrets())
    handler.setFormatter(AccessLine())
    record = _access_record(200)
    record.args = ("127.0.0.1:5000", "GET", f"/editor/pdf/{SIGNED}", "1.1", 200)
    handler.handle(record)
    assert out.getvalue() == (
        f'INFO:     127.0.0.1:5000 - "GET /editor/pdf/{REDACTED} HTTP/1.1" 200 OK\n'
    )
