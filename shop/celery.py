"""The Celery application: one app for web processes and workers.

The embedded default uses kombu's filesystem transport (no server needed); set
CELERY_BROKER_URL=redis://... to use Redis. See shop/settings.py.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
