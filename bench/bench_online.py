"""Uploads to the receiving service at 20 concurrent clients, against importing the same
bundles from a folder, in the same run (issue 16).

Two provinces, each a fresh workspace with the same units and keys enrolled, receive the same
real bundles (those of ``bench_import``: one ward's exported report re-issued for 40 wards):

* folder — ``workspace.exchange.import_bundles`` on the folder, as from a USB stick, once
  before and once after the online run (each into a fresh workspace), their mean compared;
* online — ``baocao serve`` (uvicorn, TLS with a pinned test certificate, receipts signed) in
  its own process, as on the office's machine, and 20 client threads in this one, each
  uploading its wards' bundles in order with the lower office's client
  (``core.exchange.online.Connection``), one request per bundle, each with the ward's signed
  request statement (as the window and ``baocao send`` upload), the receipt in each answer.

The clients share the machine's cores with the service here, where on the line each office
has its own machine: the CPU time of each side is printed to show how much that costs.

Figures: uploads per second, p50/p99 latency of one upload, and the ratio of the online rate
to the folder rate. Target: ratio >= 0.5.

Usage: .venv/bin/python bench/bench_online.py [--count 1000] [--clients 20] [--folder DIR]
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_import import (
    PASSPHRASE,
    WARDS,
    make_bundles,
    province_workspace,
    real_sample,
    ward_key,
    ward_office,
)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop_app.core.exchange.online import Asker, Connection, Retries
from desktop_app.core.workspace import Workspace
from desktop_app.server.run import ServeOptions

TARGET_RATIO = 0.5
ASKERS = {ward_office(i).code: Asker(ward_office(i).code, ward_key(i)) for i in range(WARDS)}
SERVICE_CPU: list[float] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench")])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "bench.crt", folder / "bench.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def folder_seconds(province: Workspace, folder: Path) -> float:
    started = time.perf_counter()
    outcomes = province.exchange.import_bundles([folder])
    elapsed = time.perf_counter() - started
    if any(o.status != "imported" for o in outcomes):
        raise SystemExit("folder import refused bundles")
    return elapsed


def by_sender(paths: list[Path], clients: int) -> list[list[Path]]:
    """Each client sends whole wards, in sequence order, as a ward's own machine would."""
    wards: dict[str, list[Path]] = {}
    for path in paths:
        wards.setdefault(path.name.split("_")[1], []).append(path)
    shares: list[list[Path]] = [[] for _ in range(clients)]
    for index, ward_paths in enumerate(wards.values()):
        shares[index % clients].extend(sorted(ward_paths))
    return shares


def online_seconds(
    root: Path, paths: list[Path], clients: int, tls: tuple[Path, Path]
) -> tuple[float, list[float]]:
    options = ServeOptions(port=free_port(), certificate=tls[0], private_key=tls[1])
    address = options.address()
    with serving(root, options):

        def client(share: list[Path]) -> list[float]:
            latencies = []
            with Connection(address, Retries(attempts=3)) as line:
                for path in share:
                    data = path.read_bytes()
                    started = time.perf_counter()
                    asker = ASKERS[path.name.split("_")[1]]
                    answer = line.upload(path.name, data, asker=asker)
                    latencies.append(time.perf_counter() - started)
                    if answer.status != "imported" or len(answer.receipts) != 1:
                        raise SystemExit(f"{path.name}: {answer}")
            return latencies

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(client, by_sender(paths, clients)))
        elapsed = time.perf_counter() - started
    return elapsed, [latency for share in results for latency in share]


@contextmanager
def serving(workspace: Path, options: ServeOptions) -> Iterator[None]:
    """``baocao serve`` in its own process, as on the upper office's machine."""
    secret = workspace.parent / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    assert options.certificate and options.private_key
    process = subprocess.Popen(
        [
            sys.executable, "-m", "desktop_app.cli.main", "serve", "--workspace", str(workspace),
            "--port", str(options.port), "--rate", "1e9", "--passphrase-file", str(secret),
            "--cert", str(options.certificate), "--key", str(options.private_key),
        ],
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    try:
        wait_until_listening(options.port)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    SERVICE_CPU.append(_children_cpu())


def wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            continue
    raise SystemExit("the service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--folder", type=Path, default=None, help="where to work (default: temp)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=options.folder) as temp:
        root = Path(temp)
        stick = root / "stick"
        stick.mkdir()
        print(f"making {options.count} bundles …", flush=True)
        paths = make_bundles(real_sample(root), options.count, stick)
        tls = certificate(root)
        with province_workspace(root / "by_folder") as by_folder:
            folder_before = folder_seconds(by_folder, stick)
        with province_workspace(root / "online") as online:
            online.keys.create(PASSPHRASE)
        own_cpu = time.process_time()
        elapsed, latencies = online_seconds(online.root, paths, options.clients, tls)
        own_cpu = time.process_time() - own_cpu
        with province_workspace(root / "by_folder_after") as by_folder:
            folder_after = folder_seconds(by_folder, stick)
    # The folder import before and after the online run, so that a change in the machine's
    # load during the run weighs on both sides alike.
    folder = (folder_before + folder_after) / 2
    folder_rate, online_rate = len(paths) / folder, len(paths) / elapsed
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    print(f"bundles: {len(paths)}, clients: {options.clients}")
    print(
        f"folder import: {folder:.2f} s ({folder_rate:.1f} bundles/s; "
        f"{folder_before:.2f} s before the online run, {folder_after:.2f} s after)"
    )
    print(
        f"online: {elapsed:.2f} s ({online_rate:.1f} uploads/s), p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
    print(f"CPU: service {SERVICE_CPU[-1]:.1f} s, the 20 clients {own_cpu:.1f} s")
    ratio = online_rate / folder_rate
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio online/folder: {ratio:.3f} (target >= {TARGET_RATIO}: {verdict})")


if __name__ == "__main__":
    main()
