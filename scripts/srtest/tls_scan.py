"""scripts/srtest/tls_scan.py: scan one TLS server with sslyze and judge what it found against
Strongroom's TLS policy. Run by scripts/tls-scan (with the sslyze virtual environment's
python); usable on its own against any HOST:PORT:

    PYTHONPATH=scripts python -m srtest.tls_scan --target 127.0.0.1:8443 --expect-cert cert.pem [--full]

Properties judged (each printed as PASS/FAIL with what was seen):
  - SSL 2.0, SSL 3.0, TLS 1.0 and TLS 1.1: no cipher suite accepted;
  - TLS 1.2: every accepted suite is ECDHE key exchange with an AEAD cipher (AES-GCM or
    ChaCha20-Poly1305), at least one is accepted, none is anonymous;
  - TLS 1.3: accepted;
  - the leaf certificate served (with and without SNI) has the SHA-256 fingerprint of
    --expect-cert (skipped, and said so, without --expect-cert);
  - Strict-Transport-Security is sent, with a positive max-age;
  - TLS compression off; no client-initiated renegotiation, secure renegotiation (RFC 5746)
    when the server speaks TLS 1.2; TLS_FALLBACK_SCSV honoured; no TLS 1.3 early data (0-RTT
    requests could be replayed);
  - with --full also: not vulnerable to Heartbleed, OpenSSL CCS injection or ROBOT (the
    supported curves are printed, not judged).

Exit status: 0 when every property holds, 1 when one fails or the scan could not be done,
2 for a usage error.
"""

import argparse
import hashlib
import json
import sys
import time
import warnings

from srtest.verdicts import Verdicts

# sslyze's bundled trust stores hold certificates that newer cryptography warns about.
warnings.filterwarnings("ignore", module="sslyze")
warnings.filterwarnings("ignore", message=".*serial number.*")

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from sslyze import (
        ScanCommand,
        Scanner,
        ServerNetworkConfiguration,
        ServerNetworkLocation,
        ServerScanRequest,
        ServerScanStatusEnum,
        ScanCommandAttemptStatusEnum,
    )
    from sslyze.errors import ServerHostnameCouldNotBeResolved
except ImportError as error:  # pragma: no cover - the wrapper installs sslyze first
    print(f"tls_scan.py: sslyze is not importable ({error}); run it with the python of "
          "scripts/lib/python.sh's environment (sr_py_tools sslyze==6.3.1)", file=sys.stderr)
    sys.exit(2)

LEGACY = [
    ("SSL 2.0", ScanCommand.SSL_2_0_CIPHER_SUITES),
    ("SSL 3.0", ScanCommand.SSL_3_0_CIPHER_SUITES),
    ("TLS 1.0", ScanCommand.TLS_1_0_CIPHER_SUITES),
    ("TLS 1.1", ScanCommand.TLS_1_1_CIPHER_SUITES),
]
BASE_COMMANDS = {cmd for _, cmd in LEGACY} | {
    ScanCommand.TLS_1_2_CIPHER_SUITES,
    ScanCommand.TLS_1_3_CIPHER_SUITES,
    ScanCommand.CERTIFICATE_INFO,
    ScanCommand.HTTP_HEADERS,
    ScanCommand.TLS_COMPRESSION,
    ScanCommand.SESSION_RENEGOTIATION,
    ScanCommand.TLS_FALLBACK_SCSV,
    ScanCommand.TLS_1_3_EARLY_DATA,
}
FULL_COMMANDS = {
    ScanCommand.HEARTBLEED,
    ScanCommand.OPENSSL_CCS_INJECTION,
    ScanCommand.ROBOT,
    ScanCommand.ELLIPTIC_CURVES,
}


def tls12_suite_ok(name):
    """A TLS 1.2 suite (IANA name) with ECDHE key exchange and an AEAD cipher."""
    ecdhe = name.startswith("TLS_ECDHE_ECDSA_WITH_") or name.startswith("TLS_ECDHE_RSA_WITH_")
    aead = "_GCM_" in name or name.endswith("_CHACHA20_POLY1305_SHA256")
    return ecdhe and aead


def attempt_result(scan_result, command, verdicts, label):
    """The command's result, or None after recording a FAIL saying why it is missing."""
    attempt = getattr(scan_result, command.value)
    if attempt.status == ScanCommandAttemptStatusEnum.COMPLETED:
        return attempt.result
    reason = attempt.error_reason.value if attempt.error_reason else "?"
    trace = ""
    if attempt.error_trace is not None:
        trace = " ".join(attempt.error_trace.format_exception_only()).strip()
    verdicts.add(label, False, f"sslyze could not run {command.value}: {reason} {trace}".strip())
    return None


def suite_line(accepted):
    key = accepted.ephemeral_key
    kex = f" ({key.type_name} {getattr(key, 'curve_name', '')} {key.size} bits)".replace("  ", " ") if key else ""
    return f"{accepted.cipher_suite.name}{kex}"


def judge(scan_result, expected_fingerprint, full, verdicts):
    for label, command in LEGACY:
        result = attempt_result(scan_result, command, verdicts, f"{label} refused")
        if result is None:
            continue
        accepted = [suite_line(a) for a in result.accepted_cipher_suites]
        verdicts.add(f"{label} refused", not accepted,
                     "no suite accepted" if not accepted else f"accepted {len(accepted)}: {', '.join(accepted)}")

    result = attempt_result(scan_result, ScanCommand.TLS_1_2_CIPHER_SUITES, verdicts, "TLS 1.2 ECDHE+AEAD only")
    if result is not None:
        accepted = result.accepted_cipher_suites
        bad = [a for a in accepted if a.cipher_suite.is_anonymous or not tls12_suite_ok(a.cipher_suite.name)]
        for a in accepted:
            print(f"        TLS 1.2 accepted: {suite_line(a)}{'   <-- not ECDHE+AEAD' if a in bad else ''}")
        if not accepted:
            verdicts.add("TLS 1.2 ECDHE+AEAD only", False, "TLS 1.2 not accepted at all (clients without TLS 1.3 cannot connect)")
        else:
            verdicts.add("TLS 1.2 ECDHE+AEAD only", not bad,
                         f"{len(accepted)} suites accepted, all ECDHE+AEAD" if not bad
                         else f"{len(bad)} of {len(accepted)} accepted suites are not ECDHE+AEAD: "
                              + ", ".join(a.cipher_suite.name for a in bad))

    result = attempt_result(scan_result, ScanCommand.TLS_1_3_CIPHER_SUITES, verdicts, "TLS 1.3 accepted")
    if result is not None:
        accepted = [suite_line(a) for a in result.accepted_cipher_suites]
        verdicts.add("TLS 1.3 accepted", bool(accepted),
                     f"{len(accepted)} suites: {', '.join(accepted)}" if accepted else "no TLS 1.3 suite accepted")

    result = attempt_result(scan_result, ScanCommand.CERTIFICATE_INFO, verdicts, "configured certificate served")
    if result is not None:
        served = []
        for deployment in result.certificate_deployments:
            chain = deployment.received_certificate_chain
            leaf = chain[0]
            served.append((leaf.fingerprint(hashes.SHA256()).hex(), leaf.subject.rfc4514_string(), len(chain)))
        for fingerprint, subject, length in served:
            print(f"        served leaf: {subject} sha256={fingerprint} (chain of {length})")
        if expected_fingerprint is None:
            verdicts.note("configured certificate served", "not judged (no --expect-cert)")
        elif not served:
            verdicts.add("configured certificate served", False, "no certificate received")
        else:
            wrong = [f for f, _, _ in served if f != expected_fingerprint]
            verdicts.add("configured certificate served", not wrong,
                         f"leaf sha256 {expected_fingerprint} in {len(served)} of {len(served)} deployments"
                         if not wrong else f"expected sha256 {expected_fingerprint}, served {', '.join(sorted(set(wrong)))}")

    result = attempt_result(scan_result, ScanCommand.HTTP_HEADERS, verdicts, "HSTS sent")
    if result is not None:
        hsts = result.strict_transport_security_header
        if result.http_error_trace is not None:
            verdicts.add("HSTS sent", False, "the HTTP request failed: "
                         + " ".join(result.http_error_trace.format_exception_only()).strip())
        elif hsts is None:
            verdicts.add("HSTS sent", False, f"no Strict-Transport-Security header in the answer to {result.http_request_sent.splitlines()[0]!r}")
        else:
            ok = hsts.max_age is not None and hsts.max_age > 0
            verdicts.add("HSTS sent", ok, f"max-age={hsts.max_age} includeSubDomains={hsts.include_subdomains} preload={hsts.preload}"
                         + ("" if ok else " (max-age missing or zero)"))

    result = attempt_result(scan_result, ScanCommand.TLS_COMPRESSION, verdicts, "TLS compression off")
    if result is not None:
        verdicts.add("TLS compression off", not result.supports_compression,
                     "not supported" if not result.supports_compression else "the server accepts TLS compression (CRIME)")

    tls12 = getattr(scan_result, ScanCommand.TLS_1_2_CIPHER_SUITES.value)
    speaks_tls12 = tls12.status == ScanCommandAttemptStatusEnum.COMPLETED and bool(tls12.result.accepted_cipher_suites)
    result = attempt_result(scan_result, ScanCommand.SESSION_RENEGOTIATION, verdicts, "no insecure renegotiation")
    if result is not None:
        problems = []
        if result.is_vulnerable_to_client_renegotiation_dos:
            problems.append(f"client-initiated renegotiation accepted ({result.client_renegotiations_success_count} times)")
        if speaks_tls12 and not result.supports_secure_renegotiation:
            problems.append("no secure renegotiation (RFC 5746) indication")
        verdicts.add("no insecure renegotiation", not problems,
                     "; ".join(problems) if problems else
                     f"client renegotiation refused, secure renegotiation {'supported' if result.supports_secure_renegotiation else 'not indicated'}")

    result = attempt_result(scan_result, ScanCommand.TLS_FALLBACK_SCSV, verdicts, "TLS_FALLBACK_SCSV honoured")
    if result is not None:
        verdicts.add("TLS_FALLBACK_SCSV honoured", result.supports_fallback_scsv,
                     "downgrade signal honoured" if result.supports_fallback_scsv else "the server ignores TLS_FALLBACK_SCSV")

    result = attempt_result(scan_result, ScanCommand.TLS_1_3_EARLY_DATA, verdicts, "no TLS 1.3 early data")
    if result is not None:
        verdicts.add("no TLS 1.3 early data", not result.supports_early_data,
                     "0-RTT refused" if not result.supports_early_data else "0-RTT data accepted (replayable requests)")

    if not full:
        return
    result = attempt_result(scan_result, ScanCommand.HEARTBLEED, verdicts, "not vulnerable to Heartbleed")
    if result is not None:
        verdicts.add("not vulnerable to Heartbleed", not result.is_vulnerable_to_heartbleed,
                     "VULNERABLE" if result.is_vulnerable_to_heartbleed else "not vulnerable")
    result = attempt_result(scan_result, ScanCommand.OPENSSL_CCS_INJECTION, verdicts, "not vulnerable to CCS injection")
    if result is not None:
        verdicts.add("not vulnerable to CCS injection", not result.is_vulnerable_to_ccs_injection,
                     "VULNERABLE" if result.is_vulnerable_to_ccs_injection else "not vulnerable")
    result = attempt_result(scan_result, ScanCommand.ROBOT, verdicts, "not vulnerable to ROBOT")
    if result is not None:
        name = result.robot_result.name
        verdicts.add("not vulnerable to ROBOT", not name.startswith("VULNERABLE"), name)
    result = attempt_result(scan_result, ScanCommand.ELLIPTIC_CURVES, verdicts, "elliptic curves")
    if result is not None:
        curves = [c.name for c in (result.supported_curves or [])]
        verdicts.note("elliptic curves", ", ".join(curves) if curves else "no ECDH key exchange")


def main():
    parser = argparse.ArgumentParser(description="sslyze a TLS server and judge it against Strongroom's TLS policy.")
    parser.add_argument("--target", required=True, help="HOST:PORT of the TLS server")
    parser.add_argument("--expect-cert", help="PEM file whose first certificate the server must serve as its leaf")
    parser.add_argument("--sni", help="server name to send (default: the host)")
    parser.add_argument("--full", action="store_true", help="also Heartbleed, CCS injection, ROBOT, curves")
    parser.add_argument("--json-out", help="write the verdicts as JSON to this file")
    args = parser.parse_args()

    host, sep, port_text = args.target.rpartition(":")
    if not sep or not host or not port_text.isdigit():
        parser.error(f"--target must be HOST:PORT, not {args.target!r}")
    host = host.strip("[]")
    port = int(port_text)

    expected = None
    if args.expect_cert:
        try:
            with open(args.expect_cert, "rb") as handle:
                certificate = x509.load_pem_x509_certificate(handle.read())
        except (OSError, ValueError) as error:
            parser.error(f"cannot read a PEM certificate from {args.expect_cert}: {error}")
        expected = certificate.fingerprint(hashes.SHA256()).hex()

    try:
        location = ServerNetworkLocation(hostname=host, port=port)
    except ServerHostnameCouldNotBeResolved as error:
        print(f"tls_scan.py: {error}", file=sys.stderr)
        return 1
    request = ServerScanRequest(
        server_location=location,
        network_configuration=ServerNetworkConfiguration(tls_server_name_indication=args.sni or host, network_timeout=5),
        scan_commands=BASE_COMMANDS | (FULL_COMMANDS if args.full else set()),
    )
    print(f"scanning {host}:{port} with sslyze ({'full' if args.full else 'policy'} set of {len(request.scan_commands)} scan commands)", flush=True)
    started = time.monotonic()
    scanner = Scanner()
    scanner.queue_scans([request])
    verdicts = Verdicts()
    for scan_result in scanner.get_results():
        if scan_result.scan_status != ServerScanStatusEnum.COMPLETED or scan_result.scan_result is None:
            error = scan_result.connectivity_error_trace
            detail = " ".join(error.format_exception_only()).strip() if error else scan_result.connectivity_status.value
            verdicts.add("TLS connection", False, f"sslyze could not connect to {host}:{port}: {detail}")
            continue
        probing = scan_result.connectivity_result
        print(f"  connected: highest TLS version {probing.highest_tls_version_supported.name}, "
              f"cipher {probing.cipher_suite_supported}", flush=True)
        judge(scan_result.scan_result, expected, args.full, verdicts)
    elapsed = time.monotonic() - started
    failed = verdicts.failed
    print(f"sslyze scan of {host}:{port} took {elapsed:.1f} s: "
          + ("every property holds" if not failed and verdicts.rows else f"{len(failed)} propert{'y' if len(failed) == 1 else 'ies'} failed"),
          flush=True)
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump({"target": f"{host}:{port}", "seconds": round(elapsed, 2), "verdicts": verdicts.rows}, handle, indent=2)
    return 0 if verdicts.rows and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
