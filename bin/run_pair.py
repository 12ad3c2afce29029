"""Start a Russian and a Chinese node on one machine and let them exchange (``make run-pair``).

Each node gets its own database (SQLite under var/pair/), its own Ed25519 key,
the demo data of its own country, the other as partner, and an agreement to
share the six joint species (tigers and leopards at 10 km). With a Redis on
127.0.0.1:6379 (or PAIR_BROKER_URL) each node also gets a Celery worker with
beat, syncing every 30 s; without one, "Sync now" on the exchange page runs
the sync in-process. Ctrl-C stops everything.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "pair"
PY = sys.executable
NODES = {"RU": 8000, "CN": 8001}


def redis_url() -> str:
    url = os.environ.get("PAIR_BROKER_URL", "redis://127.0.0.1:6379")
    host, port = url.split("//")[1].split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return url.rstrip("/")
    except OSError:
        return ""


def env_for(code: str, broker: str) -> dict:
    db_number = 1 if code == "RU" else 2
    return {
        **os.environ,
        "NODE_CODE": code,
        "DATABASE_URL": f"sqlite:///{VAR / f'db-{code.lower()}.sqlite3'}",
        "EXCHANGE_PRIVATE_KEY_FILE": str(VAR / f"{code.lower()}.key"),
        "MEDIA_ROOT": str(VAR / f"media-{code.lower()}"),
        "CELERY_BROKER_URL": f"{broker}/{db_number}" if broker else "",
        "CELERY_RESULT_BACKEND": f"{broker}/{db_number}" if broker else "",
        "EXCHANGE_SYNC_EVERY_S": "30",
        "DEBUG": "true",
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    broker = redis_url()
    envs = {code: env_for(code, broker) for code in NODES}
    public = {}
    for code, env in envs.items():
        key = VAR / f"{code.lower()}.key"
        if not key.exists():
            out = manage({**env, "EXCHANGE_PRIVATE_KEY_FILE": ""}, "exchange_keys", "--new")
            key.write_text(out.splitlines()[0].split("=", 1)[1] + "\n")
            key.chmod(0o600)
        print(f"[{code}] migrate, seeds, demo data")
        manage(env, "migrate", "--noinput")
        manage(env, "load_seeds")
        manage(env, "load_demo_data")
        public[code] = manage(env, "exchange_keys")
    for code, env in envs.items():
        other = "CN" if code == "RU" else "RU"
        manage(
            env,
            "exchange_partner",
            other,
            "--url",
            f"http://127.0.0.1:{NODES[other]}",
            "--public-key",
            public[other],
        )
        manage(
            env,
            "exchange_agreement",
            other,
            "--precision",
            "Panthera tigris altaica=10km",
            "Panthera pardus orientalis=10km",
        )

    procs = []
    for code, env in envs.items():
        procs.append(
            subprocess.Popen(
                [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{NODES[code]}"],
                cwd=ROOT,
                env=env,
            )
        )
        if broker:
            procs.append(
                subprocess.Popen(
                    [
                        PY,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "--beat",
                        "--loglevel=INFO",
                        "--concurrency=1",
                        "-n",
                        f"{code.lower()}@%h",
                        "-s",
                        str(VAR / f"beat-{code.lower()}"),
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
    print("\nRussian node: http://127.0.0.1:8000/   Chinese node: http://127.0.0.1:8001/")
    print("Log in as coordinator_ru / coordinator_cn (password: demo) and open Exchange.")
    print(
        "Workers with beat sync every 30 s."
        if broker
        else "No Redis found: press 'Sync now' on the exchange page (runs in-process)."
    )
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=15)


if __name__ == "__main__":
    main()
