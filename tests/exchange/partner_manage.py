"""The Chinese node's manage.py, started once: one command per line of JSON on stdin.

A fresh ``python manage.py`` costs seconds of imports; the two-node stories run a dozen
commands. This process has the partner's environment, imports Django once and runs each
command with ``call_command`` (the same parser as the command line), then closes its
database connections, so that the tests may replace the partner's database between
stories. Each answer is one line of JSON: {"code", "stdout", "stderr"}.
"""

import contextlib
import io
import json
import sys
import traceback


def main() -> None:
    channel = sys.stdout
    sys.stdout = sys.stderr  # a stray print never corrupts the answers
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    for line in sys.stdin:
        args = json.loads(line)
        out, err, code = io.StringIO(), io.StringIO(), 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                call_command(*args, stdout=out, stderr=err)
        except BaseException as exc:  # noqa: BLE001 - reported to the test, like an exit status
            code = exc.code if isinstance(exc, SystemExit) and exc.code else 1
            err.write(traceback.format_exc())
        finally:
            connections.close_all()
        answer = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
        channel.write(json.dumps(answer) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
