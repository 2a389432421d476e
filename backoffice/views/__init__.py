"""Back-office views, one module per page family: the queue, a job, raising a repair, a property."""
