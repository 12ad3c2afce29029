"""The attack suite's closing figure, printed at the end of the run."""

REPORT: dict = {}


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.write_line(
            "attack suite: {operations} operations x {audiences} audiences, {probes} probes, "
            "leaks found = {leaks}".format(**REPORT)
        )
