"""nginx in front of nodes on loopback, with ops/nginx/maps.conf and site.conf (the scale tier and
bench/load.py): Debian's package with a prefix and configuration of its own, TLS with a
self-signed ``openssl`` certificate, and the node that answered named in ``X-Upstream``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from site_core.tests.faults.conftest import PROJECT_DIR, free_port, wait_for_port

NGINX = Path("/usr/sbin/nginx")
START_TIMEOUT = 60.0


class Proxy:
    """nginx with its own prefix, ops/nginx/maps.conf and site.conf around the two nodes."""

    def __init__(self, *, http_ports: list[int], ws_ports: list[int], base: Path, static_root: Path) -> None:
        self.base = base
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.http_ports, self.ws_ports, self.static_root = http_ports, ws_ports, static_root
        self.process: subprocess.Popen | None = None

    def configure(self) -> Path:
        for folder in ("logs", "temp", "tls"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - our own arguments
            [
                "/usr/bin/openssl",
                *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
                *("-keyout", str(self.base / "tls" / "privkey.pem")),
                *("-out", str(self.base / "tls" / "fullchain.pem")),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        http = "".join(f"        server 127.0.0.1:{port};\n" for port in self.http_ports)
        ws = "".join(f"        server 127.0.0.1:{port};\n" for port in self.ws_ports)
        temp = self.base / "temp"
        config = self.base / "nginx.conf"
        # Workers that can read the test's temporary folders (nginx drops to "nobody" as root).
        user = "user root;\n" if os.geteuid() == 0 else ""
        config.write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {self.base}/nginx.pid;
error_log {self.base}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstream "$upstream_addr $status";
    access_log {self.base}/logs/upstreams.log upstream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {PROJECT_DIR}/ops/nginx/maps.conf;
    upstream petrasche_http {{
{http}        keepalive 32;
    }}
    upstream petrasche_ws {{
{ws}    }}
    server {{
        listen 127.0.0.1:{self.port} ssl;
        ssl_certificate {self.base}/tls/fullchain.pem;
        ssl_certificate_key {self.base}/tls/privkey.pem;
        set $petrasche_static_root {self.static_root};
        add_header X-Upstream $upstream_addr always;
        include {PROJECT_DIR}/ops/nginx/site.conf;
    }}
}}
"""
        )
        return config

    def start(self) -> None:
        config = self.configure()
        command = [str(NGINX), "-p", str(self.base), "-c", str(config)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)  # noqa: S603
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wait_for_port(self.port, timeout=START_TIMEOUT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def log(self) -> str:
        path = self.base / "logs" / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""
