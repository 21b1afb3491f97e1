"""The one fork harness (engine/workers.py): when it forks, and what comes back.

Forking is safe only with one thread and two or more cores, and pays only
once the jobs' declared cost reaches one threshold; in workers, each job's
value and warnings come back in the jobs' order, and a job that raised or
whose worker died comes back as None, for its caller to run in process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from conftest import ROOT

from engine import workers

# In a fresh single-threaded process (a pytest-xdist worker has threads) on a
# pretend two-core machine: ten jobs in forked workers, one of which raises,
# one of which logs a warning, and one whose worker dies.
RUN = """
import json, logging, os
os.cpu_count = lambda: 2
from engine import workers

logged = []
class Keep(logging.Handler):
    def emit(self, record):
        logged.append(record.getMessage())
logging.getLogger().addHandler(Keep(level=logging.WARNING))


def job(number):
    def run():
        if number == 3:
            raise ValueError("three")
        if number in (5, 6):
            logging.getLogger("job").warning("job %d says so", number)
        return {"pid": os.getpid(), "square": number * number}
    return run


jobs = [job(n) for n in range(10)]
count = workers.workers_for(len(jobs), 1.0)
done = workers.run("test", jobs, count)
workers.log_again(done)
dies = workers.run("dying", [lambda: os._exit(3), lambda: 1], 2, groups=[[0], [1]])
print(json.dumps({
    "count": count,
    "values": [d.value["square"] if d else None for d in done],
    "forked": all(d.value["pid"] != os.getpid() for d in done if d),
    "logged": logged,
    "record": [workers.last_run("test").jobs, workers.last_run("test").workers],
    "dies": [d.value if d else None for d in dies],
}))
"""


def test_jobs_in_workers_give_their_values_and_warnings_and_a_failure_comes_back_as_none():
    result = subprocess.run(
        [sys.executable, "-c", RUN], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = json.loads(result.stdout.splitlines()[-1])
    assert ran["count"] == 2
    assert ran["values"] == [n * n if n != 3 else None for n in range(10)]
    assert ran["forked"], "a job ran in the parent"
    assert ran["logged"] == ["job 5 says so", "job 6 says so"]
    assert ran["record"] == [10, 2]
    assert ran["dies"][0] is None


def test_forking_needs_one_thread_two_cores_and_enough_work(monkeypatch):
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    enough = workers.FORK_FROM_SECONDS
    assert workers.workers_for(10, enough) == 4
    assert workers.workers_for(3, enough) == 3, "never more workers than jobs"
    assert workers.workers_for(1, enough) == 0
    assert workers.workers_for(10, enough * 0.99) == 0
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 64)
    assert workers.workers_for(100, enough) == workers.MOST_WORKERS
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    assert workers.workers_for(100, 10.0) == 0
    assert not workers.can_fork()


def test_a_process_with_threads_never_forks():
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the preview server's thread
    server.start()
    try:
        assert not workers.can_fork()
        assert workers.workers_for(100, 10.0) == 0
    finally:
        stop.set()
        server.join()
