"""Celery finds the job runner here (it is defined beside the job services)."""

from .services import job_run

__all__ = ["job_run"]
