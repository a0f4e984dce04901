"""`rapport serve` really serves: a uvicorn process on loopback answers /health."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from rapport.api.app import create_app
from rapport.config import Settings
from rapport.wiring import Rapport


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], seconds: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early with {proc.returncode}")
        try:
            return httpx.get(url, timeout=2.0)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_serve_answers_health_on_loopback(tmp_path: Path) -> None:
    db = tmp_path / "serve.db"
    env = {**os.environ, "RAPPORT_DATABASE_URL": f"sqlite:///{db}"}
    cli = [sys.executable, "-c", "from rapport.cli.main import main; main()"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/health", proc)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert response.json()["database"] == "sqlite"
        api = httpx.get(f"http://127.0.0.1:{port}/api/v1/contacts", timeout=5.0)
        assert api.status_code == 401
        assert api.headers["content-type"] == "application/problem+json"
        spec = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5.0)
        assert spec.json()["openapi"].startswith("3.")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("path", ["/health"])
def test_health_reports_the_database_in_process(tmp_path: Path, path: str) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}")
    rapport = Rapport(settings)
    rapport.upgrade()
    with TestClient(create_app(rapport=rapport)) as client:
        body = client.get(path).json()
    assert body["status"] == "ok" and body["version"] and body["database"] == "sqlite"


def test_health_without_a_database_answers_503_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with TestClient(create_app(Settings(database_url=f"sqlite:///{path}"))) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "No rapport database at" in response.json()["detail"]
    assert response.json()["code"] == "DATABASE"
    assert not path.exists()


def test_openapi_has_clean_operation_ids(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'o.db'}")
    with TestClient(create_app(settings)) as client:
        spec = client.get("/api/v1/openapi.json").json()
    assert spec["paths"]["/health"]["get"]["operationId"] == "health"
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalpha() and i.islower() for i in ids), ids
    assert spec["paths"]["/api/v1/segments/{no}/log"]["post"]["operationId"] == "log_segment"
