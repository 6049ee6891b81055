"""Tasks that fail, for the SDK's tests against a sandbox."""

from starling import NonRetryableError, task, workflow


@task(retries=1)
def flaky(x: int) -> int:
    raise ValueError(f"x={x} is not welcome")


@task(retries=3)
def hopeless(x: int) -> int:
    raise NonRetryableError("no retry can mend this")


@workflow
def always_fails(x: int) -> int:
    return flaky(x=x)


@workflow
def fails_at_once(x: int) -> int:
    return hopeless(x=x)
