from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def issue_intake_certificates(self, batch_id: int) -> bool:
    """Issue an intake's certificates; a second run of the same batch issues nothing twice.

    A batch another worker is still issuing (its heartbeat is fresh) is
    looked at again once it could have stalled, so a re-delivered task takes
    over a batch whose worker was killed.
    """
    from .services.certificates import BATCH_STALLS_AFTER, issue_batch_run

    ran = issue_batch_run(batch_id=batch_id)
    if ran is None:
        raise self.retry(countdown=BATCH_STALLS_AFTER.total_seconds() + 5)
    return ran
