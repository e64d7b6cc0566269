"""srtest: the Python half of the reliability suites under scripts/ (run as
`python3 -m srtest.MODULE` with scripts/ on PYTHONPATH; the shell scripts are the entry
points). Imports go one way, down these layers (srtest.layers checks it):

  bottom   client (raw HTTP client, token sessions, transaction bodies), verdicts (PASS/FAIL
           lines), amounts (amounts near every limit, at every scale), otlp_receiver (an
           OTLP/HTTP receiver), otlp_sink (an OTLP/HTTP endpoint that keeps nothing)
  suites   hostile (the hostile corpus and the books check), fuzz_hooks (schemathesis
           hooks), resource_load (scripts/resource-test), tls_scan (scripts/tls-scan),
           telemetry (scripts/telemetry-test)
  top      fuzz_api (scripts/fuzz-api's command line: seed, hostile, check, summarize)
"""
