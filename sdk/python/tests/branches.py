"""A workflow with a branch, for the SDK's tests."""

from starling import conditional, task, workflow


@task
def double(a: int) -> int:
    return 2 * a


@task
def negate(a: int) -> int:
    return -a


@task
def square(a: int) -> int:
    return a * a


@workflow
def pick(x: int) -> int:
    return (
        conditional("sign")
        .if_((x > 10) & (x < 100)).then(double(a=x))
        .elif_(x < 0).then(negate(a=x))
        .else_().then(square(a=x))
    )
