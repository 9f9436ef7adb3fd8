"""CPU time of one password hash and one verify: the portal's Argon2id against PBKDF2.

    .venv/bin/python bench/hasher.py [--runs 20]

time.process_time (CPU, so other load on the machine hardly matters), the
median of --runs. Target: 50 ms or less for each with the production hasher.
"""

import argparse
import os
import statistics
import sys
import time

from common import ROOT, machine


def cpu_ms(hasher, password, runs):
    hashes, verifies = [], []
    for _ in range(runs):
        start = time.process_time()
        encoded = hasher.encode(password, hasher.salt())
        hashes.append(time.process_time() - start)
        start = time.process_time()
        assert hasher.verify(password, encoded)
        verifies.append(time.process_time() - start)
    return statistics.median(hashes) * 1000, statistics.median(verifies) * 1000, encoded


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssqs_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.hashers import OwaspArgon2idHasher

    print("machine:", machine())
    for hasher in (OwaspArgon2idHasher(), PBKDF2PasswordHasher()):
        hash_ms, verify_ms, encoded = cpu_ms(hasher, "Makmal-Pagi-2026", args.runs)
        parameters = "$".join(encoded.split("$")[:-2])
        print(
            f"{type(hasher).__name__} ({parameters}): one hash {hash_ms:.1f} ms, "
            f"one verify {verify_ms:.1f} ms of CPU (median of {args.runs})"
        )


if __name__ == "__main__":
    main()
