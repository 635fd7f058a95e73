"""What `make run` does without Redis, in miniature: a real Celery worker on the
filesystem broker sends a due reminder into var/mail/."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PLAN = """
import datetime
from django.utils import timezone
from accounts.models import User
from partnership.models import SchoolYear
from network_sessions.services import session_create
today = timezone.localdate()
SchoolYear.objects.create(name="2099-2100", starts_on=today - datetime.timedelta(days=30),
                          ends_on=today + datetime.timedelta(days=300), is_current=True)
coach = User.objects.create_user("coach@embedded.test", full_name="Sara Peeters")
start = timezone.now() + datetime.timedelta(days=2)
session_create(organiser=coach, kind="knowledge", title="Ingebedde sessie", starts_at=start,
               ends_at=start + datetime.timedelta(hours=1), audience_people=[coach])
"""


def test_a_worker_on_the_filesystem_broker_writes_the_reminder_to_var_mail(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(LEERBRUG_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.local")
    for folder in ("mail", "celery/queue", "celery/processed"):
        (tmp_path / folder).mkdir(parents=True)
    python = sys.executable

    def manage(*args):
        subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("shell", "-c", PLAN)  # planning queues a scan on the filesystem broker
    worker = subprocess.Popen(
        [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        mails = []
        for _ in range(120):
            mails = list((tmp_path / "mail").glob("*.log"))
            if mails:
                break
            time.sleep(0.5)
        assert mails, "the worker wrote no mail"
        time.sleep(1)
        text = "".join(path.read_text() for path in mails)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert text.count("Subject: Herinnering: Ingebedde sessie") == 1
    assert "To: coach@embedded.test" in text
    assert "Content-Type: text/calendar" in text
