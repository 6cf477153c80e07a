from django.db import models


class RateCount(models.Model):
    """Requests one client made to one group of public pages in one minute: the rate
    limits' shared store when they are counted in the database (``peerassist.ratelimit``).
    One row a client, group and minute; rows of past minutes are deleted as new minutes
    begin."""

    bucket = models.CharField(max_length=200, primary_key=True)  # group:address:minute
    minute = models.BigIntegerField(db_index=True)  # minutes since the epoch
    hits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"
