"""Times QEMU's own QAPI front end (scripts/qapi) on one schema, for the
front-end benchmark (bench/frontend.bench.ts), which compares it with qapi-ts.

Usage: python3 qemu-qapi-driver.py SCRIPTS_DIR SCHEMA RUNS WARMUPS
Builds qapi.schema.QAPISchema(SCHEMA) -- parse, check, resolve -- WARMUPS
untimed times, then RUNS timed times, and prints {"samplesMs": [...]} as JSON
on stdout. A schema error exits 1 with QEMU's message on stderr.
"""
import json
import sys
import time


def main() -> int:
    scripts_dir, schema, runs, warmups = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sys.path.insert(0, scripts_dir)
    from qapi.error import QAPIError
    from qapi.schema import QAPISchema

    samples = []
    try:
        for i in range(warmups + runs):
            start = time.perf_counter()
            QAPISchema(schema)
            if i >= warmups:
                samples.append((time.perf_counter() - start) * 1000)
    except QAPIError as error:
        print(error, file=sys.stderr)
        return 1
    json.dump({"samplesMs": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
