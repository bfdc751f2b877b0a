"""docs/deploy.md's nginx configuration, run as written (its own ports and a throw-away
certificate) in front of a real `kg serve`: TLS, kg's headers passed through, compression, and
client addresses that a client cannot forge. nginx comes from Debian's nginx-light (.ci/run
installs it; `apt-get install nginx-light` here)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT, free_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.which("/usr/sbin/nginx") else None)


def _server_block() -> str:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    return re.search(r"```nginx\n(.*?)```", text, re.S).group(1)


def _wait(url: str, **kwargs) -> None:
    deadline = time.time() + 30
    while True:
        try:
            httpx.get(url, timeout=2, **kwargs)
            return
        except httpx.TransportError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def proxied(seeds_store, tmp_path_factory):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light; .ci/run does)")
    work = tmp_path_factory.mktemp("nginx")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")], check=True, capture_output=True)
    kg_port, tls_port = free_port(), free_port()
    block = (_server_block().replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;")
             .replace("/etc/ssl/kg/fullchain.pem", str(work / "cert.pem"))
             .replace("/etc/ssl/kg/privkey.pem", str(work / "key.pem"))
             .replace("127.0.0.1:7878", f"127.0.0.1:{kg_port}"))
    assert f"127.0.0.1:{kg_port}" in block and str(work / "cert.pem") in block      # the doc's block, adapted
    temps = "\n".join(f"{name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
{"user root;" if __import__("os").geteuid() == 0 else ""}
events {{}}
http {{
    access_log off;
    {temps}
    {block}
}}
""", encoding="utf-8")
    kg = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(seeds_store), "--port", str(kg_port),
                           "--workers", "1", "--access-log", "--forwarded-allow-ips", "127.0.0.1"],
                          stdout=open(work / "kg.log", "w"), stderr=subprocess.STDOUT)     # uvicorn logs access on stdout
    nginx = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
                             stderr=subprocess.PIPE)
    try:
        _wait(f"http://127.0.0.1:{kg_port}/prefixes.json")
        _wait(f"https://127.0.0.1:{tls_port}/prefixes.json", verify=False)
        yield {"tls": f"https://127.0.0.1:{tls_port}", "kg": f"http://127.0.0.1:{kg_port}", "log": work / "kg.log"}
    finally:
        nginx.terminate()
        kg.terminate()
        nginx.wait(timeout=30)
        kg.wait(timeout=30)


def test_pages_come_over_tls_with_kg_headers(proxied):
    r = httpx.get(proxied["tls"] + "/", verify=False)
    assert r.status_code == 200 and "Yasgui" not in r.headers.get("server", "")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    sparql = httpx.get(proxied["tls"] + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json", "Origin": "https://notebook.example"},
                       verify=False)
    assert sparql.json()["boolean"] is True and sparql.headers["access-control-allow-origin"] == "*"


def test_the_proxy_compresses(proxied):
    r = httpx.get(proxied["tls"] + "/static/kg.css", headers={"Accept-Encoding": "gzip"}, verify=False)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"


def _logged_client(proxied, path: str) -> str:
    deadline = time.time() + 10
    while time.time() < deadline:
        for line in proxied["log"].read_text().splitlines():
            if f'"GET {path} ' in line:
                return re.search(r"INFO:\s+(\S+):\d+ - ", line).group(1)
        time.sleep(0.1)
    raise AssertionError(proxied["log"].read_text())


def test_a_client_cannot_forge_its_address_through_the_proxy(proxied):
    httpx.get(proxied["tls"] + "/prefixes.json?through-proxy", headers={"X-Forwarded-For": "203.0.113.7"},
              verify=False)
    assert _logged_client(proxied, "/prefixes.json?through-proxy") == "127.0.0.1"      # what nginx saw


def test_kg_takes_the_address_its_trusted_proxy_gives(proxied):
    httpx.get(proxied["kg"] + "/prefixes.json?from-proxy", headers={"X-Forwarded-For": "198.51.100.9"})
    assert _logged_client(proxied, "/prefixes.json?from-proxy") == "198.51.100.9"
